/**
 * Number spellings shared by the count, band, decimal, year and days parsers. They work on text that
 * has been through normaliseText (lowercase, dashes unified, spaces collapsed).
 */

/** A whole number token: "2150" or "2,150" (commas only as thousands separators, in groups of three). */
export const INT = String.raw`(\d{1,3}(?:,\d{3})+|\d+)`;

export function toInt(token: string): number | null {
  const n = Number(token.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

// The approximation words only count when a number follows, so "c" never eats the start of a word.
const APPROX_PREFIX =
  /^(?:approximately|approx\.?|circa|ca\.?|c\.?|about|around|roughly|estimated|est\.?|~|≈|±|\+\/-)\s*(?=[\d<>≤≥])/;
const APPROX_SUFFIX =
  /(?:(?:\s+\(?|\s*\()(?:approx\.?|approximately|estimated|estimate|est\.?)\)?|(?<=\d)\s*-?\s*ish)$/;

/** Splits "approx 40", "c.40", "~40", "40ish", "40 (est)" into the rest and an approximate flag. */
export function stripApprox(t: string): { rest: string; approximate: boolean } {
  const prefixed = t.replace(APPROX_PREFIX, '');
  const both = prefixed.replace(APPROX_SUFFIX, '').trim();
  return { rest: both, approximate: both !== t && both !== '' };
}

/** Decimal with a point ("1.5", ".5", "1e-7" as JS prints it) or a decimal comma ("1,5"). */
export function toDecimal(t: string): number | null | 'ambiguous' {
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/.test(t) || /^\.\d+$/.test(t)) return Number(t);
  // "1,500" could be fifteen hundred or one and a half: never guessed.
  if (/^\d{1,3},\d{3}$/.test(t)) return 'ambiguous';
  if (/^\d{1,3}(?:,\d{3})+\.\d+$/.test(t)) return Number(t.replace(/,/g, ''));
  if (/^\d+,\d+$/.test(t)) return Number(t.replace(',', '.'));
  return null;
}

/** A negative number was typed ("-3", "- 2.5"): worth its own issue code. */
export function looksNegative(t: string): boolean {
  return /^-\s*\d/.test(t);
}

/** A fractional number was typed where a whole one is needed ("2.5", "1,5"). */
export function looksFractional(t: string): boolean {
  return /^\d*[.,]\d+$/.test(t) && !/^\d{1,3}(?:,\d{3})+$/.test(t);
}
