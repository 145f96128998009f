import type { CodedValue } from '../../schemas/foi.ts';
import { periodFromDates } from './period.ts';
import { parseDateCell } from './records.ts';

/**
 * A note that says what dates a year's figures cover ("The 2023/24 figures are for 1 April 2023 to 29
 * February 2024."; "Data for 2023-24 covers 01/04/2023 - 29/02/2024"; "FY23/24 covers 1 April 2023 to
 * 31 March 2024"; "*2023/24 figures are to 29 February 2024"), or, with no year named, what dates the
 * figures of a reply cover ("the figures are for 1 April 2023 to 31 January 2024"; "referrals between 1
 * January 2021 and 29 February 2024"): the note decides the period of every count of the year it falls
 * in, as written in the column or line ("2023/24 (to date)", a bare "2023/24") it explains (foi.md
 * "Periods written every way": part years keep their exact dates, flagged partial_period; a year the
 * note says is whole loses a partial_period the reader gave it for want of a date).
 */

const DATE = String.raw`(\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})`;
// "2023/24", "2023-2024", "FY23/24", "FY 2023/24", "23/24".
const YEAR = String.raw`(?:\bfy\s*'?)?(?<![\d/])((?:19|20)?\d{2})\s*[/-]\s*((?:19|20)?\d{2})(?![\d/])`;
const VERB = String.raw`\b(?:are|is|cover|covers|covering|relate|relates|run|runs|span|spans)\b`;
const TO = String.raw`\s*(?:to|until|-|–|and)\s*`;
/** A year, then the dates it covers. */
const YEAR_RANGE = new RegExp(`${YEAR}[^.;]*?${VERB}[^.;]*?(?:for|from|between)?\\s*${DATE}${TO}${DATE}`, 'i');
/** A year, then the day it runs to ("2023/24 figures are to 29 February 2024"). */
const YEAR_END = new RegExp(`${YEAR}[^.;]*?${VERB}\\s*(?:(?:up )?to|until|as at)\\s*${DATE}`, 'i');
/** Figures of no named year, then the dates they cover. */
const SPAN = new RegExp(
  String.raw`\b(?:figures|data|counts|numbers|information|referrals?|extract|rows?)\b[^.;]*?(?:${VERB}[^.;]*?)?\b(?:for|from|between|covering)\s+(?:the period\s+)?${DATE}${TO}${DATE}`,
  'i',
);

/** What "YTD" means in the reply ("YTD = year to date, 1 April 2023 to 29 February 2024"). */
const YTD_SPAN = new RegExp(String.raw`\b(?:ytd|year to date)\b[^.;]*?${DATE}${TO}${DATE}`, 'i');

export interface PeriodNote {
  /** The financial year the note is about, by its first day. */
  yearStart: string;
  start: string;
  end: string;
  quote: string;
}

const iso = (d: string): string | null => parseDateCell(d.replace(/(\d)(?:st|nd|rd|th)\b/i, '$1'));
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));
/** The first day of the financial year a date falls in. */
const yearOf = (d: string): string => {
  const [y, m] = d.split('-').map(Number) as [number, number];
  return `${m >= 4 ? y : y - 1}-04-01`;
};
const yearEnd = (yearStart: string): string => `${Number(yearStart.slice(0, 4)) + 1}-03-31`;

/** A note about one named year: its dates must lie within that year. */
function yearNote(m: RegExpExecArray, start: string | null, end: string | null, quote: string): PeriodNote | null {
  const y = fullYear(m[1]!);
  if (fullYear(m[2]!) !== y + 1 || start === null || end === null || end < start) return null;
  const yearStart = `${y}-04-01`;
  // Only dates within that year: a note about another span is not this one.
  if (start < yearStart || end > yearEnd(yearStart)) return null;
  return { yearStart, start, end, quote };
}

/** A span of no named year: a note for the year it starts in and the year it ends in (the years between are whole). */
function spanNotes(start: string | null, end: string | null, quote: string): PeriodNote[] {
  if (start === null || end === null || end <= start) return [];
  const first = yearOf(start);
  const last = yearOf(end);
  if (first === last) return [{ yearStart: first, start, end, quote }];
  return [
    { yearStart: first, start, end: yearEnd(first), quote },
    { yearStart: last, start: last, end, quote },
  ];
}

export function periodNotes(texts: readonly string[]): PeriodNote[] {
  const out: PeriodNote[] = [];
  for (const t of texts) {
    const quote = t.trim();
    const range = YEAR_RANGE.exec(t);
    const ended = range ? null : YEAR_END.exec(t);
    const note =
      range !== null
        ? yearNote(range, iso(range[3]!), iso(range[4]!), quote)
        : ended !== null
          ? yearNote(ended, `${fullYear(ended[1]!)}-04-01`, iso(ended[3]!), quote)
          : null;
    if (note !== null) {
      out.push(note);
      continue;
    }
    if (range !== null || ended !== null) continue;
    const span = SPAN.exec(t) ?? YTD_SPAN.exec(t);
    if (span) out.push(...spanNotes(iso(span[1]!), iso(span[2]!), quote));
  }
  // One note per year: the first said wins (a letter's own note before a covering e-mail's).
  return out.filter((n, i) => out.findIndex((x) => x.yearStart === n.yearStart) === i);
}

/** Gives each count of a noted year the note's dates (and their flags), keeping what it answers. */
export function applyPeriodNotes(values: CodedValue[], notes: readonly PeriodNote[]): void {
  for (const n of notes)
    for (const v of values) {
      if (v.period === undefined || v.period.start !== n.yearStart || v.period.type === 'month') continue;
      if (v.period.end === n.end && v.period.start === n.start) continue;
      const dated = periodFromDates(n.start, n.end, v.period.label);
      v.period = dated.period;
      v.flags = [...new Set([...v.flags.filter((f) => f !== 'partial_period'), ...dated.flags])];
      v.evidence = v.evidence ? `${v.evidence}; dates from the note: ${n.quote}` : `dates from the note: ${n.quote}`;
    }
}

const DATE_IN_LABEL = /\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\.?\s+\d{4}|\d{1,2}\/\d{1,2}\/\d{4}/i;

/**
 * The part years a reply states in a label of its own ("FY23/24 (to 29 February 2024)", "(1 April 2023 to
 * 29 February 2024)"), as notes for the same year written bare elsewhere in it ("Of these, 9, 12 and 8
 * respectively"; "2023-2024: 5" under the next question): one extract, one period.
 */
function statedPeriodNotes(values: readonly CodedValue[]): PeriodNote[] {
  const out: PeriodNote[] = [];
  for (const v of values) {
    const p = v.period;
    if (p === undefined || p.type !== 'part_year' || !DATE_IN_LABEL.test(p.label)) continue;
    if (p.start !== yearOf(p.start) || out.some((n) => n.yearStart === p.start)) continue;
    // Two different stated ends for one year: no note (a person sees both).
    if (
      values.some(
        (w) =>
          w.period?.type === 'part_year' &&
          w.period.start === p.start &&
          w.period.end !== p.end &&
          DATE_IN_LABEL.test(w.period.label),
      )
    )
      continue;
    out.push({ yearStart: p.start, start: p.start, end: p.end, quote: p.label });
  }
  return out;
}

/** Notes said in words first; a part year stated in a label only for years no note speaks of. */
export function allPeriodNotes(texts: readonly string[], values: readonly CodedValue[]): PeriodNote[] {
  const said = periodNotes(texts);
  return [...said, ...statedPeriodNotes(values).filter((n) => !said.some((s) => s.yearStart === n.yearStart))];
}
