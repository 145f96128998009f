import { CensusError } from '../../schemas/fault.ts';
import { recordedText, recordedTextProblem } from '../db/audit-log.ts';
import { acquireWriteLock } from '../db/lock.ts';
import type { Ctx } from '../runtime/ctx.ts';

/**
 * What the desk's writes share with the CLI's: the person's name (asked once per session, checked by
 * the same rule as the CLI's --by, and passed to the domain function as its `by`, so the audit log
 * records it) and the database write lock every writing command takes.
 */

/** The name a session gave, kept in the desk's memory only (keyed by the session's CSRF token). */
export class People {
  private readonly byToken = new Map<string, string>();
  constructor(private readonly max = 1000) {}
  get(token: string): string | null {
    return this.byToken.get(token) ?? null;
  }
  /** Checks the name as `census ... --by` does; returns the problem in words, or null when kept. */
  set(token: string, name: string | undefined): string | null {
    const problem = recordedTextProblem('Your name', name, 'name');
    if (problem) return problem.message;
    // A bounded map: the oldest sessions' names go first (they are asked again).
    if (this.byToken.size >= this.max && !this.byToken.has(token))
      this.byToken.delete(this.byToken.keys().next().value as string);
    this.byToken.set(token, recordedText('Your name', name, 'name'));
    return null;
  }
}

/**
 * Runs one desk write under the database write lock, as a CLI command that writes does, with the
 * person as the context's actor. It does not queue behind a running command (a browser would wait
 * with no word): the person is told to try again.
 */
export async function asWriter<T>(ctx: Ctx, person: string, what: string, body: (ctx: Ctx) => Promise<T>): Promise<T> {
  return underWriteLock(ctx, what, () => body({ ...ctx, actor: person }));
}

/** Runs `body` holding the database write lock (not waiting for it: a busy lock is the lock_busy fault). */
export async function underWriteLock<T>(ctx: Ctx, what: string, body: () => Promise<T>): Promise<T> {
  if (!ctx.pool)
    throw new CensusError(
      'internal',
      'The desk has no database pool to take the write lock on.',
      'Restart census serve.',
    );
  const lock = await acquireWriteLock(ctx.pool, { wait: false, log: ctx.log, what });
  try {
    return await body();
  } finally {
    await lock.release();
  }
}
