import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';

/**
 * The network of a wave: the teams expected to send a return. Read as
 *   - every team with a loaded return in an earlier wave, unless a registration of it ended before
 *     this wave (the team closed or left), plus
 *   - every team registered with `census teams add` for a period covering this wave
 *     (from_wave <= W and (to_wave is null or to_wave >= W)).
 * A team that only ever sent rejected, superseded or conflicting returns is not in it until
 * registered or loaded once.
 */
export interface NetworkTeam {
  teamId: string;
  name: string;
  host: string | null;
  /** The latest earlier wave with a loaded return, if any. */
  lastWave: number | null;
  registered: boolean;
  /** This wave has a loaded return for the team. */
  returned: boolean;
}

async function networkTeams(db: Kysely<Database>, wave: number): Promise<NetworkTeam[]> {
  const rows = await sql<{
    team_id: number;
    name: string;
    host: string | null;
    last_wave: number | null;
    registered: boolean;
    returned: boolean;
  }>`
    with history as (
      select team_id, max(wave) as last_wave from team_wave where wave < ${wave} group by team_id
    ), registered as (
      select distinct team_id from network_member where from_wave <= ${wave} and (to_wave is null or to_wave >= ${wave})
    ), left_network as (
      select distinct team_id from network_member where to_wave < ${wave}
    ), network as (
      select team_id from registered
      union
      select team_id from history where team_id not in (select team_id from left_network)
    )
    select n.team_id, t.name, t.host_organisation as host, h.last_wave,
           n.team_id in (select team_id from registered) as registered,
           exists (select 1 from team_wave tw where tw.team_id = n.team_id and tw.wave = ${wave}) as returned
    from network n
    join team t on t.id = n.team_id
    left join history h on h.team_id = n.team_id
    order by t.name, n.team_id`.execute(db);
  return rows.rows.map((r) => ({
    teamId: String(r.team_id),
    name: r.name,
    host: r.host,
    lastWave: r.last_wave === null ? null : Number(r.last_wave),
    registered: r.registered,
    returned: r.returned,
  }));
}

/** Teams of the wave's network with no loaded return for it yet. */
export async function missingTeams(db: Kysely<Database>, wave: number): Promise<NetworkTeam[]> {
  return (await networkTeams(db, wave)).filter((t) => !t.returned);
}

export async function registerMember(
  trx: Transaction<Database>,
  m: { teamId: string; fromWave: number; toWave: number | null; note: string | null; now: Date },
): Promise<number> {
  const row = await trx
    .insertInto('network_member')
    .values({ team_id: m.teamId, from_wave: m.fromWave, to_wave: m.toWave, note: m.note, created_at: m.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
