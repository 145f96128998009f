import type { ParsedAnswer } from '../answer.ts';
import { ok, unreadable, type ParseContext } from './common.ts';
import { normaliseText } from './normalise-text.ts';

type DateText = { iso: string } | { code: 'date_invalid' | 'date_ambiguous' | 'date_unreadable'; why: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthNumber(word: string): number | null {
  const w = word.replace(/\.$/, '');
  const i = FULL_MONTHS.indexOf(w);
  if (i >= 0) return i + 1;
  const j = MONTHS.indexOf(w === 'sept' ? 'sep' : w);
  return j >= 0 ? j + 1 : null;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO date of calendar parts, or why they name no real day (31/02, month 13). */
function isoDate(y: number, m: number, d: number): DateText {
  if (y < 1900 || y > 9999) return { code: 'date_invalid', why: `the year ${y} is outside 1900-9999` };
  if (m < 1 || m > 12) return { code: 'date_invalid', why: `${m} is not a month (dates are read day first, UK order)` };
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > days) return { code: 'date_invalid', why: `${pad(m)}/${y} has no day ${d}` };
  return { iso: `${pad(y, 4)}-${pad(m)}-${pad(d)}` };
}

/**
 * Excel's 1900 date system: serial 1 is 1900-01-01 and Excel counts a 29 February 1900 that never
 * was (serial 60), so serials from 61 on are one day ahead of a plain count. The time of day is dropped.
 */
function excelSerialDate(serial: number): DateText {
  const whole = Math.floor(serial);
  if (!Number.isFinite(serial) || whole < 1 || whole > 2958465)
    return { code: 'date_invalid', why: `${serial} is not an Excel date serial` };
  if (whole === 60)
    return { code: 'date_invalid', why: "serial 60 is Excel's 29 February 1900, a day that never existed" };
  const epoch = whole < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + whole * 86_400_000);
  return { iso: d.toISOString().slice(0, 10) };
}

const year4 = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** "31/03/2025", "31-03-2025", "31.3.2025", "2025-03-31", "31 March 2025", "March 31, 2025". */
export function parseDateText(text: string): DateText {
  const t = normaliseText(text);
  let m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/.exec(t);
  if (m) return isoDate(year4(m[3]!), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?-?([a-z]+\.?)[\s,-]*(\d{4}|\d{2})$/.exec(t);
  if (m && monthNumber(m[2]!) !== null) return isoDate(year4(m[3]!), monthNumber(m[2]!)!, Number(m[1]));
  m = /^([a-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(t);
  if (m && monthNumber(m[1]!) !== null) return isoDate(Number(m[3]), monthNumber(m[1]!)!, Number(m[2]));
  const partial = /^(?:([a-z]+\.?)|(\d{1,2}))[\s/.,-]*(\d{4})$/.exec(t);
  if (partial && (partial[2] !== undefined || monthNumber(partial[1]!) !== null)) {
    return { code: 'date_ambiguous', why: 'it names a month, not a day' };
  }
  if (/^\d{4}$/.test(t)) return { code: 'date_ambiguous', why: 'it names a year, not a day' };
  return { code: 'date_unreadable', why: 'it is not a date' };
}

const EXPECTED = 'a date such as 31/03/2025 (day first) or 2025-03-31';

export function parseDate(ctx: ParseContext): ParsedAnswer {
  const { raw } = ctx;
  let r: DateText;
  if (raw instanceof Date) {
    // exceljs gives a cell's date as midnight UTC of that day, so the UTC getters read the day typed.
    r = Number.isNaN(raw.getTime())
      ? { code: 'date_invalid', why: 'the spreadsheet holds an invalid date' }
      : isoDate(raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate());
  } else if (typeof raw === 'number') {
    // A bare number between 1900 and 2200 is a year typed on its own, not a serial from 1905.
    r =
      Number.isInteger(raw) && raw >= 1900 && raw <= 2200
        ? { code: 'date_ambiguous', why: 'it names a year, not a day' }
        : excelSerialDate(raw);
  } else if (typeof raw === 'string') {
    r = parseDateText(raw);
  } else {
    r = { code: 'date_unreadable', why: 'it is not a date' };
  }
  if ('iso' in r) return ok({ kind: 'date', iso: r.iso });
  return unreadable(ctx, r.code, `${EXPECTED} (${r.why})`, {
    advice: r.code === 'date_ambiguous' ? 'Ask the team for the exact day, or record a correction with it.' : undefined,
  });
}
