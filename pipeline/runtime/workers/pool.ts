import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseBundle, type ParseBundle } from './bundle.ts';

/**
 * The one worker-thread pool of the pipeline: every parse of an input file runs in it (through
 * pipeline/isolate.ts), and the bench drives it directly.
 *
 * - A worker costs ~1 s to start (tsx, then exceljs and pdf.js load again), so workers start once
 *   per run (lazily when the first task needs one, or all at once with `warm()`) and are reused.
 * - A task names an exported function of a module and its structured-clonable arguments. `map`
 *   returns results in the order of its tasks, whatever finished first.
 * - A task can really be stopped: a timer in the main thread cannot interrupt CPU-bound parsing, so
 *   a task over its time limit has its worker terminated, and a task that runs the worker out of
 *   memory kills that worker only. Either way that task alone fails; the next task that needs a
 *   worker starts a fresh one. The time limit counts from the moment the task's module is loaded in
 *   the worker; starting the worker and loading the module have their own, generous limit.
 * - A worker that cannot start at all (tsx missing, startup limit passed) makes the pool
 *   `unavailable`: every task then resolves with that reason and the caller decides (the readers
 *   run on their own thread).
 * - Idle workers do not keep the process alive; `close()` ends them at once.
 */
export interface PoolTask {
  module: string;
  fn: string;
  args: unknown[];
  timeoutMs?: number;
}
type PoolFailure = 'timeout' | 'crashed' | 'failed' | 'unavailable';
export type PoolResult<T> = { ok: true; value: T } | { ok: false; reason: PoolFailure; message: string };

export interface WorkerPool {
  readonly size: number;
  run<T>(task: PoolTask): Promise<PoolResult<T>>;
  /** All tasks through the pool; result i belongs to task i. */
  map<T>(tasks: readonly PoolTask[]): Promise<PoolResult<T>[]>;
  /** Starts every worker now (loading `modules` in each as it starts); resolves when they are ready or failed. */
  warm(modules?: readonly string[]): Promise<void>;
  /** Why no worker can run, or null. */
  readonly unavailable: string | null;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Default: one per core. */
  size?: number;
  /** Default limit of a task, from the moment its module is loaded in the worker. */
  timeoutMs?: number;
  /** Modules every worker imports when it starts, so the first task does not pay for loading them. */
  preload?: string[];
  heapMb?: number;
  /** Limit on starting a worker and loading a task's module. */
  startupMs?: number;
  /** Run the reader modules from the prebuilt bundle (pipeline/runtime/workers/bundle.ts); default true. */
  bundle?: boolean;
  /**
   * Nice value of each worker thread (Linux keeps one per thread): with a positive value the thread
   * that drives the database is never starved by parsing, and the workers take the CPU it leaves.
   */
  nice?: number;
}

// The ESM build of tsx's API: its CommonJS build cannot register hooks from an eval'd worker.
const TSX_API = (() => {
  try {
    return pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs')).href;
  } catch {
    return null;
  }
})();

