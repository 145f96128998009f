/**
 * Text normalisation shared by every answer parser and by label matching. Returns arrive typed by
 * hand, pasted from Word, and re-saved by Excel, LibreOffice or Numbers, so the same answer shows up
 * with curly quotes, en dashes, non-breaking spaces, stray full stops and odd capitals.
 */

// U+2010..U+2015 hyphens and dashes, U+2212 minus, small/full-width hyphen-minus.
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033]/g;
// Zero-width spaces and joiners and the BOM: invisible, but they break equality.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Trailing punctuation carries no meaning in an answer ("Yes.", "n/a;", "Name of your team *").
const TRAILING_PUNCTUATION = /[\s.,;:!?*]+$/;

/** Lowercase, NFKC, dashes/quotes unified, whitespace collapsed, trailing punctuation stripped. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(DASHES, '-')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(TRAILING_PUNCTUATION, '');
}

/**
 * A looser key for matching option labels: also drops apostrophes and treats every other
 * punctuation mark as a space, so "Children's social care", "childrens social-care" and
 * "Watch Wait and Wonder" meet their listed forms. Not for numbers: "301+" and "301" collide here.
 */
export function matchKey(s: string): string {
  return normaliseText(s)
    .replace(/&/g, ' and ')
    .replace(/'/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
