/** Whole numbers as trusts write them: digits ("1,234") or words ("twelve", "twenty-three", "one hundred and five"). */

const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const unitAlt = UNITS.join('|');
const tensAlt = TENS.filter(Boolean).join('|');
const below100 = `(?:(?:${tensAlt})(?:[- ](?:${UNITS.slice(1, 10).join('|')}))?|${unitAlt})`;
/** Regex source of a number in words, below 1000; longest alternatives first so "twenty-one" wins over "twenty". */
export const NUMBER_WORDS = `(?:(?:(?:a|one|${UNITS.slice(2, 10).join('|')})\\s+hundred(?:\\s+(?:and\\s+)?${below100})?)|${below100})`;
/** Regex source of a number in digits or words. Digits with thousands commas must have groups of three. */
export const NUMBER = `(?:\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+(?:\\.\\d+)?|${NUMBER_WORDS})`;

function below100Value(s: string): number | null {
  const parts = s.split(/[- ]+/).filter(Boolean);
  if (parts.length === 1) {
    const u = UNITS.indexOf(parts[0]!);
    if (u >= 0) return u;
    const t = TENS.indexOf(parts[0]!);
    return t >= 2 ? t * 10 : null;
  }
  if (parts.length === 2) {
    const t = TENS.indexOf(parts[0]!);
    const u = UNITS.indexOf(parts[1]!);
    return t >= 2 && u >= 1 && u <= 9 ? t * 10 + u : null;
  }
  return null;
}

/** The value of a number written in digits or words; null when it is not one. */
export function readNumber(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (/^\d{1,3}(?:,\d{3})+$/.test(s)) return Number(s.replace(/,/g, ''));
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s);
  const h = /^(a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+(?:and\s+)?(.+))?$/.exec(s);
  if (h) {
    const head = h[1] === 'a' ? 1 : UNITS.indexOf(h[1]!);
    if (h[2] === undefined) return head * 100;
    const rest = below100Value(h[2]);
    return rest === null ? null : head * 100 + rest;
  }
  return below100Value(s);
}
