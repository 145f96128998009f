import type { AnswerValue, MissingReason, ParsedAnswer, RawValue } from '../answer.ts';
import { issue, type Issue, type IssueCode, type Location, type Severity } from '../issue.ts';
import type { Question } from '../question-list.ts';
import { normaliseText } from './normalise-text.ts';

/** Everything a type parser needs to read one answer and to word its issues. */
export interface ParseContext {
  question: Question;
  raw: RawValue;
  location: Location;
  wave: number;
}

export type TypeParser = (ctx: ParseContext) => ParsedAnswer;

const ADVICE = 'Correct the answer in the return, or record a correction for this cell.';

/** The raw input as text, for an issue's `raw` field (the issue cuts it to length). */
function rawText(raw: RawValue): string {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString();
  return String(raw);
}

/** How a message names what was found: a quoted text, "the number 3.5", "a date (2025-03-01)". */
function describeRaw(raw: RawValue): string {
  if (typeof raw === 'string') return `"${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}"`;
  if (typeof raw === 'number') return `the number ${raw}`;
  if (typeof raw === 'boolean') return `the spreadsheet value ${raw ? 'TRUE' : 'FALSE'}`;
  if (raw instanceof Date)
    return Number.isNaN(raw.getTime()) ? 'an invalid date' : `a date (${raw.toISOString().slice(0, 10)})`;
  return 'nothing';
}

/** An issue about this answer, carrying location, raw text and question id. */
export function answerIssue(ctx: ParseContext, code: IssueCode, severity: Severity, message: string): Issue {
  const q = ctx.question;
  return issue(code, severity, `"${q.label}" (${q.id}): ${message}`, ctx.location, {
    raw: rawText(ctx.raw),
    questionId: q.id,
  });
}

/**
 * The answer cannot be read: stored as missing (unreadable), the raw text kept on the issue.
 * `expected` says what would have been accepted; the message always ends with what to do.
 */
export function unreadable(
  ctx: ParseContext,
  code: IssueCode,
  expected: string,
  opts: { severity?: Severity; found?: string; advice?: string } = {},
): ParsedAnswer {
  const found = opts.found ?? describeRaw(ctx.raw);
  const msg = `found ${found}; expected ${expected}. ${opts.advice ?? ADVICE}`;
  return {
    value: { kind: 'missing', reason: 'unreadable' },
    issues: [answerIssue(ctx, code, opts.severity ?? 'error', msg)],
  };
}

export function ok(value: AnswerValue, issues: Issue[] = []): ParsedAnswer {
  return { value, issues };
}

const MISSING_SPELLINGS: ReadonlyArray<[MissingReason, readonly string[]]> = [
  ['not_applicable', ['n/a', 'na', 'n.a', 'n a', 'not applicable']],
  ['not_known', ['not known', 'unknown', "don't know", 'dont know', 'do not know', 'not sure']],
  ['prefer_not_to_say', ['prefer not to say', 'prefer not to answer', "i'd prefer not to say"]],
];
const MISSING_BY_TEXT = new Map<string, MissingReason>(
  MISSING_SPELLINGS.flatMap(([reason, spellings]) => spellings.map((s): [string, MissingReason] => [s, reason])),
);

/**
 * The stated-missing reason of a raw value, or null when it is an answer to read.
 * `knownIsAnswer`: for yes_no questions listing "Don't know" as a code, those words are an answer.
 */
export function missingReason(raw: RawValue, knownIsAnswer = false): MissingReason | null {
  if (raw === null || raw === undefined) return 'blank';
  if (typeof raw !== 'string') return null;
  // Only whitespace (and invisible characters) is blank: a lone "?" or "-" goes on to the type parser,
  // which reports it, because it may stand for "not known" or for zero and must not be guessed.
  if (/^[\s\u200B-\u200D\u2060\uFEFF\u00AD]*$/.test(raw)) return 'blank';
  const reason = MISSING_BY_TEXT.get(normaliseText(raw)) ?? null;
  if (reason === 'not_known' && knownIsAnswer) return null;
  return reason;
}

/** The spelling formatAnswer prints for each missing reason (read back by missingReason). */
export const MISSING_TEXT: Record<MissingReason, string> = {
  blank: '',
  not_applicable: 'n/a',
  not_known: 'not known',
  prefer_not_to_say: 'prefer not to say',
  unreadable: '',
};
