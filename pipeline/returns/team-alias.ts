import type { Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { settleTeamWave, teamKeys } from './teams.ts';
import { assertWaveUnlocked } from '../db/audit-log.ts';

/**
 * A person's word that a name (at a host) is a given team: a 'confirmed' alias. Used for renamed or
 * re-hosted teams (`census teams alias`) and for a return said to be another team (`census resolve`).
 */
export type AliasOutcome =
  /** the name was unknown: now it leads to the team */
  | 'added'
  /** the name already led to the team: now marked confirmed */
  | 'confirmed'
  /** the name led to another team (one the new name had created): moved here, with that team's returns of that name */
  | 'moved'
  /** the name leads to another team and was left alone (a return decision binds the one return instead) */
  | 'held_by_other';

export interface AliasResult {
  outcome: AliasOutcome;
  otherTeam: string | null;
  movedReturns: string[];
  removedTeam: boolean;
}

export async function confirmAlias(
  trx: Transaction<Database>,
  input: {
    teamId: string;
    name: string;
    host: string | null;
    by: string;
    reason: string | null;
    now: Date;
    takeFromOther: boolean;
  },
): Promise<AliasResult> {
  const { nameKey, hostKey } = teamKeys(input.name, input.host);
  const confirmed = { method: 'confirmed' as const, confirmed_by: input.by, reason: input.reason };
  const held = await trx
    .selectFrom('team_alias')
    .select(['id', 'team_id'])
    .where('name_key', '=', nameKey)
    .where('host_key', '=', hostKey)
    .executeTakeFirst();
  const none = { otherTeam: null, movedReturns: [], removedTeam: false };
  if (!held) {
    await trx
      .insertInto('team_alias')
      .values({ team_id: input.teamId, name_key: nameKey, host_key: hostKey, created_at: input.now, ...confirmed })
      .execute();
    return { outcome: 'added', ...none };
  }
  const other = String(held.team_id);
  if (other === input.teamId) {
    await trx.updateTable('team_alias').set(confirmed).where('id', '=', String(held.id)).execute();
    return { outcome: 'confirmed', ...none };
  }
  if (!input.takeFromOther) return { outcome: 'held_by_other', otherTeam: other, movedReturns: [], removedTeam: false };
  const moved = await returnsNamed(trx, other, nameKey, hostKey);
  for (const wave of new Set(moved.map((r) => r.wave)))
    await assertWaveUnlocked(trx, wave, `moving returns of team ${other} to team ${input.teamId}`);
  await trx
    .updateTable('team_alias')
    .set({ team_id: input.teamId, ...confirmed })
    .where('id', '=', String(held.id))
    .execute();
  for (const r of moved) {
    await trx
      .updateTable('questionnaire_return')
      .set({ team_id: input.teamId, team_match: 'confirmed' })
      .where('id', '=', r.id)
      .execute();
  }
  for (const wave of [...new Set(moved.map((r) => r.wave))].sort()) {
    await settleTeamWave(trx, input.teamId, wave);
    await settleTeamWave(trx, other, wave);
  }
  return {
    outcome: 'moved',
    otherTeam: other,
    movedReturns: moved.map((r) => r.id),
    removedTeam: await removeIfEmpty(trx, other, input.teamId),
  };
}

/** The team's returns whose own name and host give this key: the ones that matched through it. */
async function returnsNamed(
  trx: Transaction<Database>,
  teamId: string,
  nameKey: string,
  hostKey: string,
): Promise<{ id: string; wave: number }[]> {
  const rows = await trx
    .selectFrom('questionnaire_return as r')
    .leftJoin('answer as n', (j) => j.onRef('n.return_id', '=', 'r.id').on('n.question_id', '=', 'team_name'))
    .leftJoin('answer as h', (j) => j.onRef('h.return_id', '=', 'r.id').on('h.question_id', '=', 'host_organisation'))
    .select(['r.id', 'r.wave', 'n.text_value as name', 'h.text_value as host'])
    .where('r.team_id', '=', teamId)
    .orderBy('r.id')
    .execute();
  const sameKey = (name: string | null, host: string | null): boolean => {
    if (name === null) return false;
    const k = teamKeys(name, host);
    return k.nameKey === nameKey && k.hostKey === hostKey;
  };
  return rows.filter((r) => sameKey(r.name, r.host)).map((r) => ({ id: String(r.id), wave: r.wave }));
}

/**
 * A team left with no return, decision or registration was only ever the new name's guess: drop it.
 * Its other names (the same name at a host written another way, or with none) were the same guess:
 * they now lead to the team the person named, so no empty team is left behind to be listed again.
 */
async function removeIfEmpty(trx: Transaction<Database>, teamId: string, into: string): Promise<boolean> {
  for (const table of ['questionnaire_return', 'return_decision', 'network_member'] as const) {
    const used = await trx
      .selectFrom(table)
      .select('team_id')
      .where('team_id', '=', teamId)
      .limit(1)
      .executeTakeFirst();
    if (used) return false;
  }
  await trx.updateTable('team_alias').set({ team_id: into }).where('team_id', '=', teamId).execute();
  // A pair said to be two teams means nothing once one of them is gone.
  await trx
    .deleteFrom('team_distinct')
    .where((eb) => eb.or([eb('team_a', '=', teamId), eb('team_b', '=', teamId)]))
    .execute();
  for (const table of ['team_alias', 'questionnaire_return', 'return_decision', 'network_member'] as const) {
    const used = await trx
      .selectFrom(table)
      .select('team_id')
      .where('team_id', '=', teamId)
      .limit(1)
      .executeTakeFirst();
    if (used) return false;
  }
  await trx.deleteFrom('team').where('id', '=', teamId).execute();
  return true;
}

/** The name and host a return gives for itself (its answers), for aliases and new teams. */
export async function statedIdentity(
  trx: Transaction<Database>,
  returnId: string,
): Promise<{ name: string | null; host: string | null }> {
  const rows = await trx
    .selectFrom('answer')
    .select(['question_id', 'text_value'])
    .where('return_id', '=', returnId)
    .where('question_id', 'in', ['team_name', 'host_organisation'])
    .execute();
  const get = (id: string): string | null => rows.find((r) => r.question_id === id)?.text_value ?? null;
  return { name: get('team_name'), host: get('host_organisation') };
}
