import type { AgeBand, FoiFlag } from '../../schemas/foi.ts';
import { issue, type Location } from '../../schemas/issue.ts';
import { fail, normalise, ok, type Coded } from './coded.ts';
import { NUMBER, readNumber } from './numbers.ts';

/**
 * Age bands as trusts write them, in months (inclusive). Reading of "a-b" in years: half-open, a up to
 * the b-th birthday, as CAMHS write "0-18" for under eighteen and as FOI tables split "0-1", "1-2" so that
 * together they make under two. The one band where that reading and the inclusive one ("0-4" = ages 0 to
 * 4) disagree about the asked band is "0-2": it is coded [0, 23] but not exact, flagged band_mismatch with
 * an age_band_ambiguous warning, so it stays out of the under-two figures until a person accepts it.
 */

export interface AgeCode {
  band: AgeBand;
  flags: FoiFlag[];
}

const N = `(${NUMBER})`;
const MONTH_UNIT = '(?:months?|mths?|mo)\\b';
const YEAR_UNIT = '(?:years?(?:[- ]olds?)?|yrs?|yo|y)\\b';
const UNDER = '(?:under|younger than|less than|below|up to|<)';

const R = {
  allAges: /\ball ages\b/,
  underTwos: /\bunder[- ]?(?:twos|2s|two's|2's)(?!\w)/,
  underMonths: new RegExp(`${UNDER}\\s*${N}\\s*${MONTH_UNIT}`),
  rangeMonths: new RegExp(`(?<![\\d.])${N}\\s*(?:-|to)\\s*${N}\\s*${MONTH_UNIT}`),
  underYears: new RegExp(`${UNDER}\\s*${N}(?:\\s*${YEAR_UNIT})?`),
  rangeYears: new RegExp(`(?<![\\d.])${N}\\s*(?:-|to)\\s*${N}(?:\\s*${YEAR_UNIT})?`),
  aged: new RegExp(`(?:\\bage[ds]?\\s+${N}(?!\\s*(?:-|to)\\s*\\d)|${N}\\s*${YEAR_UNIT})`),
};

/** An age phrase inside a sentence: needs a unit or an age word, so "1-4 referrals" is never an age. */
export const AGE_PHRASE = new RegExp(
  [
    R.underTwos.source,
    `(?:\\b(?:child(?:ren)?|infants?|babies|aged?|ages|patients)\\s+(?:aged\\s+)?(?:under|younger than|below)\\s+${NUMBER}(?:\\s*(?:${MONTH_UNIT}|${YEAR_UNIT}))?)`,
    `(?:\\b(?:under|younger than|below)\\s+${NUMBER}\\s*(?:${MONTH_UNIT}|${YEAR_UNIT}))`,
    `(?:\\b(?:aged?|ages)\\s+${NUMBER}(?:\\s*(?:-|to)\\s*${NUMBER})?(?:\\s*(?:${MONTH_UNIT}|${YEAR_UNIT}))?)`,
    `(?:(?<![\\d.])${NUMBER}\\s*(?:-|to)\\s*${NUMBER}\\s*(?:${MONTH_UNIT}|${YEAR_UNIT}))`,
  ].join('|'),
);

export function findAgeBand(text: string): string | null {
  const m = AGE_PHRASE.exec(normalise(text));
  return m ? m[0] : null;
}

function monthsOf(t: string): { months: [number, number] | null; ambiguous?: boolean } | null {
  let m: RegExpExecArray | null;
  if (R.allAges.test(t)) return { months: null };
  if (R.underTwos.test(t)) return { months: [0, 23] };
  const num = (s: string | undefined) => (s === undefined ? null : readNumber(s));
  if ((m = R.underMonths.exec(t))) {
    const n = num(m[1]);
    return n !== null && n >= 1 ? { months: [0, Math.ceil(n) - 1] } : null;
  }
  if ((m = R.rangeMonths.exec(t))) {
    const [a, b] = [num(m[1]), num(m[2])];
    return a !== null && b !== null && a <= b ? { months: [Math.floor(a), Math.floor(b)] } : null;
  }
  if ((m = R.underYears.exec(t))) {
    const n = num(m[1]);
    return n !== null && n > 0 ? { months: [0, Math.round(n * 12) - 1] } : null;
  }
  if ((m = R.rangeYears.exec(t))) {
    const [a, b] = [num(m[1]), num(m[2])];
    if (a === null || b === null || a >= b || b > 120) return null;
    return { months: [Math.round(a * 12), Math.round(b * 12) - 1], ambiguous: a === 0 && b === 2 };
  }
  if ((m = R.aged.exec(t))) {
    const n = num(m[1] ?? m[2]);
    return n !== null && Number.isInteger(n) && n <= 120 ? { months: [n * 12, n * 12 + 11] } : null;
  }
  return null;
}

/** Codes an age band; exact when it is the asked band (under two, [0, 23] months), else band_mismatch. */
export function parseAgeBand(
  text: string,
  location: Location = {},
  asked: readonly [number, number] = [0, 23],
): Coded<AgeCode> {
  const raw = String(text ?? '');
  const read = monthsOf(normalise(raw));
  if (read === null)
    return fail(
      'age_band_unreadable',
      'No age band could be read (expected e.g. "under 2", "0-23 months", "0-1").',
      location,
      raw,
    );
  const label = raw.trim();
  const exact = !read.ambiguous && read.months !== null && read.months[0] === asked[0] && read.months[1] === asked[1];
  const band: AgeBand = { label, months: read.months, exact };
  if (!read.ambiguous) return ok({ band, flags: exact ? [] : ['band_mismatch'] });
  return ok({ band, flags: ['band_mismatch'] }, [
    issue(
      'age_band_ambiguous',
      'warning',
      `"${label}" may mean under two (to the 2nd birthday) or ages 0 to 2 inclusive (under three); kept out of the under-two figures until a person accepts it.`,
      location,
      { raw },
    ),
  ]);
}

/** The band several contiguous, non-overlapping bands make together ("0-1" + "1-2" = [0, 23]); else null. */
export function combineBands(bands: readonly AgeBand[]): [number, number] | null {
  if (bands.length === 0 || bands.some((b) => b.months === null)) return null;
  const sorted = bands.map((b) => b.months!).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] !== sorted[i - 1]![1] + 1) return null;
  return [sorted[0]![0], sorted[sorted.length - 1]![1]];
}
