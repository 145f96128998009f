import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';

/** The team register as `census teams list` shows it: ids to use with resolve, alias and add. */
export interface TeamListing {
  id: string;
  name: string;
  host: string | null;
  /** Waves with a loaded return, ascending. */
  waves: number[];
  aliases: number;
  confirmedAliases: number;
  /** Registrations as "2025-" or "2019-2023". */
  registered: string[];
}

export async function listTeams(db: Kysely<Database>): Promise<TeamListing[]> {
  const rows = await sql<{
    id: number;
    name: string;
    host: string | null;
    waves: number[] | null;
    aliases: number;
    confirmed: number;
    registered: string[] | null;
  }>`
    select t.id, t.name, t.host_organisation as host,
           (select array_agg(distinct tw.wave order by tw.wave) from team_wave tw where tw.team_id = t.id) as waves,
           (select count(*)::int from team_alias a where a.team_id = t.id) as aliases,
           (select count(*)::int from team_alias a where a.team_id = t.id and a.method = 'confirmed') as confirmed,
           (select array_agg(m.from_wave || '-' || coalesce(m.to_wave::text, '') order by m.from_wave, m.id)
              from network_member m where m.team_id = t.id) as registered
    from team t
    order by t.name, t.id`.execute(db);
  return rows.rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    host: r.host,
    waves: (r.waves ?? []).map(Number),
    aliases: r.aliases,
    confirmedAliases: r.confirmed,
    registered: r.registered ?? [],
  }));
}
