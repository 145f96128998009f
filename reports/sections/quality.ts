import { ISSUE_CODES } from '../../schemas/issue-codes.ts';
import type { Row } from '../csv.ts';
import { formatPercent } from '../format.ts';
import { percentOf, point } from '../intervals.ts';
import { roundBounds } from '../protect.ts';
import type { WaveData } from '../input.ts';
import type { FoiData } from '../input.ts';
import { REPLIED } from '../foi-measures.ts';
import { Section, type Env, type SectionOut } from '../model.ts';
import { byText } from '../order.ts';

const TOP_MISSING = 10;

/** report.md section 8: response rates, questions most often unanswered, validation issues by code, corrections. */
/** An issue code in words for readers (the catalogue's meaning), never the code itself. */
function issueMeaning(code: string): string {
  const entry = (ISSUE_CODES as Record<string, { meaning?: string }>)[code];
  // A meaning that names a setting or a code (limits.maxFileBytes, a_b) is not for readers either.
  const plain = entry?.meaning && !/[a-z]_[a-z]|`|\b[a-z]+\.[a-z]+[A-Z]/.test(entry.meaning) ? entry.meaning : null;
  const text = plain ?? code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/\.$/, '');
}

export async function qualitySection(
  env: Env,
  d: WaveData,
  foi: FoiData | null,
  corrections: { wave: number; kind: string; corrections: number }[],
): Promise<SectionOut> {
  const s = new Section('quality', '8. Data quality annex', env);
  const digits = env.params.percentDigits;
  const rateDef = s.def(
    'response_rate',
    "Questionnaire: teams with a loaded return / teams in the wave's network (teams registered for the wave, teams loaded in an earlier wave and not registered as left, and teams that returned). FOI: trusts that replied (answered, partly, refused or not held) / trusts asked.",
  );
  const network = d.network.length;
  const returned = d.network.filter((n) => n.returned).length;
  const rate = network > 0 ? roundBounds(percentOf(point(returned), network), digits) : null;
  s.figure({
    id: 'quality.response_rate',
    label: `Questionnaire response rate, wave ${d.wave}`,
    value: rate,
    ...(rate ? {} : { status: 'x' as const }),
    text: rate ? formatPercent(rate, digits) : '[x]',
    unit: 'percent',
    denominator: { answered: network, notAnswered: 0, of: 'teams' },
    definition: rateDef,
    records: d.teams.map((t) => `return:${t.returnId}`),
  });
  let line = `Questionnaire: ${returned} of ${network} teams in the network sent a return that counts (${rate ? formatPercent(rate, digits) : '[x]'}).`;
  if (foi && foi.requests.length > 0) {
    const replied = foi.requests.filter((r) => REPLIED.has(foi.status.get(r.requestId)?.status ?? '')).length;
    const foiRate = roundBounds(percentOf(point(replied), foi.requests.length), digits);
    s.figure({
      id: 'quality.foi_response_rate',
      label: `FOI response rate, wave ${foi.wave}`,
      value: foiRate,
      text: formatPercent(foiRate, digits),
      unit: 'percent',
      denominator: { answered: foi.requests.length, notAnswered: 0, of: 'trusts' },
      definition: rateDef,
      records: foi.requests.map((r) => `foi_request:${r.requestId}`),
    });
    line += ` FOI wave ${foi.wave}: ${replied} of ${foi.requests.length} trusts replied (${formatPercent(foiRate, digits)}) as of ${foi.referenceDate}.`;
  }
  s.para(line);

  const asked = new Set(d.list.questions.filter((q) => !q.personal).map((q) => q.id));
  const missing = [...d.coverage.entries()]
    .filter(([q]) => asked.has(q))
    .sort(([qa, a], [qb, b]) => b.notAnswered - a.notAnswered || byText(qa, qb))
    .slice(0, TOP_MISSING);
  const label = (q: string) => d.list.questions.find((x) => x.id === q)?.label ?? q;
  await s.bars(
    {
      title: `Questions most often not answered, wave ${d.wave}`,
      denominator: `of ${d.teams.length} teams with a loaded return`,
      source: env.source,
      xTitle: 'Teams that did not answer',
      yTitle: 'Question',
      integer: true,
      bars: missing.map(([q, c]) => ({ label: label(q), value: c.notAnswered })),
    },
    (t) =>
      `${t.names} ${t.labels.length > 1 ? 'are the questions' : 'is the question'} most often not answered (${t.text} teams${t.labels.length > 1 ? ' each' : ''}).`,
    'A missing answer is a blank, "n/a", "not known" or an answer that could not be read (it keeps its raw text and raises an issue).',
  );
  s.table({
    name: 'missing_answers',
    title: `Questions with the most missing answers, wave ${d.wave}`,
    columns: [
      { key: 'question', header: 'Question', kind: 'text' },
      // Question ids are for the people running the census, not for readers of the release.
      ...(env.publicBuild ? [] : [{ key: 'id', header: 'Question id', kind: 'text' as const }]),
      { key: 'answered', header: 'Answered', kind: 'number' },
      { key: 'missing', header: 'Not answered', kind: 'number' },
    ],
    rows: missing.map(([q, c]): Row => ({ question: label(q), id: q, answered: c.answered, missing: c.notAnswered })),
    notes: [
      `The ${TOP_MISSING} questions with the most teams not answering, of ${d.teams.length} teams with a loaded return.`,
    ],
  });
  s.table({
    name: 'issues_by_code',
    title: `Validation issues by kind, wave ${d.wave}`,
    columns: [
      { key: 'severity', header: 'Severity', kind: 'text' },
      { key: 'code', header: env.publicBuild ? 'Problem found' : 'Code', kind: 'text' },
      { key: 'issues', header: 'Issues', kind: 'number' },
      { key: 'files', header: 'Files', kind: 'number' },
    ],
    rows: d.issues.map((i): Row => ({
      severity: i.severity,
      code: env.publicBuild ? issueMeaning(i.code) : i.code,
      issues: i.issues,
      files: i.files,
    })),
    notes: [
      env.publicBuild
        ? 'Every issue found in the files received for the wave, including files whose return was rejected or superseded; each was checked against the file and, where needed, settled with the team.'
        : 'Every issue found in the files received for the wave, including files whose return was rejected or superseded; `census issues` lists each one with its file and cell.',
    ],
  });
  const states = ['loaded', 'superseded', 'conflict', 'rejected'];
  s.table({
    name: 'returns_by_state',
    title: `Returns received by state, wave ${d.wave}`,
    columns: [
      { key: 'state', header: 'State', kind: 'text' },
      { key: 'returns', header: 'Returns', kind: 'number' },
    ],
    rows: states.map((st): Row => ({ state: st, returns: d.returnStates.get(st) ?? 0 })),
    notes: [
      'Only loaded returns feed a figure; a superseded return was replaced by a resubmission, a conflict awaits a person, a rejected return has errors.',
    ],
  });
  s.table({
    name: 'corrections',
    title: 'Corrections made by people after loading',
    columns: [
      { key: 'wave', header: 'Wave', kind: 'text' },
      { key: 'kind', header: 'Kind', kind: 'text' },
      { key: 'corrections', header: 'Corrections', kind: 'number' },
    ],
    rows: corrections.map((c): Row => ({
      wave: String(c.wave),
      kind: c.kind.replace(/_/g, ' '),
      corrections: c.corrections,
    })),
    notes: [
      env.publicBuild
        ? 'Decisions people made on returns (which team a return belongs to) and FOI values they corrected; each is recorded with the build.'
        : 'Decisions on returns (census resolve) and corrected FOI values; each is hashed in manifest.json.',
    ],
  });
  return s.out();
}
