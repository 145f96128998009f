import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { ISSUE_CODES } from '../../schemas/issue-codes.ts';
import { teamCandidates } from './team-candidates.ts';

/**
 * Coverage of a wave (questionnaire.md "What a problem in a return does to it"; report.md section 8):
 *   - response: teams with a loaded return / teams in the wave's network (report_network: teams
 *     registered for the wave, teams loaded in an earlier wave and not registered as left, and the
 *     teams that returned);
 *   - item non-response per question, over the loaded returns: answered, not answered, of which
 *     unreadable (stored missing with reason `unreadable`, raw text kept), and answers kept as given
 *     but flagged: an answered question with an issue of severity warning or error whose code the
 *     catalogue files under `touches: 'row'` (answers of the return that contradict each other: babies
 *     under two above the families band, a wait order reversed, a staffing sum off). Notes on how one
 *     answer was read (a band spanning bands, an approximate year) and year-on-year changes are not flags;
 *   - files kept out, with their reason: every return not loaded (rejected: a file-level problem or
 *     withdrawn; superseded by a resubmission; in conflict) and every received file with a
 *     file-level error and no return (not a workbook, unreadable), or a byte-identical copy.
 */
interface QuestionCoverage {
  questionId: string;
  /** Loaded returns of the wave (every question has an answer row, missing or not). */
  teams: number;
  answered: number;
  notAnswered: number;
  unreadable: number;
  flagged: number;
}

interface KeptOutFile {
  file: string;
  part: number;
  state: string;
  reason: string;
}

export interface WaveCoverage {
  wave: number;
  network: number;
  returned: number;
  /** Teams of the network with no loaded return (census returns --missing). */
  missing: number;
  /**
   * Pairs of teams of this network that are possibly one team under two names (`census teams
   * candidates`), not yet tied or set apart by a person: the network may count each such team twice.
   */
  openCandidatePairs: number;
  questions: QuestionCoverage[];
  keptOut: KeptOutFile[];
}

/**
 * Issue codes about a file as a whole, or about its one table (no sheet holds the wave's questions: not a
 * return at all), that, raised at error severity or as an in-batch copy, leave the file with no return.
 */
const FILE_CODES = Object.entries(ISSUE_CODES)
  .filter(([, e]) => e.touches === 'file' || e.touches === 'table')
  .map(([code]) => code);

/** Codes of checks between the answers of one return: an answered question carrying one is flagged. */
const FLAG_CODES = Object.entries(ISSUE_CODES)
  .filter(([, e]) => e.touches === 'row')
  .map(([code]) => code);

/** Counts per question: unreadable answers, and answered questions flagged on the same file (and row of an export). */
async function questionCoverage(db: Kysely<Database>, wave: number): Promise<QuestionCoverage[]> {
  const rows = await sql<{
    question_id: string;
    teams: number;
    answered: number;
    unreadable: number;
    flagged: number;
  }>`
    select a.question_id,
           count(*)::int as teams,
           count(*) filter (where a.value_kind <> 'missing')::int as answered,
           count(*) filter (where a.value_kind = 'missing' and a.missing_reason = 'unreadable')::int as unreadable,
           count(*) filter (where a.value_kind <> 'missing' and exists (
             select 1 from data_issue i
             where i.sha256 = r.sha256 and i.wave = r.wave and i.question_id = a.question_id
               and i.severity in ('error', 'warning') and i.code = any(${FLAG_CODES}::text[])
               and (r.part = 0 or i.row_no is not distinct from a.row_no)
           ))::int as flagged
    from team_wave tw
    join questionnaire_return r on r.id = tw.return_id
    join answer a on a.return_id = r.id
    where tw.wave = ${wave}
    group by a.question_id
    order by a.question_id`.execute(db);
  return rows.rows.map((r) => ({
    questionId: r.question_id,
    teams: r.teams,
    answered: r.answered,
    notAnswered: r.teams - r.answered,
    unreadable: r.unreadable,
    flagged: r.flagged,
  }));
}

