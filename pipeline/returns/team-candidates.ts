import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import {
  areaNameForms,
  areasIn,
  comparePair,
  nameWords,
  reasonText,
  type CandidateReason,
  type TeamFacts,
} from './team-similarity.ts';

/**
 * `census teams candidates`: pairs of teams in the register that may be one team written two ways
 * (team-similarity.ts says when and why), each with the `census teams alias` commands that would tie
 * them. Nothing is merged here: until a person confirms a pair, the network may count that team twice
 * (the response rate's denominator is too high by the number of true pairs).
 */
export interface TeamCandidate {
  /** The team to keep: the one with the latest loaded wave (its name is the current one). */
  keep: CandidateTeam;
  /** The team whose names would lead to `keep`. */
  other: CandidateTeam;
  reasons: CandidateReason[];
  /** The reasons as sentences. */
  why: string[];
  score: number;
  /** One `census teams alias` per name (and host) the other team's returns give. */
  commands: string[];
  /** The `census teams distinct` command that records the pair as two teams instead. */
  distinct: string;
}

interface CandidateTeam {
  id: string;
  name: string;
  host: string | null;
  waves: number[];
}

/** reference/ of this checkout (bundled with the code, as the report reads it). */
const AREAS_CSV = fileURLToPath(new URL('../../reference/local_authorities.csv', import.meta.url));

let areaCache: { forms: Map<string, string>; codes: Map<string, string> } | null = null;

/** Name form -> area name, and ONS code -> area name, from reference/local_authorities.csv (read once). */
function lookup(): { forms: Map<string, string>; codes: Map<string, string> } {
  if (areaCache) return areaCache;
  const codes = new Map<string, string>();
  const forms = new Map<string, string>();
  for (const line of readFileSync(AREAS_CSV, 'utf8').split(/\r?\n/).slice(1)) {
    const m = /^([^,]+),("(?:[^"]|"")*"|[^,]*)/.exec(line);
    if (!m) continue;
    const name = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!;
    codes.set(m[1]!.trim().toUpperCase(), name);
    for (const f of areaNameForms(name)) if (!forms.has(f)) forms.set(f, name);
  }
  areaCache = { forms, codes };
  return areaCache;
}

/** How to write a value in a shell command line: double quotes, with ", $, ` and \ escaped. */
export function shellQuote(s: string): string {
  return `"${s.replace(/(["$`\\])/g, '\\$1')}"`;
}

interface Identity {
  name: string;
  host: string | null;
}

/** Every team of the register with what its returns say about it (names, hosts, nations, areas). */
async function teamFacts(
  db: Kysely<Database>,
): Promise<{ facts: TeamFacts[]; identities: Map<string, Identity[]>; teams: Map<string, CandidateTeam> }> {
  // Teams with a loaded return or a registration: a team whose returns were all kept out is in no network.
  const teams = await sql<{ id: number; name: string; host: string | null; waves: number[] | null }>`
    select t.id, t.name, t.host_organisation as host,
           (select array_agg(distinct tw.wave order by tw.wave) from team_wave tw where tw.team_id = t.id) as waves
    from team t
    where exists (select 1 from team_wave tw where tw.team_id = t.id)
       or exists (select 1 from network_member m where m.team_id = t.id)
    order by t.id`.execute(db);
  const answers = await sql<{
    team_id: number;
    return_id: number;
    question_id: string;
    text: string | null;
    codes: string[] | null;
  }>`
    select r.team_id, r.id as return_id, a.question_id, a.text_value as text, a.codes
    from questionnaire_return r
    join answer a on a.return_id = r.id
    where r.team_id is not null and r.state <> 'rejected'
      and a.question_id in ('team_name', 'host_organisation', 'nation', 'areas_covered')
      and a.value_kind <> 'missing'
    order by r.team_id, r.id, a.question_id`.execute(db);
  const { forms, codes } = lookup();
  const byTeam = new Map<string, { names: Map<string, Identity>; nations: Set<string>; areas: Set<string> }>();
  const perReturn = new Map<string, { team: string; name?: string; host?: string }>();
  for (const a of answers.rows) {
    const team = String(a.team_id);
    const t = byTeam.get(team) ?? { names: new Map(), nations: new Set<string>(), areas: new Set<string>() };
    byTeam.set(team, t);
    const r = perReturn.get(String(a.return_id)) ?? { team };
    perReturn.set(String(a.return_id), r);
    if (a.question_id === 'team_name' && a.text) r.name = a.text;
    if (a.question_id === 'host_organisation' && a.text) r.host = a.text;
    if (a.question_id === 'nation') for (const c of a.codes ?? (a.text ? [a.text] : [])) t.nations.add(c.toLowerCase());
    if (a.question_id === 'areas_covered')
      for (const item of a.codes ?? (a.text ? a.text.split(/[;,\n]/) : [])) {
        const code = codes.get(item.trim().toUpperCase());
        if (code) t.areas.add(code);
        else for (const x of areasIn(item, forms)) t.areas.add(x);
      }
  }
  for (const r of perReturn.values()) {
    if (!r.name) continue;
    const key = `${nameWords(r.name).join(' ')}|${r.host ? nameWords(r.host).join(' ') : ''}`;
    const t = byTeam.get(r.team)!;
    if (!t.names.has(key)) t.names.set(key, { name: r.name.trim(), host: r.host?.trim() ?? null });
  }
  const facts: TeamFacts[] = [];
  const identities = new Map<string, Identity[]>();
  const listed = new Map<string, CandidateTeam>();
  for (const row of teams.rows) {
    const id = String(row.id);
    const t = byTeam.get(id);
    const names = [...(t?.names.values() ?? [])];
    const areas = new Set(t?.areas ?? []);
    for (const n of [row.name, ...names.map((x) => x.name)]) for (const a of areasIn(n, forms)) areas.add(a);
    const waves = (row.waves ?? []).map(Number);
    // The register keeps the host of the first return; a 2019 return read before its host label was mapped gave none.
    const host = row.host ?? names.find((x) => x.host)?.host ?? null;
    facts.push({
      id,
      name: row.name,
      host,
      waves,
      nations: [...(t?.nations ?? [])].sort(),
      areas: [...areas].sort(),
    });
    identities.set(id, names.length ? names : [{ name: row.name, host: row.host }]);
    listed.set(id, { id, name: row.name, host, waves });
  }
  return { facts, identities, teams: listed };
}

