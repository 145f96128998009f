import { sql, type Transaction } from 'kysely';
import type { Database, ReturnState } from '../../schemas/db.ts';
import { normaliseLabel } from '../../sources/shared/label-match.ts';
import { issue } from '../../schemas/issue.ts';
import { issueRow } from '../db/issue-rows.ts';
import { describeDecision, latestDecisionIds, type Decision } from './decisions.ts';

/**
 * Team identity across waves and renames: a return is tied to a team through team_alias
 * (normalised name + host). A person can add aliases (`census teams alias`), recorded as 'confirmed',
 * and can say a return belongs to another team (`census resolve --as-team`), recorded in return_decision.
 */
export function teamKeys(name: string, host: string | null): { nameKey: string; hostKey: string } {
  return { nameKey: normaliseLabel(name), hostKey: host ? normaliseLabel(host) : '' };
}

export async function resolveTeam(
  trx: Transaction<Database>,
  name: string,
  host: string | null,
  now: Date,
): Promise<{ teamId: string; match: 'exact' | 'alias' | 'confirmed' | 'new' }> {
  const { nameKey, hostKey } = teamKeys(name, host);
  // Every alias of the name in one statement (#18): the exact name and host among them, else the rule below.
  const sameName = await trx
    .selectFrom('team_alias')
    .select(['team_id', 'host_key', 'method'])
    .where('name_key', '=', nameKey)
    .execute();
  const found = sameName.find((a) => a.host_key === hostKey);
  if (found) return { teamId: String(found.team_id), match: found.method };
  // Issue 14: a return that names no host (the 2019 workbooks did not ask) is the one known team of
  // that name, and a return naming a host is the one known team of that name whose returns never
  // named one; the pair is kept as an alias. Two teams of one name at different hosts stay apart.
  const ids = [...new Set(sameName.map((a) => String(a.team_id)))];
  if (ids.length === 1 && (hostKey === '' || sameName.every((a) => a.host_key === ''))) {
    await trx
      .insertInto('team_alias')
      .values({ team_id: ids[0]!, name_key: nameKey, host_key: hostKey, method: 'alias', created_at: now })
      .onConflict((oc) => oc.columns(['name_key', 'host_key']).doNothing())
      .execute();
    return { teamId: ids[0]!, match: 'alias' };
  }
  const team = await trx
    .insertInto('team')
    .values({ name, host_organisation: host, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const alias = await trx
    .insertInto('team_alias')
    .values({ team_id: String(team.id), name_key: nameKey, host_key: hostKey, method: 'exact', created_at: now })
    .onConflict((oc) => oc.columns(['name_key', 'host_key']).doNothing())
    .returning('team_id')
    .executeTakeFirst();
  if (alias) return { teamId: String(team.id), match: 'new' };
  // A concurrent load created the same team first: use theirs, drop ours.
  await trx.deleteFrom('team').where('id', '=', String(team.id)).execute();
  const again = await trx
    .selectFrom('team_alias')
    .select(['team_id', 'method'])
    .where('name_key', '=', nameKey)
    .where('host_key', '=', hostKey)
    .executeTakeFirstOrThrow();
  return { teamId: String(again.team_id), match: again.method };
}

interface Row {
  id: string;
  sha256: string;
  state: ReturnState;
  stateReason: string | null;
  teamMatch: string | null;
  dateCompleted: string | null;
  /** When the file was first received (file_receipt), which a re-ingest does not change. */
  received: Date;
  who: string;
  decision: Decision | null;
}

async function returnsOf(trx: Transaction<Database>, teamId: string, wave: number): Promise<Row[]> {
  const rows = await trx
    .selectFrom('questionnaire_return as r')
    .leftJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .leftJoin('respondent as p', 'p.return_id', 'r.id')
    .leftJoin('return_decision as d', (j) =>
      j
        .onRef('d.sha256', '=', 'r.sha256')
        .onRef('d.wave', '=', 'r.wave')
        .onRef('d.part', '=', 'r.part')
        .on('d.id', 'in', latestDecisionIds(trx)),
    )
    .select([
      'r.id',
      'r.sha256',
      'r.state',
      'r.state_reason',
      'r.team_match',
      'r.date_completed',
      'r.received_at',
      'f.received_at as first_received',
      'p.email',
      'p.name',
      'd.id as d_id',
      'd.decision',
      'd.team_id as d_team',
      'd.decided_by',
      'd.reason',
      'd.decided_at',
    ])
    .where('r.team_id', '=', teamId)
    .where('r.wave', '=', wave)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    sha256: r.sha256,
    state: r.state,
    stateReason: r.state_reason,
    teamMatch: r.team_match,
    dateCompleted: r.date_completed,
    received: new Date(r.first_received ?? r.received_at),
    who: (r.email ?? r.name ?? '').trim().toLowerCase(),
    decision:
      r.d_id === null || r.decision === null
        ? null
        : {
            id: Number(r.d_id),
            kind: r.decision,
            teamId: String(r.d_team),
            by: r.decided_by ?? '',
            reason: r.reason ?? '',
            at: new Date(r.decided_at!),
          },
  }));
}

/** Sets a return's state; no statement when it already has that state and reason (a new team's only return). */
async function setState(
  trx: Transaction<Database>,
  row: Row,
  state: ReturnState,
  reason: string | null,
): Promise<void> {
  if (row.state === state && row.stateReason === reason) return;
  await trx.updateTable('questionnaire_return').set({ state, state_reason: reason }).where('id', '=', row.id).execute();
  if (state === 'superseded' || row.state === 'superseded') await flagDuplicate(trx, row, state, reason);
}

