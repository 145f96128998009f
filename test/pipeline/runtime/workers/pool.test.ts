import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPool, type PoolTask, type WorkerPool } from '../../../../pipeline/runtime/workers/pool.ts';

const MODULE = new URL('./pool-tasks.ts', import.meta.url).href;
const task = (fn: string, ...args: unknown[]): PoolTask => ({ module: MODULE, fn, args });

describe('worker pool (pipeline/workers/pool.ts)', () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = await startPool({ size: 2, timeoutMs: 5_000, preload: [MODULE] });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('returns results in the order of the tasks, whatever finishes first', async () => {
    const out = await pool.map([task('after', 300, 'slow'), task('after', 0, 'fast'), task('after', 100, 'middle')]);
    expect(out).toEqual([
      { ok: true, value: 'slow' },
      { ok: true, value: 'fast' },
      { ok: true, value: 'middle' },
    ]);
  });

  it('runs tasks on more than one thread', async () => {
    const ids = await pool.map(Array.from({ length: 6 }, () => task('threadId')));
    expect(new Set(ids.map((r) => (r.ok ? r.value : null))).size).toBe(2);
  });

  it('reports a task that throws as failed and goes on with the others', async () => {
    const out = await pool.map([task('fail', 'bad file'), task('after', 0, 'next')]);
    expect(out[0]).toMatchObject({ ok: false, reason: 'failed', message: expect.stringContaining('bad file') });
    expect(out[1]).toEqual({ ok: true, value: 'next' });
  });

  it('stops a task over its time limit, replaces the worker and keeps its size', async () => {
    const short = await startPool({ size: 1, timeoutMs: 300, preload: [MODULE] });
    try {
      const out = await short.map([task('spin'), task('after', 0, 'after the replacement')]);
      expect(out[0]).toMatchObject({ ok: false, reason: 'timeout' });
      expect(out[1]).toEqual({ ok: true, value: 'after the replacement' });
    } finally {
      await short.close();
    }
  });
});