/**
 * A person's word that two teams of the register are two teams, not one (`census teams distinct`):
 * the pair is no longer a candidate. Idempotent: saying it again keeps the first record.
 */
export async function markDistinct(
  trx: Transaction<Database>,
  input: { teamA: string; teamB: string; by: string; reason: string | null; now: Date },
): Promise<'added' | 'already'> {
  const [a, b] = Number(input.teamA) < Number(input.teamB) ? [input.teamA, input.teamB] : [input.teamB, input.teamA];
  const row = await trx
    .insertInto('team_distinct')
    .values({ team_a: a, team_b: b, decided_by: input.by, reason: input.reason, created_at: input.now })
    .onConflict((oc) => oc.columns(['team_a', 'team_b']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? 'added' : 'already';
}

/** Which of two teams to keep: the one with the latest loaded wave, then the more waves, then the older id. */
function keepFirst(a: CandidateTeam, b: CandidateTeam): [CandidateTeam, CandidateTeam] {
  const last = (t: CandidateTeam): number => (t.waves.length ? t.waves[t.waves.length - 1]! : 0);
  const d = last(b) - last(a) || b.waves.length - a.waves.length || Number(a.id) - Number(b.id);
  return d > 0 ? [b, a] : [a, b];
}

const pairKey = (a: string, b: string): string => (Number(a) < Number(b) ? `${a}:${b}` : `${b}:${a}`);

export async function teamCandidates(db: Kysely<Database>): Promise<TeamCandidate[]> {
  const { facts, identities, teams } = await teamFacts(db);
  const distinct = new Set(
    (await db.selectFrom('team_distinct').select(['team_a', 'team_b']).execute()).map((r) =>
      pairKey(String(r.team_a), String(r.team_b)),
    ),
  );
  const out: TeamCandidate[] = [];
  for (let i = 0; i < facts.length; i++) {
    for (let j = i + 1; j < facts.length; j++) {
      if (distinct.has(pairKey(facts[i]!.id, facts[j]!.id))) continue;
      const v = comparePair(facts[i]!, facts[j]!);
      if (!v) continue;
      const [keep, other] = keepFirst(teams.get(facts[i]!.id)!, teams.get(facts[j]!.id)!);
      const why = v.reasons.map((r) => reasonText(r, v));
      const commands = identities
        .get(other.id)!
        .map(
          (idn) =>
            `census teams alias --team ${keep.id} --name ${shellQuote(idn.name)}${idn.host ? ` --host ${shellQuote(idn.host)}` : ''} --by "YOUR NAME" --reason ${shellQuote(`same team as ${keep.name}`)}`,
        );
      const distinctCommand = `census teams distinct --team ${keep.id} --other ${other.id} --by "YOUR NAME" --reason "two teams"`;
      out.push({ keep, other, reasons: v.reasons, why, score: v.score, commands, distinct: distinctCommand });
    }
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      (a.keep.name < b.keep.name ? -1 : a.keep.name > b.keep.name ? 1 : 0) ||
      Number(a.other.id) - Number(b.other.id),
  );
}
