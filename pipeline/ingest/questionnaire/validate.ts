import { issue, type Issue } from '../../../schemas/issue.ts';
import type { Question, QuestionList } from '../../../schemas/question-list.ts';
import type { AnswerValue, ExtractedAnswer } from '../../../schemas/answer.ts';
import { parseAnswer, parseOptionFlag } from '../../../schemas/answers/index.ts';
import type {
  Extraction,
  ExtractedReturn,
  ValidatedAnswer,
  ValidatedReturn,
  Validation,
} from '../../../schemas/stage.ts';
import { crossFieldIssues } from './checks.ts';

/**
 * validate: turns each extracted answer into its stored form with the wave's zod-backed parsers,
 * and returns every issue (never only the first). A question the return does not hold is kept as
 * missing (blank) so denominators can count it.
 */
export interface ValidateOptions {
  /** Load a return whose wave stamp or Date completed says another wave (census ingest --accept-wave-stamp). */
  acceptWaveStamp?: boolean;
}

export function validate(ex: Extraction, list: QuestionList, opts: ValidateOptions = {}): Validation {
  // A label that matched no question is not a missing answer: while a file has unmatched labels, a
  // required question it seems not to answer is reported by those labels (label_unmatched, to map),
  // never as required_missing.
  const unmatched = [...ex.issues, ...ex.returns.flatMap((r) => r.issues)].some((i) => i.code === 'label_unmatched');
  const returns = ex.returns.map((r) => validateReturn(r, list, ex.file, opts));
  if (unmatched) for (const r of returns) r.issues = r.issues.filter((i) => i.code !== 'required_missing');
  return { file: ex.file, returns, issues: ex.issues };
}

/**
 * The wave a return says it belongs to when that is not `list.wave`, or null. Read from the
 * template's About "Wave" stamp first; then from its Date completed (either one saying another wave is enough): a return cannot be completed
 * before its wave's reporting period ended, and a date two or more years away from the wave belongs
 * to another one (a return for wave W is completed in W-1 to W+1).
 */
function otherWave(
  list: QuestionList,
  stamp: string | undefined,
  dateCompleted: string | null,
): { wave: number; from: 'stamp' | 'date' } | null {
  const stamped = /^\s*(?:wave\s*)?((?:19|20)\d\d)(?:\.0+)?\s*$/i.exec(stamp ?? '');
  if (stamped) {
    const w = Number(stamped[1]);
    if (w !== list.wave) return { wave: w, from: 'stamp' };
  }
  if (!dateCompleted) return null;
  const year = Number(dateCompleted.slice(0, 4));
  const beforePeriodEnd = list.reportingPeriod !== undefined && dateCompleted <= list.reportingPeriod.end;
  if (beforePeriodEnd || Math.abs(year - list.wave) >= 2) return { wave: year, from: 'date' };
  return null;
}

const DATE_QUESTION: Question = {
  id: 'date_completed',
  label: 'Date completed',
  section: 'About',
  type: 'date',
  aliases: [],
  extraCodes: [],
  sheet: 'Questionnaire',
  personal: false,
  required: false,
  checks: [],
};

function rawText(raw: ExtractedAnswer['raw']): string | null {
  if (raw === null) return null;
  return raw instanceof Date ? raw.toISOString() : String(raw);
}

const isOther = (o: { code: string; label: string }): boolean => o.code === 'other' || /^other\b/i.test(o.label);

function validateMulti(q: Question, entries: ExtractedAnswer[], issues: Issue[], wave: number): ValidatedAnswer {
  const whole = entries.find((e) => e.optionCode === undefined);
  if (whole) {
    const p = parseAnswer(q, whole.raw, whole.location, { wave });
    issues.push(...p.issues);
    return {
      questionId: q.id,
      value: p.value,
      rawText: rawText(whole.raw),
      location: whole.location,
      match: whole.match,
    };
  }
  const codes: string[] = [];
  const texts: string[] = [];
  for (const o of q.options ?? []) {
    const e = entries.find((x) => x.optionCode === o.code);
    if (!e) continue;
    // A survey tool may write the option's synonym as the tick ("ICB" for the NHS commissioner).
    const flags = [o.label, ...o.synonyms].map((l) => parseOptionFlag(e.raw, l));
    let flag = flags.includes('yes') ? 'yes' : flags[0]!;
    // "Other (please specify): Barnardo's grant" typed into Other's tick cell: what the other source is, so
    // Other is ticked (the text kept, and said).
    const typed = rawText(e.raw)?.trim() ?? '';
    if (
      flag === 'unreadable' &&
      isOther(o) &&
      /\p{L}{3}/u.test(typed) &&
      !/^(?:no|none|n\/?a|nil|false)\b/i.test(typed)
    ) {
      flag = 'yes';
      issues.push(
        issue(
          'option_as_other',
          'warning',
          `"${typed.slice(0, 80)}" was typed for the option "${o.label}": read as ticked, the text kept. Record a correction if it was not meant as a tick.`,
          e.location,
          { raw: typed, questionId: q.id },
        ),
      );
    }
    if (e.raw !== null) texts.push(`${o.code}=${rawText(e.raw)}`);
    if (flag === 'yes') codes.push(o.code);
    if (flag === 'unreadable') {
      issues.push(
        issue(
          'option_flag_unreadable',
          'error',
          `"${rawText(e.raw)}" is not a Yes or a blank for the option "${o.label}". Answer Yes, or leave the cell blank.`,
          e.location,
          { raw: rawText(e.raw) ?? '', questionId: q.id },
        ),
      );
    }
  }
  const first = entries[0]!;
  const value: AnswerValue = codes.length ? { kind: 'codes', codes } : { kind: 'missing', reason: 'blank' };
  return {
    questionId: q.id,
    value,
    rawText: texts.length ? texts.join('; ') : null,
    location: { ...first.location, cell: undefined, column: undefined },
    match: first.match,
  };
}

