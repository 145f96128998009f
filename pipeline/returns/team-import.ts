import type { Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import type { TeamList } from '../../sources/questionnaire/team-list.ts';
import { recordAudit } from '../db/audit-log.ts';
import { resolveTeam, teamKeys } from './teams.ts';
import { registerMember } from './network.ts';

interface TeamImportRow {
  row: number;
  name: string;
  teamId: string;
  newTeam: boolean;
  /** How the team was found: its name and host, its name alone (one known team has it), or new. */
  match: string;
  fromWave: number;
  toWave: number | null;
  /** added: a new registration; unchanged: the same registration (team, from, to) was already there. */
  outcome: 'added' | 'unchanged';
}

export interface TeamImportOutcome {
  file: string;
  sha256: string;
  rows: TeamImportRow[];
  bad: { row: number; message: string }[];
  added: number;
  unchanged: number;
}

/**
 * Registers every good row of a team list in the network (census teams import), in one transaction:
 * the team by name and host (a known name at that host is that team, else a new team, as
 * `census teams add --name`; a name that leads to exactly one known team, whatever its host, is that team), from the row's first wave (else `defaultFrom`) to its last wave.
 * Idempotent: a registration with the same team, first and last wave is not added again, so
 * importing the same list twice changes nothing. Bad rows are returned, never imported. One audit
 * record per import that changed something.
 */
export async function importTeamList(
  db: Kysely<Database>,
  input: {
    list: TeamList;
    file: string;
    sha256: string;
    defaultFrom: number | null;
    by: string;
    now: Date;
  },
): Promise<TeamImportOutcome> {
  const bad = [...input.list.problems];
  const good = input.list.rows.filter((r) => {
    if (r.fromWave === null && input.defaultFrom === null) {
      bad.push({ row: r.row, message: `no first wave for team "${r.name}": add a From column or give --from W` });
      return false;
    }
    const from = r.fromWave ?? input.defaultFrom!;
    if (r.toWave !== null && r.toWave < from) {
      bad.push({ row: r.row, message: `last wave ${r.toWave} is before first wave ${from} (team "${r.name}")` });
      return false;
    }
    return true;
  });
  bad.sort((a, b) => a.row - b.row);
  const rows = await db.transaction().execute(async (trx) => {
    const out: TeamImportRow[] = [];
    for (const r of good) {
      const from = r.fromWave ?? input.defaultFrom!;
      // A list often names the host differently from the returns, or not at all: a name that leads to
      // exactly one known team (whatever host) is that team; otherwise name + host as returns give them.
      const { nameKey, hostKey } = teamKeys(r.name, r.host);
      const byName = await trx
        .selectFrom('team_alias')
        .select(['team_id', 'host_key'])
        .distinct()
        .where('name_key', '=', nameKey)
        .execute();
      const teamIds = [...new Set(byName.map((a) => String(a.team_id)))];
      const exact = byName.find((a) => a.host_key === hostKey);
      const team =
        !exact && teamIds.length === 1
          ? { teamId: teamIds[0]!, match: 'name' as const }
          : await resolveTeam(trx, r.name, r.host, input.now);
      let q = trx
        .selectFrom('network_member')
        .select('id')
        .where('team_id', '=', team.teamId)
        .where('from_wave', '=', from);
      q = r.toWave === null ? q.where('to_wave', 'is', null) : q.where('to_wave', '=', r.toWave);
      const same = await q.executeTakeFirst();
      if (!same)
        await registerMember(trx, {
          teamId: team.teamId,
          fromWave: from,
          toWave: r.toWave,
          note: r.note ?? `imported from ${input.file}`,
          now: input.now,
        });
      out.push({
        row: r.row,
        name: r.name,
        teamId: team.teamId,
        newTeam: team.match === 'new',
        match: team.match,
        fromWave: from,
        toWave: r.toWave,
        outcome: same ? 'unchanged' : 'added',
      });
    }
    const added = out.filter((o) => o.outcome === 'added');
    if (added.length)
      await recordAudit(trx, {
        at: input.now,
        actor: input.by,
        action: 'network_import',
        detail: {
          file: input.file,
          sha256: input.sha256,
          added: added.length,
          newTeams: added.filter((o) => o.newTeam).length,
          unchanged: out.length - added.length,
          badRows: bad.map((b) => b.row),
          teams: added.map((o) => o.teamId),
        },
      });
    return out;
  });
  return {
    file: input.file,
    sha256: input.sha256,
    rows,
    bad,
    added: rows.filter((r) => r.outcome === 'added').length,
    unchanged: rows.filter((r) => r.outcome === 'unchanged').length,
  };
}
