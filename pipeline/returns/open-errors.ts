import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { WITHDRAWN_PREFIX } from './withdraw-state.ts';

/**
 * Files of a wave whose issues need no follow-up any more: every return of the file was superseded
 * by a later one from its team (a resubmission) or withdrawn by a person. Their error-severity
 * issues stay listed but no longer make `census issues` or `census ingest` exit 1; every other
 * error (an unreadable answer of a loaded return, a file kept out) still does.
 */
export async function settledFiles(db: Kysely<Database>, wave: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('questionnaire_return')
    .select('sha256')
    .where('wave', '=', wave)
    .groupBy('sha256')
    .having(sql<boolean>`bool_and(state = 'superseded' or coalesce(state_reason, '') like ${`${WITHDRAWN_PREFIX}%`})`)
    .execute();
  return new Set(rows.map((r) => r.sha256));
}

/** Whether error-severity issues still wait for follow-up: those of settled files do not count. */
export function hasOpenErrors(
  issues: readonly { severity: string; sha256: string | null }[],
  settled: ReadonlySet<string>,
): boolean {
  return issues.some((i) => i.severity === 'error' && !(i.sha256 !== null && settled.has(i.sha256)));
}
