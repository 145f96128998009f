import { availableParallelism } from 'node:os';
import { createPool, type PoolResult, type WorkerPool } from './workers/pool.ts';

/**
 * Where input files are parsed: the process's parse pool (pipeline/workers/pool.ts), so that a
 * parse can be stopped when it passes limits.parseTimeoutMs, a parse that runs out of memory takes
 * only its worker down, and two files are parsed at once on a 2-core machine. One pool per process,
 * created on first use; `warmParsePool` starts its workers early (at the start of an ingest) so
 * their ~1 s start-up overlaps with receiving the files.
 *
 * Size: CENSUS_PARSE_WORKERS when set, else one worker per core but one, at most 4: the thread that
 * drives the database is the bottleneck of an ingest and needs a core of its own. On 2 cores a
 * second worker did not pay in a whole ingest (FOI 10x: 0.91-1.05x the speed of one across four
 * bench runs, BENCHMARKS.md), though it does on CPU-heavy files alone (1.3-1.6x, the pool section);
 * each worker also holds its own exceljs and pdf.js (~100 MB).
 */
export type IsolatedResult<T> = PoolResult<T>;

/** Heap cap of a parse worker: a parse that needs more is a file to refuse, not a reason to crash. */
const WORKER_HEAP_MB = 3072;

let pool: WorkerPool | null = null;

export function parseWorkers(): number {
  const fromEnv = Number(process.env.CENSUS_PARSE_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : Math.max(1, Math.min(4, availableParallelism() - 1));
}

function parsePool(): WorkerPool {
  return (pool ??= createPool({
    size: parseWorkers(),
    heapMb: WORKER_HEAP_MB,
    nice: Number(process.env.CENSUS_PARSE_NICE ?? 10),
  }));
}

/** Starts the parse workers now, each loading `modules` (the readers a run will call). Never rejects. */
export function warmParsePool(modules: readonly string[]): Promise<void> {
  return parsePool()
    .warm(modules)
    .catch(() => {});
}

/** Calls `fn` exported by `module` (a file URL) in a parse worker with structured-clonable `args`. */
export function runIsolated<T>(
  module: string,
  fn: string,
  args: unknown[],
  timeoutMs: number,
): Promise<IsolatedResult<T>> {
  return parsePool().run<T>({ module, fn, args, timeoutMs });
}