// CommonJS because an eval'd worker has no module URL of its own. Modules in the bundle
// (pipeline/runtime/workers/bundle.ts) load as plain JavaScript; any other module loads through tsx,
// registered on first need, so TypeScript sources load exactly as in the main thread.
// tsx turns source maps on; pdf.js reads an Error's stack while it loads, which then parses its
// multi-megabyte source map: 0.7 s per worker (measured). Stacks from a worker never reach users,
// so the worker runs without them. A preload that fails is left for the task to report.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { bundle, preload, nice } = workerData;
if (nice) { try { require('node:os').setPriority(0, nice); } catch {} }
let tsx = null;
const viaTsx = () => (tsx ??= import(${JSON.stringify(TSX_API)}).then((api) => { api.register(); process.setSourceMapsEnabled(false); }));
const load = async (module) => {
  const entry = bundle && bundle.modules[module];
  if (entry) return import(entry);
  await viaTsx();
  return import(module);
};
const ready = (async () => {
  if (!bundle) await viaTsx();
  for (const m of preload) { try { await load(m); } catch {} }
})();
ready.then(() => parentPort.postMessage({ ready: true }), (e) => parentPort.postMessage({ ready: false, message: String(e && e.message || e) }));
parentPort.on('message', async ({ module, fn, args }) => {
  try { await ready; } catch { return; }
  try {
    const m = await load(module);
    parentPort.postMessage({ started: true });
    parentPort.postMessage({ ok: true, value: await m[fn](...args) });
  } catch (e) {
    parentPort.postMessage({ ok: false, reason: 'failed', message: String(e && e.stack || e) });
  }
});`;

interface Job {
  task: PoolTask;
  done: (r: PoolResult<unknown>) => void;
}

type Message = {
  ready?: boolean;
  started?: boolean;
  ok?: boolean;
  value?: unknown;
  reason?: PoolFailure;
  message?: string;
};

export function createPool(opts: PoolOptions = {}): WorkerPool {
  const size = Math.max(1, opts.size ?? availableParallelism());
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const startupMs = opts.startupMs ?? 60_000;
  const preload = [...(opts.preload ?? [])];
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const live = new Set<Worker>();
  const waiters: (() => void)[] = [];
  const bundle: Promise<ParseBundle | null> = opts.bundle === false ? Promise.resolve(null) : parseBundle();
  /** Workers alive or starting. */
  let count = 0;
  let starting = 0;
  let closed = false;
  let unavailable: string | null = TSX_API ? null : 'tsx is not installed';

  const settleWaiters = (): void => {
    if (starting === 0) for (const w of waiters.splice(0)) w();
  };

  const dispatch = (): void => {
    if (closed) return;
    if (unavailable) {
      for (const j of queue.splice(0)) j.done({ ok: false, reason: 'unavailable', message: unavailable });
      return;
    }
    while (idle.length > 0 && queue.length > 0) runOn(idle.pop()!, queue.shift()!);
    // Workers for the tasks still waiting, up to the pool's size.
    while (queue.length > starting && count < size) spawn();
  };

  const spawn = (): void => {
    starting += 1;
    count += 1;
    void bundle.then((b) => {
      if (closed) {
        starting -= 1;
        count -= 1;
        settleWaiters();
        return;
      }
      startWorker(b);
    });
  };

  const startWorker = (b: ParseBundle | null): void => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { preload: [...preload], bundle: b, nice: opts.nice ?? 0 },
      resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 3072 },
    });
    live.add(w);
    let done = false;
    const started = (ok: boolean, message?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      starting -= 1;
      w.off('message', onMessage);
      if (ok && !closed) {
        w.unref();
        idle.push(w);
      } else {
        live.delete(w);
        count -= 1;
        void w.terminate();
        if (!ok) unavailable ??= `the parse worker could not start: ${message}`;
      }
      settleWaiters();
      dispatch();
    };
    const onMessage = (m: Message): void => started(m.ready === true, m.message);
    const timer = setTimeout(() => started(false, `it did not start within ${startupMs} ms`), startupMs);
    w.on('message', onMessage);
    // Always listened to: an 'error' from an idle worker (a stray rejection left by a parse) must not
    // crash the process; that worker is simply dropped and the next task gets a fresh one.
    w.on('error', (e) => {
      if (!done) started(false, e.message);
      else drop(w);
    });
    w.on('exit', (code) => {
      if (!done) started(false, `it exited with code ${code}`);
      else drop(w);
    });
  };

  const drop = (w: Worker): void => {
    if (live.delete(w)) count -= 1;
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };

  const runOn = (w: Worker, job: Job): void => {
    w.ref();
    let settled = false;
    const finish = (r: PoolResult<unknown>, keep: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      if (keep && !closed) {
        w.unref();
        idle.push(w);
      } else {
        drop(w);
        void w.terminate();
      }
      job.done(r);
      dispatch();
    };
    const limit = job.task.timeoutMs ?? timeoutMs;
    const onMessage = (m: Message): void => {
      if (m.started) {
        clearTimeout(timer);
        timer = setTimeout(
          () => finish({ ok: false, reason: 'timeout', message: `stopped after ${limit} ms` }, false),
          limit,
        );
        return;
      }
      finish(
        m.ok
          ? { ok: true, value: m.value }
          : { ok: false, reason: m.reason ?? 'failed', message: m.message ?? 'unknown error' },
        true,
      );
    };
    const onError = (e: Error): void =>
      finish(
        { ok: false, reason: 'crashed', message: `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim() },
        false,
      );
    const onExit = (code: number): void =>
      finish({ ok: false, reason: 'crashed', message: `the worker exited with code ${code}` }, false);
    let timer = setTimeout(
      () =>
        finish(
          { ok: false, reason: 'unavailable', message: `the task's module did not load within ${startupMs} ms` },
          false,
        ),
      startupMs,
    );
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    const { timeoutMs: _limit, ...message } = job.task;
    try {
      w.postMessage(message);
    } catch (err) {
      // Arguments that cannot be copied to a worker: the caller runs the task in its own thread.
      finish({ ok: false, reason: 'unavailable', message: (err as Error).message }, true);
    }
  };

  const run = <T>(task: PoolTask): Promise<PoolResult<T>> =>
    new Promise((resolve) => {
      if (closed) {
        resolve({ ok: false, reason: 'failed', message: 'the pool is closed' });
        return;
      }
      queue.push({ task, done: resolve as (r: PoolResult<unknown>) => void });
      dispatch();
    });

  return {
    size,
    run,
    map: <T>(tasks: readonly PoolTask[]) => Promise.all(tasks.map((t) => run<T>(t))),
    warm(modules = []) {
      for (const m of modules) if (!preload.includes(m)) preload.push(m);
      if (!closed && !unavailable) while (count < size) spawn();
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settleWaiters();
      });
    },
    get unavailable() {
      return unavailable;
    },
    async close() {
      closed = true;
      for (const j of queue.splice(0)) j.done({ ok: false, reason: 'failed', message: 'the pool was closed' });
      idle.length = 0;
      await Promise.all([...live].map((w) => w.terminate()));
      live.clear();
      count = 0;
      settleWaiters();
    },
  };
}

/** A pool with every worker started and its preloads loaded; throws when no worker can start. */
export async function startPool(opts: PoolOptions = {}): Promise<WorkerPool> {
  const pool = createPool(opts);
  await pool.warm();
  if (pool.unavailable) {
    await pool.close();
    throw new Error(pool.unavailable);
  }
  return pool;
}