/**
 * A superseded return's file carries one `duplicate_submission` issue saying what superseded it, so
 * `census issues` shows it and its other issues stop counting (they need no follow-up any more);
 * the flag goes when the return stands again.
 */
async function flagDuplicate(
  trx: Transaction<Database>,
  row: Row,
  state: ReturnState,
  reason: string | null,
): Promise<void> {
  const file = await trx
    .selectFrom('questionnaire_return as r')
    .leftJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .select(['r.wave', 'f.original_name'])
    .where('r.id', '=', row.id)
    .executeTakeFirstOrThrow();
  await trx
    .deleteFrom('data_issue')
    .where('sha256', '=', row.sha256)
    .where('wave', '=', file.wave)
    .where('code', '=', 'duplicate_submission')
    .execute();
  if (state !== 'superseded') return;
  await trx
    .insertInto('data_issue')
    .values(
      issueRow(
        issue(
          'duplicate_submission',
          'warning',
          `This return (${row.id}) was ${reason ?? 'superseded'}; it feeds no figure and its other issues need no follow-up.`,
          { fileHash: row.sha256 },
        ),
        file.original_name ?? row.sha256.slice(0, 12),
        file.wave,
        null,
      ),
    )
    .execute();
}

/**
 * Settles the returns of one team in one wave (questionnaire.md "Resubmissions and identity").
 * First a person's decisions: a return assigned to another team moves there (and that team is
 * settled too). Then, if a person kept one return, the others received up to that decision are
 * superseded, and only returns received after it are weighed against the kept one. Then each
 * respondent's latest return (by date completed, else first received) stands and their earlier ones
 * are superseded (a resubmission); one standing return is loaded, several from different
 * respondents are a conflict, none loaded until a person resolves it.
 */
export async function settleTeamWave(trx: Transaction<Database>, teamId: string, wave: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(2, ${Number(teamId)}::int)`.execute(trx);
  let rows = await returnsOf(trx, teamId, wave);
  const movedTo = new Set<string>();
  for (const r of rows) {
    const d = r.decision;
    if (!d || d.kind === 'keep') continue;
    if (d.teamId !== teamId) movedTo.add(d.teamId);
    if (d.teamId !== teamId || r.teamMatch !== 'confirmed') {
      await trx
        .updateTable('questionnaire_return')
        .set({ team_id: d.teamId, team_match: 'confirmed' })
        .where('id', '=', r.id)
        .execute();
    }
  }
  if (movedTo.size) rows = await returnsOf(trx, teamId, wave);
  await settleRows(
    trx,
    rows.filter((r) => r.state !== 'rejected'),
    wave,
  );
  // Terminates: a return that reached its decided team never moves again.
  for (const other of [...movedTo].sort()) await settleTeamWave(trx, other, wave);
}

async function settleRows(trx: Transaction<Database>, live: Row[], wave: number): Promise<void> {
  if (live.length === 0) return;
  const kept = live.filter((r) => r.decision?.kind === 'keep').sort((a, b) => b.decision!.id - a.decision!.id)[0];
  if (!kept) {
    await settleAuto(trx, live, wave, null);
    return;
  }
  const decidedAt = kept.decision!.at.getTime();
  const later = live.filter((r) => r !== kept && r.received.getTime() > decidedAt);
  for (const r of live) {
    if (r !== kept && !later.includes(r))
      await setState(trx, r, 'superseded', `not kept: return ${kept.id} was ${describeDecision(kept.decision!)}`);
  }
  await settleAuto(trx, [kept, ...later], wave, kept);
}

/** Latest by the return's own date completed, else the day first received; then time received, then id. */
function latestOf(rows: Row[]): Row {
  const key = (r: Row): string =>
    `${r.dateCompleted ?? r.received.toISOString().slice(0, 10)}|${r.received.toISOString()}|${r.id.padStart(12, '0')}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? 1 : -1))[0]!;
}

async function settleAuto(trx: Transaction<Database>, rows: Row[], wave: number, kept: Row | null): Promise<void> {
  const keptNote = kept ? describeDecision(kept.decision!) : null;
  // One respondent's returns are resubmissions of each other: the latest of each stands. A return
  // with no respondent named is nobody's resubmission.
  const byWho = new Map<string, Row[]>();
  for (const r of rows) byWho.set(r.who || `?${r.id}`, [...(byWho.get(r.who || `?${r.id}`) ?? []), r]);
  const standing: { row: Row; of: number }[] = [];
  for (const group of byWho.values()) {
    const latest = latestOf(group);
    standing.push({ row: latest, of: group.length });
    for (const r of group) {
      if (r !== latest)
        await setState(
          trx,
          r,
          'superseded',
          `superseded by return ${latest.id} from the same respondent, completed or received later`,
        );
    }
  }
  if (standing.length === 1) {
    const { row, of } = standing[0]!;
    const why = [
      of > 1
        ? `resubmission: latest of ${of} returns (by ${row.dateCompleted ? 'date completed' : 'time received'})`
        : null,
      row === kept ? keptNote : null,
    ];
    await setState(trx, row, 'loaded', why.filter(Boolean).join('; ') || null);
    return;
  }
  const why = `${standing.length} returns claim this team for wave ${wave} from different respondents${kept ? ` (return ${kept.id} had been ${keptNote})` : ''}; resolve with \`census resolve\``;
  for (const { row } of standing) await setState(trx, row, 'conflict', why);
}