// "TEST - please ignore", "test response", "Testing", "dummy entry", "do not use".
const TEST_RESPONSE = /^\s*(?:test(?:ing)?\b|dummy\b)|\bplease ignore\b|\bdo not use\b|^\s*(?:xxx+|asdf)/i;

function validateReturn(
  r: ExtractedReturn,
  list: QuestionList,
  file: Extraction['file'],
  opts: ValidateOptions,
): ValidatedReturn {
  const fileHash = file.hash;
  const quoted = JSON.stringify(file.originalName);
  const issues: Issue[] = [...r.issues];
  const byQ = new Map<string, ExtractedAnswer[]>();
  for (const a of r.answers) byQ.set(a.questionId, [...(byQ.get(a.questionId) ?? []), a]);
  const answers: ValidatedAnswer[] = [];
  for (const q of list.questions) {
    const entries = byQ.get(q.id) ?? [];
    if (entries.length === 0) {
      answers.push({
        questionId: q.id,
        value: { kind: 'missing', reason: 'blank' },
        rawText: null,
        location: { fileHash },
        match: null,
      });
      continue;
    }
    if (q.type === 'multi') {
      answers.push(validateMulti(q, entries, issues, list.wave));
      continue;
    }
    const e = entries[0]!;
    const p = parseAnswer(q, e.raw, e.location, { wave: list.wave });
    issues.push(...p.issues);
    answers.push({ questionId: q.id, value: p.value, rawText: rawText(e.raw), location: e.location, match: e.match });
  }
  issues.push(...crossFieldIssues(list, answers));
  // A survey tool's test response ("TEST - please ignore"): no team sent it, so it is kept out of the wave.
  const team = answers.find((a) => a.questionId === 'team_name');
  if (team?.rawText && TEST_RESPONSE.test(team.rawText))
    issues.push(
      issue(
        'test_response',
        'error',
        `The team name "${team.rawText.slice(0, 80)}" marks a test response, not a team's return; it was kept out of the wave and of the network. Nothing to do for a test.`,
        team.location,
        { questionId: 'team_name', raw: team.rawText },
      ),
    );

  let dateCompleted: string | null = null;
  if (r.meta.dateCompleted !== undefined && r.meta.dateCompleted !== null) {
    const p = parseAnswer(DATE_QUESTION, r.meta.dateCompleted, r.meta.dateCompletedLocation ?? { fileHash }, {
      wave: list.wave,
    });
    if (p.value.kind === 'date') dateCompleted = p.value.iso;
    else issues.push(...p.issues.map((i) => ({ ...i, severity: 'warning' as const })));
  }
  let templateVersion: string | null = r.meta.templateVersion?.trim() || null;
  const other = otherWave(list, r.meta.waveStamp, dateCompleted);
  if (other && !opts.acceptWaveStamp) {
    const said =
      other.from === 'stamp'
        ? `its About sheet says wave ${other.wave}${templateVersion ? ` (template version ${templateVersion})` : ''}${dateCompleted ? `, completed ${dateCompleted}` : ''}`
        : `it was completed on ${dateCompleted}, which belongs to wave ${other.wave}, not ${list.wave}`;
    issues.push(
      issue(
        'wrong_wave',
        'error',
        `This file is not a wave ${list.wave} return: ${said}. It was kept out of wave ${list.wave}. To load it where it belongs: census ingest ${quoted} --wave ${other.wave}; if it really is a ${list.wave} return made from an old template: census ingest ${quoted} --wave ${list.wave} --accept-wave-stamp.`,
        (other.from === 'stamp' ? r.meta.waveStampLocation : r.meta.dateCompletedLocation) ?? { fileHash },
        { raw: other.from === 'stamp' ? (r.meta.waveStamp ?? '') : (dateCompleted ?? '') },
      ),
    );
  } else if (list.shape === 'template' && templateVersion !== list.templateVersion) {
    issues.push(
      issue(
        'template_version_mismatch',
        'warning',
        `The return's template version is "${templateVersion ?? '(none)'}", not "${list.templateVersion}". It loads when its questions match; check it was made from the ${list.wave} template.`,
        r.meta.templateVersionLocation ?? { fileHash },
        { raw: templateVersion ?? '' },
      ),
    );
  }
  if (templateVersion === '') templateVersion = null;
  return { part: r.part, answers, issues, templateVersion, dateCompleted };
}
