import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Runs a parse in a worker thread that can really be stopped. A timer in the main thread cannot
 * interrupt CPU-bound parsing (exceljs on a huge sheet, a quadratic match), and a parse that runs
 * out of memory would take the whole batch down; a worker is terminated on timeout and dies alone.
 * One worker is kept and reused (starting one costs ~1 s: tsx and exceljs load again), jobs run
 * one at a time, the time limit counts from the moment a job starts in the worker, and an idle
 * worker does not keep the process alive. Starting the worker and loading the job's module are not
 * counted against the job's time (they have a separate, generous limit).
 */
export type IsolatedResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'timeout' | 'crashed' | 'failed' | 'unavailable'; message: string };

interface Job { module: string; fn: string; args: unknown[]; timeoutMs: number; done: (r: IsolatedResult<unknown>) => void }

// The ESM build of tsx's API: its CommonJS build cannot register hooks from an eval'd worker.
const TSX_API = (() => {
  try { return pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href; } catch { return null; }
})();

// CommonJS because an eval'd worker has no module URL of its own; tsx is registered before the
// job's module is imported, so TypeScript sources load exactly as in the main thread.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const ready = (async () => { (await import(${JSON.stringify(TSX_API)})).register(); })();
parentPort.on('message', async ({ module, fn, args }) => {
  try { await ready; } catch (e) { parentPort.postMessage({ ok: false, setup: true, message: String(e && e.message || e) }); return; }
  try {
    const m = await import(module);
    parentPort.postMessage({ started: true });
    const value = await m[fn](...args);
    parentPort.postMessage({ ok: true, value });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.stack || e) });
  }
});`;

const STARTUP_MS = 60_000;

/** Heap cap of the worker: a parse that needs more is a file to refuse, not a reason to crash. */
const WORKER_HEAP_MB = 3072;

let worker: Worker | null = null;
let unavailable: string | null = TSX_API ? null : 'tsx is not installed';
const queue: Job[] = [];
let busy = false;

function spawnWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  // Always listened to: an 'error' from an idle worker (a stray rejection left by a parse) must not
  // crash the process; that worker is simply dropped and the next job gets a fresh one.
  const drop = (): void => { if (worker === w) worker = null; };
  w.on('error', drop);
  w.on('exit', drop);
  w.unref();
  return w;
}

function next(): void {
  if (busy) return;
  const job = queue.shift();
  if (!job) return;
  if (unavailable) { job.done({ ok: false, reason: 'unavailable', message: unavailable }); next(); return; }
  busy = true;
  const w = (worker ??= spawnWorker());
  w.ref();
  let settled = false;
  const finish = (r: IsolatedResult<unknown>, discard: boolean): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit);
    if (discard) { if (worker === w) worker = null; void w.terminate(); } else w.unref();
    busy = false;
    job.done(r);
    next();
  };
  const onMessage = (m: { ok: boolean; value?: unknown; message?: string; setup?: boolean; started?: boolean }): void => {
    if (m.started) {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: `stopped after ${job.timeoutMs} ms` }, true), job.timeoutMs);
      return;
    }
    if (m.setup) { unavailable = `the parse worker could not start: ${m.message}`; finish({ ok: false, reason: 'unavailable', message: unavailable }, true); return; }
    finish(m.ok ? { ok: true, value: m.value } : { ok: false, reason: 'failed', message: m.message ?? 'unknown error' }, false);
  };
  const onError = (e: Error): void => finish({ ok: false, reason: 'crashed', message: `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim() }, true);
  const onExit = (code: number): void => finish({ ok: false, reason: 'crashed', message: `the parse worker exited with code ${code}` }, true);
  let timer = setTimeout(() => finish({ ok: false, reason: 'unavailable', message: `the parse worker did not start within ${STARTUP_MS} ms` }, true), STARTUP_MS);
  w.on('message', onMessage); w.on('error', onError); w.on('exit', onExit);
  try {
    w.postMessage({ module: job.module, fn: job.fn, args: job.args });
  } catch (err) {
    // Arguments that cannot be copied to a worker: the caller runs the job in its own thread.
    finish({ ok: false, reason: 'unavailable', message: (err as Error).message }, false);
  }
}

/** Calls `fn` exported by `module` (a file URL) in the worker with structured-clonable `args`. */
export function runIsolated<T>(module: string, fn: string, args: unknown[], timeoutMs: number): Promise<IsolatedResult<T>> {
  return new Promise((resolve) => {
    queue.push({ module, fn, args, timeoutMs, done: resolve as (r: IsolatedResult<unknown>) => void });
    next();
  });
}
