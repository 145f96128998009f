import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A pool of worker threads started once per run: a worker costs ~1 s to start (tsx, then exceljs
 * and pdf.js load again), so one per file would eat what parallel parsing wins. A task names an
 * exported function of a module and its structured-clonable arguments; results come back in the
 * order the tasks were given, whatever finished first. A task over its time limit or a worker that
 * dies (out of memory) costs that task only: the worker is replaced and the others go on.
 */
export interface PoolTask { module: string; fn: string; args: unknown[] }
export type PoolResult<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'crashed' | 'failed'; message: string };

export interface WorkerPool {
  readonly size: number;
  run<T>(task: PoolTask): Promise<PoolResult<T>>;
  /** All tasks through the pool; result i belongs to task i. */
  map<T>(tasks: readonly PoolTask[]): Promise<PoolResult<T>[]>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Default: one per core. */
  size?: number;
  timeoutMs?: number;
  /** Modules every worker imports when it starts, so the first task does not pay for loading them. */
  preload?: string[];
  heapMb?: number;
}

// Same bootstrap as pipeline/isolate.ts: tsx's ESM API registered in an eval'd CommonJS worker, so
// TypeScript modules load in the worker as they do in the main thread (under tsx or vitest).
const TSX_API = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href;
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = (async () => {
  (await import(${JSON.stringify(TSX_API)})).register();
  for (const m of workerData.preload) await import(m);
})();
ready.then(() => parentPort.postMessage({ ready: true }), (e) => parentPort.postMessage({ ready: false, message: String(e && e.stack || e) }));
parentPort.on('message', async ({ module, fn, args }) => {
  try {
    await ready;
    const m = await import(module);
    parentPort.postMessage({ ok: true, value: await m[fn](...args) });
  } catch (e) {
    parentPort.postMessage({ ok: false, reason: 'failed', message: String(e && e.stack || e) });
  }
});`;

interface Job { task: PoolTask; done: (r: PoolResult<unknown>) => void }

export async function startPool(opts: PoolOptions = {}): Promise<WorkerPool> {
  const size = Math.max(1, opts.size ?? availableParallelism());
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const preload = opts.preload ?? [];
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const live = new Set<Worker>();
  let closed = false;

  const spawn = (): Promise<Worker> => new Promise((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { preload }, resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 3072 } });
    live.add(w);
    w.once('exit', () => live.delete(w));
    w.once('message', (m: { ready: boolean; message?: string }) => (m.ready ? resolve(w) : reject(new Error(`a pool worker could not start: ${m.message}`))));
    w.once('error', reject);
  });

  const dispatch = (): void => {
    while (!closed && idle.length > 0 && queue.length > 0) runOn(idle.pop()!, queue.shift()!);
  };

  const runOn = (w: Worker, job: Job): void => {
    let settled = false;
    const finish = (r: PoolResult<unknown>, replace: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit);
      job.done(r);
      if (!replace) { idle.push(w); dispatch(); return; }
      void w.terminate();
      // The pool keeps its size: a replacement starts (and preloads) before taking the next task.
      if (!closed) spawn().then((fresh) => { idle.push(fresh); dispatch(); }, () => { /* one worker fewer */ });
    };
    const onMessage = (m: PoolResult<unknown>): void => finish(m, false);
    const onError = (e: Error): void => finish({ ok: false, reason: 'crashed', message: e.message }, true);
    const onExit = (code: number): void => finish({ ok: false, reason: 'crashed', message: `the worker exited with code ${code}` }, true);
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: `stopped after ${timeoutMs} ms` }, true), timeoutMs);
    w.on('message', onMessage); w.on('error', onError); w.on('exit', onExit);
    w.postMessage(job.task);
  };

  try {
    idle.push(...await Promise.all(Array.from({ length: size }, spawn)));
  } catch (err) {
    await Promise.all([...live].map((w) => w.terminate()));
    throw err;
  }

  const run = <T>(task: PoolTask): Promise<PoolResult<T>> => new Promise((resolve) => {
    if (closed) { resolve({ ok: false, reason: 'failed', message: 'the pool is closed' }); return; }
    queue.push({ task, done: resolve as (r: PoolResult<unknown>) => void });
    dispatch();
  });

  return {
    size,
    run,
    map: <T>(tasks: readonly PoolTask[]) => Promise.all(tasks.map((t) => run<T>(t))),
    async close() {
      closed = true;
      for (const j of queue.splice(0)) j.done({ ok: false, reason: 'failed', message: 'the pool was closed' });
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}
