import { issue, type Issue } from '../../schemas/issue.ts';
import type { PreflightInput } from '../../sources/shared/preflight.ts';
import { runIsolated } from '../runtime/isolate.ts';
import type { Limits } from '../runtime/workspace.ts';

// The checks before any parse are pure (no worker, no Node API): the self-check page runs them in a browser.
export { checkBeforeParse } from './before-parse.ts';

/**
 * The one guard every parse of an input file goes through, questionnaire returns and FOI replies
 * alike: the preflight (size, zip bomb, password, legacy format, rows, pages) before any reader
 * opens the file, a warning when it holds macros (never run), and the parse itself in the parse
 * pool, where a reader that runs past limits.parseTimeoutMs or out of memory is stopped and becomes
 * an issue of this file instead of a fault of the batch. What a stopped file then means (a return
 * kept out, a reply kept for coding by hand) is the caller's to say, in `advice`.
 */

export interface IsolatedParse<T> {
  /** The module (a file URL) and the exported function the worker runs, with structured-clonable arguments. */
  module: string;
  fn: string;
  args: unknown[];
  /** Runs the parse on this thread when no worker can start (under the same time limit, which cannot stop it). */
  fallback: () => Promise<T>;
}

export interface ParseAdvice {
  /** Said after "<name> took longer than N ms to read and was stopped". */
  timeout: string;
  /** Said after "<name> could not be read: the reader stopped (<why>)". */
  crashed: string;
}

/**
 * Runs the parse in the pool. A reader that throws still throws (its message's first line): the
 * caller knows whether that means an unreadable file or a bug.
 */
export async function parseIsolated<T>(
  call: IsolatedParse<T>,
  file: PreflightInput,
  limits: Limits,
  advice: ParseAdvice,
): Promise<{ value: T } | { stopped: Issue }> {
  const at = { fileHash: file.fileHash };
  const r = await runIsolated<T>(call.module, call.fn, call.args, limits.parseTimeoutMs);
  if (r.ok) return { value: r.value };
  const timedOut = (): { stopped: Issue } => ({
    stopped: issue(
      'parse_timeout',
      'error',
      `${file.name} took longer than ${limits.parseTimeoutMs} ms to read and was stopped${advice.timeout}`,
      at,
    ),
  });
  if (r.reason === 'timeout') return timedOut();
  if (r.reason === 'crashed') {
    return {
      stopped: issue(
        'parse_failed',
        'error',
        `${file.name} could not be read: the reader stopped (${r.message.slice(0, 200)})${advice.crashed}`,
        at,
      ),
    };
  }
  if (r.reason === 'failed') throw new Error(r.message.split('\n')[0]);
  // No worker could start: the parse runs here, where a timer cannot stop CPU-bound work (it goes on).
  const value = await withTimeout(call.fallback(), limits.parseTimeoutMs);
  return value === TIMEOUT ? timedOut() : { value };
}

const TIMEOUT = Symbol('timeout');

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let t: NodeJS.Timeout;
  const timer = new Promise<typeof TIMEOUT>((resolve) => {
    t = setTimeout(() => resolve(TIMEOUT), ms);
  });
  return Promise.race([p.finally(() => clearTimeout(t)), timer]);
}
