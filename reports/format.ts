/**
 * Deterministic number formatting for the report, following en-GB conventions (comma thousands
 * separator, full stop decimal point, hyphen-minus sign). Implemented by hand rather than with
 * Intl.NumberFormat so an ICU upgrade or a different Node build cannot change a published figure.
 * Nothing here throws: a value that is not a finite number prints as "[x]" (not available).
 */
import type { Bounds } from './intervals.ts';

const NOT_AVAILABLE = '[x]';

/**
 * Rounds half away from zero (2.5 -> 3, -2.5 -> -3), the rule readers expect from school and from
 * Excel's ROUND. The value is first cut to 15 significant digits so a decimal half that binary
 * floating point stores just below it (0.045 * 100 = 4.499999999999999) still rounds up.
 */
export function roundHalfAwayFromZero(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  const factor = 10 ** digits;
  const raw = Math.abs(x) * factor;
  // From 1e15 up doubles are spaced 0.125 or wider, so there is no representation error to undo.
  const scaled = raw < 1e15 ? Number(raw.toPrecision(15)) : raw;
  const whole = Math.floor(scaled);
  // Comparing the exact fraction avoids scaled + 0.5, which itself rounds above 2^52.
  const rounded = (Math.sign(x) * (scaled - whole >= 0.5 ? whole + 1 : whole)) / factor;
  return rounded === 0 ? 0 : rounded; // no "-0"
}

function group(digitsOnly: string): string {
  return digitsOnly.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "4,400", or with `digits` decimals "2.5"; fixed number of decimals so columns line up. */
export function formatNumber(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return NOT_AVAILABLE;
  const d = Math.min(Math.max(Math.trunc(digits), 0), 20);
  const r = roundHalfAwayFromZero(n, d);
  const fixed = Math.abs(r).toFixed(d);
  if (fixed.includes('e')) return (r < 0 ? '-' : '') + fixed; // beyond 1e21: no grouping possible
  const [whole = '0', frac] = fixed.split('.');
  return (r < 0 ? '-' : '') + group(whole) + (frac === undefined ? '' : `.${frac}`);
}

export function formatCount(n: number): string {
  return formatNumber(n, 0);
}

function isOpenHigh(high: number | null): boolean {
  return high === null || high === Number.POSITIVE_INFINITY;
}

/**
 * "4,400 to 6,500"; one number when both ends print the same; "over 2,000" for an open high, the
 * number being the low end (report.md and questionnaire.md: "over 2,000" is a sum of low bounds).
 */
export function formatRange(b: Bounds, digits = 0): string {
  const low = formatNumber(b.low, digits);
  if (low === NOT_AVAILABLE) return NOT_AVAILABLE;
  if (isOpenHigh(b.high)) return `over ${low}`;
  const high = formatNumber(b.high as number, digits);
  if (high === NOT_AVAILABLE) return NOT_AVAILABLE;
  return low === high ? low : `${low} to ${high}`;
}

/**
 * Decimals of one end of a percentage: one decimal below 10% (so "4.1% to 5.9%" stays a range
 * instead of rounding to "4-6%" or "0 to 1"), otherwise `digits` (the build parameter).
 */
export function percentDigitsOf(x: number, digits = 0): number {
  return Number.isFinite(x) && Math.abs(x) < 10 ? Math.max(digits, 1) : digits;
}

/** A percentage range without the sign: "4.1 to 5.9", "45", "over 4.0"; each end rounded on its own. */
export function formatPercentNumber(p: Bounds | number, digits = 0): string {
  const b = typeof p === 'number' ? { low: p, high: p } : p;
  const low = formatNumber(b.low, percentDigitsOf(b.low, digits));
  if (low === NOT_AVAILABLE) return NOT_AVAILABLE;
  if (isOpenHigh(b.high)) return `over ${low}`;
  const high = formatNumber(b.high as number, percentDigitsOf(b.high as number, digits));
  if (high === NOT_AVAILABLE) return NOT_AVAILABLE;
  return low === high ? low : `${low} to ${high}`;
}

/**
 * Percentages given in percent units (percentOf output): "45%", "4.1%" (one decimal below 10%), a
 * range "4.1% to 5.9%" with each end rounded separately (report.md "Conventions"), "over 4.0%" when
 * open.
 */
export function formatPercent(p: Bounds | number, digits = 0): string {
  const text = formatPercentNumber(p, digits);
  if (text === NOT_AVAILABLE) return NOT_AVAILABLE;
  return text.includes(' to ') ? `${text.replace(' to ', '% to ')}%` : `${text}%`;
}

export interface Noun {
  readonly one: string;
  readonly other: string;
}

export const TEAMS: Noun = { one: 'team', other: 'teams' };
export const TRUSTS: Noun = { one: 'trust', other: 'trusts' };

/**
 * "of 45 teams that answered (4 did not answer)". The non-answer count is always printed, even
 * when 0, because report.md asks for it to be shown with every percentage.
 */
export function formatDenominator(
  answered: number,
  notAnswered: number,
  noun: Noun = TEAMS,
  leftOut: { unreadable?: number; leftOut?: number } = {},
): string {
  const word = answered === 1 ? noun.one : noun.other;
  // questionnaire.md: the report says how many answers are unreadable or flagged and left out, beside the figure.
  const why = [
    leftOut.unreadable ? `${formatCount(leftOut.unreadable)} unreadable` : null,
    leftOut.leftOut
      ? `${formatCount(leftOut.leftOut)} flagged answer${leftOut.leftOut === 1 ? '' : 's'} left out`
      : null,
  ].filter((x): x is string => x !== null);
  const detail = why.length ? `, of which ${why.join(' and ')}` : '';
  return `of ${formatCount(answered)} ${word} that answered (${formatCount(notAnswered)} did not answer${detail})`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2026-03-05" as "5 March 2026" (the style of official statistics releases; no locale, no clock). */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}
