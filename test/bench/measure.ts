import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Wall-clock timing and child processes for the bench; nothing here is used by the pipeline. */

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const load1 = (): number => loadavg()[0]!;

/** Idle share of all CPUs over `ms`, from /proc/stat; null where there is none. */
async function idleShare(ms: number): Promise<number | null> {
  const read = (): number[] | null => {
    try {
      return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    } catch {
      return null;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  if (!a || !b) return null;
  const d = b.map((x, i) => x - (a[i] ?? 0));
  const total = d.reduce((s, x) => s + x, 0);
  // fields: user nice system idle iowait ...
  return total > 0 ? ((d[3] ?? 0) + (d[4] ?? 0)) / total : null;
}

/**
 * Waits (at most `maxMs`) until the machine has been at least 85% idle for two seconds running. A
 * big ingest leaves the database server busy for a while (checkpoints, autovacuum): the libraries
 * alone took 27 s in one run and 46 s in another on the same files, timed right after one. Returns
 * how long it waited.
 */
export async function settle(maxMs = 60_000): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  while (performance.now() - t0 < maxMs) {
    const idle = await idleShare(1000);
    if (idle === null) return performance.now() - t0;
    quiet = idle >= 0.85 ? quiet + 1 : 0;
    if (quiet >= 2) break;
  }
  return performance.now() - t0;
}

export function machine(): { cores: number; memoryGb: number; freeGb: number; cpu: string; node: string } {
  return {
    cores: cpus().length,
    memoryGb: totalmem() / 2 ** 30,
    freeGb: freemem() / 2 ** 30,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
}

/** Peak resident memory of this process so far, in MB (worker threads included: same process). */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Runs a bench script in a fresh Node (so its peak memory is its own) and returns the JSON object it
 * prints as the last line of stdout. stderr passes through, for progress.
 */
export function runChild<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    // --expose-gc: the ingest child measures its live heap after a full collection.
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TZ: 'Europe/London', ...env },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${out.slice(-500)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${out.slice(-500)}`));
      }
    });
  });
}

/** Runs a command and resolves with its wall time; rejects on a non-zero exit. */
export function timeCommand(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TZ: 'Europe/London', ...env },
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - t0)
        : reject(new Error(`${cmd} exited with ${code}: ${err.slice(0, 500)}`)),
    );
  });
}

export const secs = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
export const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : 'n/a');

/** Median, lowest and highest of repeated measurements (the bench repeats every section). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}
export function spread(xs: readonly number[]): Spread {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}
/** Ratios a[i] / b[i], pair by pair: each pair was measured side by side, so a drift of the machine hits both. */
export const pairRatios = (a: readonly number[], b: readonly number[]): number[] =>
  a.map((x, i) => x / (b[i] ?? NaN)).filter((x) => Number.isFinite(x));
/** "1.23 s (1.10-1.40, n=3)": the median with the spread of the runs. */
export function secsSpread(ms: readonly number[]): string {
  const s = spread(ms);
  return `${secs(s.median)} s (${secs(s.min)}-${secs(s.max)}, n=${s.n})`;
}
/** "1.23x (1.10-1.40)": the median of pairwise ratios with their spread. */
export function ratioSpread(r: readonly number[], digits = 2): string {
  const s = spread(r);
  return `${s.median.toFixed(digits)}x (${s.min.toFixed(digits)}-${s.max.toFixed(digits)}, n=${s.n})`;
}
/** How many times each section is repeated (`npm run bench -- --repeats N`, at least 3 by default). */
export const REPEATS_DEFAULT = 3;
