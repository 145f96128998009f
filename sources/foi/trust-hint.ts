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
// What an organisation answering FOI requests calls itself ("... NHS Foundation Trust", "Betsi Cadwaladr University
// Health Board / Bwrdd Iechyd ...", "NHS Greater Manchester Integrated Care Board", "... Council").
const BODY =
  /\bNHS\b.*\bTrust\b|\bhealth board\b|\bbwrdd iechyd\b|\bintegrated care board\b|\bhealth and social care trust\b|\bcouncil\b|\bNHS (?:Scotland|Wales|England)\b/i;

export function findTrustHint(lines: readonly string[], fromAddress?: string): TrustHint {
  const hint: TrustHint = {};
  const head = lines.slice(0, 40);
  for (const l of head) {
    const name = TRUST_NAME.exec(l);
    if (name && hint.name === undefined) hint.name = cleanName(name[1]!);
    const ods = ODS.exec(l);
    if (ods && hint.ods === undefined) hint.ods = (ods[1] ?? ods[2])!.toUpperCase();
  }
  // The first line, when it names a body that answers FOI requests: matching checks it against the reference.
  const first = lines.find((l) => l.trim() !== '')?.trim();
  if (first !== undefined && first.length <= 160 && BODY.test(first)) hint.letterhead = first.replace(/\s+/g, ' ');
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

const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
// "Date:", "Dated", "Date of response:", "Response date:", "Sent:" (a reply saved from an e-mail program).
const DATE_LABEL = '(?:date[d]?(?:\\s+of\\s+(?:response|reply|letter))?|(?:response|reply|letter)\\s+date|sent)';
// "Friday,", "Fri", "Thurs." before the date.
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?';
// A time after the date, as e-mail programs write it: "14:42", ", 2:15 PM", " at 09.30", "10:12:00 +0000", "11:05 BST".
const TIME =
  '(?:,?\\s+(?:at\\s+)?\\d{1,2}[:.]\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s*(?:[+-]\\d{4}|\\(?(?:gmt|bst|utc)\\)?))?)?';
const LEAD = `^\\s*(?:${DATE_LABEL}\\s*:?\\s*)?${WEEKDAY}`;
const TAIL = `${TIME}\\s*$`;
/** "25 March 2024", "25th Mar 2024". */
const DAY_MONTH = new RegExp(`${LEAD}(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})${TAIL}`, 'i');
/** "March 25, 2024" (an e-mail program set to US English). */
const MONTH_DAY = new RegExp(`${LEAD}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TAIL}`, 'i');
/** "25/03/2024", "25.03.2024", "2024-03-25". */
const NUMERIC_DATE = new RegExp(`${LEAD}(\\d{1,2}[/.]\\d{1,2}[/.]\\d{4}|\\d{4}-\\d{2}-\\d{2})${TAIL}`, 'i');
/** Where an earlier message quoted below the reply begins (its dates are not the reply's). */
const QUOTED_BELOW = /^\s*(?:-{2,}\s*(?:original|forwarded) message|_{8,}\s*$|>|on .{4,80} wrote:\s*$)/i;

/**
 * The letter's own date: a line near the top that is only a date ("25 March 2024", "Date: 25/03/2024",
 * "Sent: Fri 12/04/2024 10:15", "Sent: Friday, April 12, 2024 2:15 PM"). Never a date of an earlier
 * message quoted below the reply (our request, "-----Original Message-----"): no date is better than
 * that one, as the reply is then dated the day it was received and says so. A reply forwarded under a
 * short note is dated by its own header.
 */
export function findLetterDate(lines: readonly string[]): string | undefined {
  const top = lines.slice(0, 25);
  const quoted = top.findIndex((l) => QUOTED_BELOW.test(l));
  // A short note above the quoted message ("forwarding the reply that went to my inbox"): the quoted
  // message is the reply, and its header gives its date. A longer text above it is the reply itself.
  const forwarded = quoted >= 0 && top.slice(0, quoted).filter((l) => l.trim() !== '').length <= 3;
  const own = quoted >= 0 && !forwarded ? top.slice(0, quoted) : top;
  for (const l of own) {
    const iso = dateOfLine(l);
    if (iso !== undefined) return iso;
  }
  // A labelled date inside a line of references ("Our reference: 2024-0321   Date: 3 April 2024"), or a
  // heading that ends with its date ("Freedom of Information response, 16 April 2024").
  for (const l of own) {
    const m = LABELLED_IN_LINE.exec(l) ?? HEADING_DATE.exec(l);
    const iso = m ? dateOfLine(m[1]!) : undefined;
    if (iso !== undefined) return iso;
  }
  // A date that opens a line of references ("1 April 2026     Ref: NSCHT FOI 1771", "8 April 2026 | CNWL
  // FOI 2026-1904", "14 April 2026  OX-FOI-2026-0284").
  for (const l of own) {
    const m = DATE_THEN_REFS.exec(l);
    const iso = m ? dateOfLine(m[1]!) : undefined;
    if (iso !== undefined) return iso;
  }
  return undefined;
}

// "...   Date: 3 April 2024", "... Date of response: 03/04/2024": a date label with its colon, or set apart
// by two spaces or a separator, then the date (never "your request dated 11 March 2024" in a sentence).
const DATE_LABELS = '(?:date(?:d)?|date of (?:response|reply|letter)|(?:response|reply|letter) date)';
const DATE_TEXT = '((?:\\d{1,2}(?:st|nd|rd|th)?\\s+[a-z]+\\.?,?\\s+\\d{4})|(?:\\d{1,2}[/.]\\d{1,2}[/.]\\d{4}))';
const HEADING_DATE = new RegExp(`\\b(?:response|reply|letter)\\b[^.]{0,60}?[,\u2013-]\\s*${DATE_TEXT}\\s*$`, 'i');
const LABELLED_IN_LINE = new RegExp(
  `(?:(?:^|\\s)${DATE_LABELS}\\s*:|(?:^|\\s{2,}|[|;,]\\s*)${DATE_LABELS}\\s*:?)\\s+${DATE_TEXT}(?=\\s|$|[|;,.])`,
  'i',
);

const DATE_THEN_REFS = new RegExp(
  `^\\s*${WEEKDAY}${DATE_TEXT}(?:\\s*[|;,\\t\u2013-]\\s*|\\s+)(?=(?:[a-z&]{2,10}\\s+)?(?:our |your |trust |foi )?(?:refs?\\b|reference\\b|foi\\b)|[A-Z][A-Za-z]*[-/][A-Z0-9][-/A-Z0-9]*\\d)`,
  'i',
);

function dateOfLine(l: string): string | undefined {
  let m = DAY_MONTH.exec(l);
  if (m) return parseDateCell(`${m[1]} ${m[2]} ${m[3]}`) ?? undefined;
  m = MONTH_DAY.exec(l);
  if (m) return parseDateCell(`${m[2]} ${m[1]} ${m[3]}`) ?? undefined;
  m = NUMERIC_DATE.exec(l);
  if (m) return parseDateCell(m[1]!) ?? undefined;
  return undefined;
}
