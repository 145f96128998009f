import type { Kysely } from 'kysely';
import type { Database, ReturnState } from '../../schemas/db.ts';
import { describeDecision, latestDecisionIds } from './decisions.ts';

/** One return of a wave as `census returns` shows it. Never holds respondent data. */
export interface ReturnListing {
  id: string;
  file: string;
  /** Row of a survey export (0 for a team workbook). */
  part: number;
  sourceKind: string;
  teamId: string | null;
  /** The team's name in the register (its identity), which a renamed team's return may not use. */
  team: string | null;
  /** The name the return gives itself. */
  statedName: string | null;
  state: ReturnState;
  reason: string | null;
  decision: { id: number; kind: string; by: string; reason: string; at: string; text: string } | null;
  dateCompleted: string | null;
  received: string;
  match: string | null;
}

/** Every return of a wave, by file name then row, in a stable order. */
export async function listReturns(db: Kysely<Database>, wave: number): Promise<ReturnListing[]> {
  const rows = await db
    .selectFrom('questionnaire_return as r')
    .leftJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .leftJoin('team as t', 't.id', 'r.team_id')
    .leftJoin('answer as n', (j) => j.onRef('n.return_id', '=', 'r.id').on('n.question_id', '=', 'team_name'))
    .leftJoin('return_decision as d', (j) =>
      j
        .onRef('d.sha256', '=', 'r.sha256')
        .onRef('d.wave', '=', 'r.wave')
        .onRef('d.part', '=', 'r.part')
        .on('d.id', 'in', latestDecisionIds(db)),
    )
    .select([
      'r.id',
      'r.part',
      'r.source_kind',
      'r.team_id',
      't.name as team',
      'n.text_value as stated',
      'r.state',
      'r.state_reason',
      'r.date_completed',
      'r.received_at',
      'f.received_at as first_received',
      'f.original_name',
      'r.sha256',
      'r.team_match',
      'd.id as d_id',
      'd.decision',
      'd.team_id as d_team',
      'd.decided_by',
      'd.reason',
      'd.decided_at',
    ])
    .where('r.wave', '=', wave)
    .orderBy('f.original_name')
    .orderBy('r.sha256')
    .orderBy('r.part')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    file: r.original_name ?? r.sha256.slice(0, 12),
    part: r.part,
    sourceKind: r.source_kind,
    teamId: r.team_id === null ? null : String(r.team_id),
    team: r.team,
    statedName: r.stated,
    state: r.state,
    reason: r.state_reason,
    decision:
      r.d_id === null || r.decision === null
        ? null
        : {
            id: Number(r.d_id),
            kind: r.decision,
            by: r.decided_by!,
            reason: r.reason!,
            at: new Date(r.decided_at!).toISOString(),
            text: describeDecision({
              kind: r.decision,
              teamId: String(r.d_team),
              by: r.decided_by!,
              reason: r.reason!,
              at: new Date(r.decided_at!),
            }),
          },
    dateCompleted: r.date_completed,
    received: new Date(r.first_received ?? r.received_at).toISOString(),
    match: r.team_match,
  }));
}
