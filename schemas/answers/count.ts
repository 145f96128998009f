import type { AnswerValue, ParsedAnswer } from '../answer.ts';
import { ok, unreadable, type ParseContext } from './common.ts';
import { normaliseText } from './normalise-text.ts';
import { INT, looksFractional, looksNegative, stripApprox, toInt } from './numbers.ts';

export type IntervalValue = Extract<AnswerValue, { kind: 'interval' }>;

export type CountText =
  | { ok: true; interval: IntervalValue }
  | { ok: false; code: 'count_unreadable' | 'count_negative' | 'count_not_whole' | 'count_range_reversed' };

type Bounds = [number, number | null] | 'reversed' | null;

// Each spelling of questionnaire.md's count row, plus the obvious variants of each.
const FORMS: ReadonlyArray<[RegExp, (a: number, b: number) => Bounds]> = [
  [new RegExp(`^${INT}$`), (a) => [a, a]],
  [new RegExp(`^(?:over|more than|greater than|above|>)\\s*${INT}$`), (a) => [a + 1, null]],
  [new RegExp(`^(?:>=|≥|at least|minimum of|min)\\s*${INT}$`), (a) => [a, null]],
  [new RegExp(`^${INT}\\s*(?:\\+|or more|or over|and over|and above|plus)$`), (a) => [a, null]],
  // "fewer than 0" describes no count at all.
  [new RegExp(`^(?:fewer than|less than|under|below|<)\\s*${INT}$`), (a) => (a === 0 ? null : [0, a - 1])],
  [new RegExp(`^(?:<=|≤|up to|at most|no more than|maximum of|max)\\s*${INT}$`), (a) => [0, a]],
  [new RegExp(`^${INT}\\s*(?:or fewer|or less|or under)$`), (a) => [0, a]],
  [new RegExp(`^(?:between\\s+)?${INT}\\s*(?:-|to)\\s*${INT}$`), (a, b) => (a > b ? 'reversed' : [a, b])],
  [new RegExp(`^between\\s+${INT}\\s+and\\s+${INT}$`), (a, b) => (a > b ? 'reversed' : [a, b])],
];

const ZERO_WORDS = new Set(['none', 'nil', 'zero']);
// A unit after the number adds nothing ("40 families", "24 months" for the age question).
const UNIT_SUFFIX =
  /\s+(?:families|family|referrals?|babies|baby|parents?|professionals?|people|staff|months?|per year|a year|per annum)$/;

/** Reads the text form of a count; also used by the band parser for numbers typed instead of a band. */
function parseCountText(text: string): CountText {
  const t = normaliseText(text);
  if (ZERO_WORDS.has(t)) return { ok: true, interval: interval(0, 0, false) };
  const { rest, approximate } = stripApprox(t);
  const body = rest.replace(UNIT_SUFFIX, '');
  for (const [re, make] of FORMS) {
    const m = re.exec(body);
    if (!m) continue;
    const a = toInt(m[1]!);
    const b = m[2] === undefined ? 0 : toInt(m[2]);
    if (a === null || b === null) return { ok: false, code: 'count_unreadable' };
    const bounds = make(a, b);
    if (bounds === 'reversed') return { ok: false, code: 'count_range_reversed' };
    if (bounds === null) return { ok: false, code: 'count_unreadable' };
    return { ok: true, interval: interval(bounds[0], bounds[1], approximate) };
  }
  if (looksNegative(body)) return { ok: false, code: 'count_negative' };
  if (looksFractional(body)) return { ok: false, code: 'count_not_whole' };
  return { ok: false, code: 'count_unreadable' };
}

function interval(low: number, high: number | null, approximate: boolean): IntervalValue {
  return { kind: 'interval', low, high, approximate, openHigh: high === null };
}

/** Reads a raw cell as a count: numbers as they are, text by parseCountText. */
export function readCount(raw: ParseContext['raw']): CountText {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, code: 'count_unreadable' };
    if (raw < 0) return { ok: false, code: 'count_negative' };
    if (!Number.isInteger(raw)) return { ok: false, code: 'count_not_whole' };
    if (!Number.isSafeInteger(raw)) return { ok: false, code: 'count_unreadable' };
    return { ok: true, interval: interval(raw + 0, raw + 0, false) }; // + 0 turns -0 into 0
  }
  if (typeof raw === 'string') return parseCountText(raw);
  return { ok: false, code: 'count_unreadable' };
}

const COUNT_EXPECTED =
  'a whole number of 0 or more (e.g. 40 or 2,150), or "approx 40", "over 100", "100+", "fewer than 25" or "20-30"';

const EXPECTED: Record<Exclude<CountText, { ok: true }>['code'], string> = {
  count_unreadable: COUNT_EXPECTED,
  count_negative: 'a count of 0 or more',
  count_not_whole: 'a whole number (a count has no fractions); give a range such as "2-3" if unsure',
  count_range_reversed: 'a range with the lower number first, e.g. "20-30"',
};

function countIssue(ctx: ParseContext, code: keyof typeof EXPECTED): ParsedAnswer {
  // exceljs hands back a Date when Excel turned a typed range like "1-2" into 1 February.
  const advice =
    ctx.raw instanceof Date
      ? 'Excel may have turned a range such as "1-2" into a date: retype the answer as text, or record a correction.'
      : undefined;
  return unreadable(ctx, code, EXPECTED[code], advice ? { advice } : {});
}

export function parseCount(ctx: ParseContext): ParsedAnswer {
  const r = readCount(ctx.raw);
  return r.ok ? ok(r.interval) : countIssue(ctx, r.code);
}
