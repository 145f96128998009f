import type { TrustHint } from '../../schemas/foi.ts';
import { parseDateCell } from './records.ts';

/**
 * What a reply says about who sent it, for sources/foi/trusts.ts to match: an ODS code, the trust's name
 * from the letterhead, the sender's e-mail domain. Only hints: the match and its method are decided there.
 */

// "... NHS Foundation Trust", and names with words between NHS and Trust ("Kent and Medway NHS and Social Care
// Partnership Trust") or an ampersand ("Lancashire & South Cumbria NHS Foundation Trust").
const TRUST_NAME =
  /\b((?:[A-Z][A-Za-z'\u2019&-]*\s+|and\s+|&\s+|of\s+|the\s+){1,10}NHS\s+(?:(?:[A-Z][A-Za-z'\u2019-]*|and|&)\s+){0,5}Trust)\b/;
// "Barnet, Enfield and Haringey Mental Health NHS Trust": a name with a comma inside is kept as a second reading.
const COMMA_LEAD = /([A-Z][A-Za-z'&-]*),\s+$/;
const TRUST_NAME_ALL = new RegExp(TRUST_NAME.source, 'g');
// A line that carries a reference: ours or the trust's ("Our ref", "Your ref", "FOI 2024-0816", "Reference: ...").
const REF_LINE = /\b(?:ref(?:erence)?|FOI|FOIA|REQ|request)\b/i;
const cleanName = (n: string) =>
  n
    .replace(/^(?:the|and|of)\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
// A bare three-character code matches too much ("RE:", "REF"): a code needs "ODS" before it or brackets round it.
const ODS = /\bODS(?:\s+code)?\s*[:\-]?\s*([A-Z0-9]{3,5})\b|\((R[A-Z0-9]{2})\)/;
const EMAIL = /[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/;

export function findTrustHint(lines: readonly string[], fromAddress?: string): TrustHint {
  const hint: TrustHint = {};
  const head = lines.slice(0, 40);
  for (const l of head) {
    const name = TRUST_NAME.exec(l);
    if (name && hint.name === undefined) hint.name = cleanName(name[1]!);
    const ods = ODS.exec(l);
    if (ods && hint.ods === undefined) hint.ods = (ods[1] ?? ods[2])!.toUpperCase();
  }
  // Letterhead and signature: every trust name in the reply, so matching can see when they disagree.
  const names: string[] = [];
  for (const l of lines)
    for (const m of l.matchAll(TRUST_NAME_ALL)) {
      const lead = COMMA_LEAD.exec(l.slice(0, m.index));
      if (lead) names.push(cleanName(`${lead[1]}, ${m[1]}`));
      names.push(cleanName(m[1]!));
    }
  const distinct = [...new Set(names)];
  if (distinct.length > 0) hint.names = distinct.slice(0, 8);
  const refLines = [
    ...lines.slice(0, 25),
    ...lines
      .slice(25)
      .filter((l) => REF_LINE.test(l))
      .slice(0, 20),
  ];
  const refText = refLines.join(' ').replace(/\s+/g, ' ').trim();
  if (refText !== '') hint.refText = refText.slice(0, 4000);
  if (fromAddress !== undefined && fromAddress.trim() !== '') hint.from = fromAddress.trim();
  const fromDomain = fromAddress === undefined ? null : EMAIL.exec(fromAddress);
  const anyDomain = fromDomain ?? lines.map((l) => EMAIL.exec(l)).find((m) => m !== null) ?? null;
  if (anyDomain) hint.emailDomain = anyDomain[1]!.toLowerCase();
  return hint;
}

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
// "Date:", "Dated", "Date of response:", "Response date:", "Sent:" (a reply saved from an e-mail program).
const DATE_LABEL = '(?:date[d]?(?:\\s+of\\s+(?:response|reply|letter))?|(?:response|reply|letter)\\s+date|sent)';
const LETTER_DATE = new RegExp(
  `^\\s*(?:${DATE_LABEL}\\s*:?\\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTHS})\\s+(\\d{4})(?:,?\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)?\\s*$`,
  'i',
);
const NUMERIC_DATE = new RegExp(
  `^\\s*(?:${DATE_LABEL}\\s*:?\\s*)?(\\d{1,2}\\/\\d{1,2}\\/\\d{4})(?:,?\\s+\\d{1,2}:\\d{2}(?::\\d{2})?)?\\s*$`,
  'i',
);

/** The letter's own date: a line near the top that is only a date ("25 March 2024", "Date: 25/03/2024"). */
export function findLetterDate(lines: readonly string[]): string | undefined {
  for (const l of lines.slice(0, 25)) {
    const m = LETTER_DATE.exec(l);
    if (m) {
      const iso = parseDateCell(`${m[1]} ${m[2]!.slice(0, 3)} ${m[3]}`);
      if (iso) return iso;
    }
    const n = NUMERIC_DATE.exec(l);
    if (n) return parseDateCell(n[1]!) ?? undefined;
  }
  return undefined;
}
