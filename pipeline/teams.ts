import { sql, type Transaction } from 'kysely';
import type { Database, ReturnState } from '../schemas/db.ts';
import { normaliseLabel } from '../sources/shared/label-match.ts';

/**
 * Team identity across waves and renames: a return is tied to a team through team_alias
 * (normalised name + host). A person can add aliases (`census resolve`), recorded as 'confirmed'.
 */
export function teamKeys(name: string, host: string | null): { nameKey: string; hostKey: string } {
  return { nameKey: normaliseLabel(name), hostKey: host ? normaliseLabel(host) : '' };
}

export async function resolveTeam(
  trx: Transaction<Database>, name: string, host: string | null, now: Date,
): Promise<{ teamId: string; match: 'exact' | 'alias' | 'confirmed' | 'new' }> {
  const { nameKey, hostKey } = teamKeys(name, host);
  const found = await trx.selectFrom('team_alias').select(['team_id', 'method'])
    .where('name_key', '=', nameKey).where('host_key', '=', hostKey).executeTakeFirst();
  if (found) return { teamId: String(found.team_id), match: found.method };
  const team = await trx.insertInto('team').values({ name, host_organisation: host, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const alias = await trx.insertInto('team_alias')
    .values({ team_id: String(team.id), name_key: nameKey, host_key: hostKey, method: 'exact', created_at: now })
    .onConflict((oc) => oc.columns(['name_key', 'host_key']).doNothing())
    .returning('team_id').executeTakeFirst();
  if (alias) return { teamId: String(team.id), match: 'new' };
  // A concurrent load created the same team first: use theirs, drop ours.
  await trx.deleteFrom('team').where('id', '=', String(team.id)).execute();
  const again = await trx.selectFrom('team_alias').select(['team_id', 'method'])
    .where('name_key', '=', nameKey).where('host_key', '=', hostKey).executeTakeFirstOrThrow();
  return { teamId: String(again.team_id), match: again.method };
}

/**
 * Settles the returns of one team in one wave (questionnaire.md "Resubmissions and identity"):
 * one return is loaded; several from the same respondent are a resubmission, the latest by date
 * completed (else received) is loaded and the others superseded; several from different
 * respondents are a conflict and none is loaded until a person resolves it.
 */
export async function settleTeamWave(trx: Transaction<Database>, teamId: string, wave: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(2, ${Number(teamId)}::int)`.execute(trx);
  const rows = await trx.selectFrom('questionnaire_return as r')
    .leftJoin('respondent as p', 'p.return_id', 'r.id')
    .select(['r.id', 'r.date_completed', 'r.received_at', 'r.state', 'r.state_reason', 'p.email', 'p.name'])
    .where('r.team_id', '=', teamId).where('r.wave', '=', wave).where('r.state', '!=', 'rejected')
    .orderBy('r.id').execute();
  if (rows.length === 0) return;
  const set = async (id: string | number, state: ReturnState, reason: string | null): Promise<void> => {
    await trx.updateTable('questionnaire_return').set({ state, state_reason: reason }).where('id', '=', String(id)).execute();
  };
  const manual = rows.find((r) => r.state === 'loaded' && r.state_reason?.startsWith('resolved by '));
  if (rows.length === 1) { await set(rows[0]!.id, 'loaded', null); return; }
  if (manual) {
    for (const r of rows) if (r.id !== manual.id) await set(r.id, 'superseded', `superseded by return ${manual.id} (${manual.state_reason})`);
    return;
  }
  const who = (r: (typeof rows)[number]): string => (r.email ?? r.name ?? '').trim().toLowerCase();
  const sameRespondent = who(rows[0]!) !== '' && rows.every((r) => who(r) === who(rows[0]!));
  if (!sameRespondent) {
    for (const r of rows) await set(r.id, 'conflict', `${rows.length} returns claim this team for wave ${wave} from different respondents; resolve with \`census resolve\``);
    return;
  }
  const key = (r: (typeof rows)[number]): string => `${r.date_completed ?? new Date(r.received_at).toISOString().slice(0, 10)}|${new Date(r.received_at).toISOString()}|${String(r.id).padStart(12, '0')}`;
  const latest = [...rows].sort((a, b) => (key(a) < key(b) ? 1 : -1))[0]!;
  for (const r of rows) {
    if (r.id === latest.id) await set(r.id, 'loaded', `resubmission: latest of ${rows.length} returns (by ${latest.date_completed ? 'date completed' : 'time received'})`);
    else await set(r.id, 'superseded', `superseded by return ${latest.id}, completed or received later`);
  }
}
