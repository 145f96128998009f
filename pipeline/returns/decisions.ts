import type { Kysely, Transaction } from 'kysely';
import type { Database, ReturnDecisionKind } from '../../schemas/db.ts';
import { recordedText, recordedTextProblem } from '../db/audit-log.ts';

/**
 * A person's decisions on returns (`census resolve`), stored in return_decision by the return's
 * stable key (sha256, wave, part): re-ingesting a file gives its returns new ids, and the decision
 * must still find them. The latest decision of a return is the one that applies.
 */
export interface Decision {
  id: number;
  kind: ReturnDecisionKind;
  teamId: string;
  by: string;
  reason: string;
  at: Date;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Ids of the latest decision of every return: join `return_decision` on `id in (this)`. */
export function latestDecisionIds(db: Db) {
  return db
    .selectFrom('return_decision')
    .select((eb) => eb.fn.max('id').as('id'))
    .groupBy(['sha256', 'wave', 'part']);
}

export async function recordDecision(
  trx: Transaction<Database>,
  d: {
    sha256: string;
    wave: number;
    part: number;
    kind: ReturnDecisionKind;
    teamId: string;
    by: string;
    reason: string;
    at: Date;
  },
): Promise<number> {
  const row = await trx
    .insertInto('return_decision')
    .values({
      sha256: d.sha256,
      wave: d.wave,
      part: d.part,
      decision: d.kind,
      team_id: d.teamId,
      decided_by: d.by,
      reason: d.reason,
      decided_at: d.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** "kept by Ann Lee on 2025-07-01: same team, second form was a draft" (the person deciding is staff, not a respondent). */
export function describeDecision(d: Pick<Decision, 'kind' | 'teamId' | 'by' | 'reason' | 'at'>): string {
  const day = new Date(d.at).toISOString().slice(0, 10);
  const what =
    d.kind === 'keep'
      ? 'kept'
      : d.kind === 'new_team'
        ? `made a new team (${d.teamId})`
        : `assigned to team ${d.teamId}`;
  return `${what} by ${d.by} on ${day}: ${d.reason}`;
}

/** Fails with a readable message for a --by / --reason that says nothing (the one rule: recordedText). */
export function personAndReason(
  by: string | undefined,
  reason: string | undefined,
): { by: string; reason: string } | string {
  if (!by?.trim()) return '--by NAME is required: say who took the decision.';
  if (!reason?.trim()) return '--reason TEXT is required: say why, for whoever reads the record later.';
  const problem = recordedTextProblem('--by', by, 'name') ?? recordedTextProblem('--reason', reason, 'reason');
  if (problem) return problem.message;
  return { by: recordedText('--by', by, 'name'), reason: recordedText('--reason', reason, 'reason') };
}
