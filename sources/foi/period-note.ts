import type { CodedValue } from '../../schemas/foi.ts';
import { periodFromDates } from './period.ts';
import { parseDateCell } from './records.ts';

/**
 * A note that says what dates a year's figures cover ("The 2023/24 figures are for 1 April 2023 to 29
 * February 2024."; "Data for 2023-24 covers 01/04/2023 - 29/02/2024"): the note decides the period of
 * every count of that year, as written in the column or line ("2023/24 (to date)") it explains
 * (foi.md "Periods written every way": part years keep their exact dates, flagged partial_period).
 */

const DATE = String.raw`(\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})`;
const NOTE = new RegExp(
  String.raw`\b((?:19|20)\d{2})\s*[/-]\s*(\d{2}|(?:19|20)\d{2})\b[^.;]*?\b(?:are|is|cover|covers|relate|relates|run|runs)\b[^.;]*?` +
    String.raw`(?:for|from|to)?\s*${DATE}\s*(?:to|until|-|–)\s*${DATE}`,
  'i',
);

interface PeriodNote {
  /** The financial year the note is about, by its first day. */
  yearStart: string;
  start: string;
  end: string;
  quote: string;
}

const iso = (d: string): string | null => parseDateCell(d.replace(/(\d)(?:st|nd|rd|th)\b/i, '$1'));

export function periodNotes(texts: readonly string[]): PeriodNote[] {
  const out: PeriodNote[] = [];
  for (const t of texts) {
    const m = NOTE.exec(t);
    if (!m) continue;
    const y = Number(m[1]);
    const next = m[2]!.length === 2 ? Math.floor(y / 100) * 100 + Number(m[2]) : Number(m[2]);
    const [start, end] = [iso(m[3]!), iso(m[4]!)];
    if (next !== y + 1 || start === null || end === null || end < start) continue;
    const yearStart = `${y}-04-01`;
    // Only dates within that year: a note about another span is not this one.
    if (start < yearStart || end > `${y + 1}-03-31`) continue;
    out.push({ yearStart, start, end, quote: t.trim() });
  }
  return out;
}

/** Gives each count of a noted year the note's dates (and their flags), keeping what it answers. */
export function applyPeriodNotes(values: CodedValue[], notes: readonly PeriodNote[]): void {
  for (const n of notes)
    for (const v of values) {
      if (v.period === undefined || v.period.start !== n.yearStart || v.period.type === 'month') continue;
      const dated = periodFromDates(n.start, n.end, v.period.label);
      v.period = dated.period;
      v.flags = [...new Set([...v.flags.filter((f) => f !== 'partial_period'), ...dated.flags])];
      v.evidence = v.evidence ? `${v.evidence}; dates from the note: ${n.quote}` : `dates from the note: ${n.quote}`;
    }
}