/** The answers of loaded returns that are flagged, by question: content keys (sha256 prefix + part) as the report cites returns. */
export async function flaggedAnswers(db: Kysely<Database>, wave: number): Promise<Map<string, Set<string>>> {
  const rows = await sql<{ question_id: string; sha256: string; part: number }>`
    select distinct a.question_id, r.sha256, r.part
    from team_wave tw
    join questionnaire_return r on r.id = tw.return_id
    join answer a on a.return_id = r.id
    join data_issue i on i.sha256 = r.sha256 and i.wave = r.wave and i.question_id = a.question_id
    where tw.wave = ${wave} and a.value_kind <> 'missing' and i.severity in ('error', 'warning')
      and i.code = any(${FLAG_CODES}::text[])
      and (r.part = 0 or i.row_no is not distinct from a.row_no)
    order by a.question_id, r.sha256, r.part`.execute(db);
  const out = new Map<string, Set<string>>();
  for (const r of rows.rows) {
    const set = out.get(r.question_id) ?? new Set<string>();
    set.add(`${r.sha256.slice(0, 16)}.${r.part}`);
    out.set(r.question_id, set);
  }
  return out;
}

async function keptOutFiles(db: Kysely<Database>, wave: number): Promise<KeptOutFile[]> {
  const returns = await sql<{ file: string; part: number; state: string; reason: string | null }>`
    select coalesce(f.original_name, left(r.sha256, 12)) as file, r.part, r.state, r.state_reason as reason
    from questionnaire_return r
    left join file_receipt f on f.sha256 = r.sha256 and f.wave = r.wave
    where r.wave = ${wave} and r.state <> 'loaded'
    order by 1, r.part`.execute(db);
  const out: KeptOutFile[] = returns.rows.map((r) => ({
    file: r.file,
    part: r.part,
    state: r.state,
    reason: r.reason ?? r.state,
  }));
  if (FILE_CODES.length === 0) return out;
  // Files with no return: refused or unreadable as a whole, or the same bytes as another file of the batch.
  const files = await sql<{ file: string; code: string; message: string }>`
    select i.file_name as file, i.code, min(i.message) as message
    from data_issue i
    where i.wave = ${wave} and i.code = any(${FILE_CODES}::text[])
      and (i.code = 'file_duplicate_in_batch'
           or (i.severity = 'error' and (i.sha256 is null or not exists (
                 select 1 from questionnaire_return r where r.sha256 = i.sha256 and r.wave = i.wave))))
    group by i.file_name, i.code
    order by 1, 2`.execute(db);
  const listed = new Set(out.map((o) => o.file));
  const byFile = new Map<string, string[]>();
  for (const f of files.rows) {
    if (listed.has(f.file)) continue;
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), `${f.code}: ${f.message}`]);
  }
  for (const [file, reasons] of byFile)
    out.push({
      file,
      part: 0,
      state: reasons.every((r) => r.startsWith('file_duplicate_in_batch')) ? 'copy' : 'not read',
      reason: reasons.join('; '),
    });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.part - b.part));
}

export async function waveCoverage(db: Kysely<Database>, wave: number): Promise<WaveCoverage> {
  const net = await sql<{ network: number; returned: number }>`
    select count(*)::int as network, count(*) filter (where returned)::int as returned
    from report_network where wave = ${wave}`.execute(db);
  const { network, returned } = net.rows[0] ?? { network: 0, returned: 0 };
  const members = await sql<{ team_id: number }>`
    select team_id from report_network where wave = ${wave}`.execute(db);
  const inNetwork = new Set(members.rows.map((r) => String(r.team_id)));
  const pairs = (await teamCandidates(db)).filter((p) => inNetwork.has(p.keep.id) && inNetwork.has(p.other.id));
  return {
    wave,
    network,
    returned,
    missing: network - returned,
    openCandidatePairs: pairs.length,
    questions: await questionCoverage(db, wave),
    keptOut: await keptOutFiles(db, wave),
  };
}
