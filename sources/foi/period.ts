import type { AskedPeriod, FoiFlag, FoiPeriod, PeriodType } from '../../schemas/foi.ts';
import type { Location } from '../../schemas/issue.ts';
import { fail, normalise, ok, type Coded } from './coded.ts';

/** Periods as trusts write them, coded to exact inclusive dates (spec/foi.md "Coding rules"). */

export interface PeriodContext {
  sentDate: string;
  /** The reply's own date; "to date" ends here when known, else at sentDate (the only date we are sure of). */
  replyDate?: string;
}
export interface PeriodCode {
  period: FoiPeriod;
  flags: FoiFlag[];
  /**
   * Set when the period as written ran past the date it was cut at (a year still running on the reply's
   * date, or on the sent date when the reply has none of its own): the end it was written with. Data of
   * the reply dated after the cut carries it on (`runningEnd`).
   */
  runsTo?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const M =
  '\\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\\.?';
// "17 March 2024" is a date: a month name right after a day number starts no month period.
const NOT_AFTER_DAY = '(?<!\\d(?:st|nd|rd|th)?\\s{1,3})';
// "17 March 2024" is a date: its year is no calendar-year period of its own.
const NOT_IN_DATE =
  '(?<!\\d(?:st|nd|rd|th)?\\s{1,3}(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?\\s{1,3})';
const TO_DATE = '(?:\\s*\\(?\\s*(?:to date|year to date|ytd|so far|to present)\\s*\\)?)?';
const SEP = '\\s*(?:-|to|until|through)\\s*';

// A financial year as a label ("FY24", "2023/24", "23/24"), groups 1-5 (read by fyStart).
const FY_LABEL = String.raw`(?:\bfy\s*'?(\d{4}|\d{2})|(?<![\d/.-])(\d{4})\s*[/-]\s*(\d{4}|\d{2})|(?<![\d/.-])(\d{2})\s*/\s*(\d{2}))(?![\d/])`;

// Order matters: the first pattern that matches a text codes it, so the most specific come first.
const DAY_MONTH_YEAR = `(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}\\s+(\\d{4})`;
const P = {
  // "2023/24 (to 29 February 2024)", "2023-24 up to 31 January 2024": a part year, never a count of 29.
  fyToDay: new RegExp(
    `(?<![\\d/.-])(?:(\\d{4})\\s*[/-]\\s*(\\d{4}|\\d{2})|(\\d{2})\\s*/\\s*(\\d{2}))(?![\\d/])\\s*(?:to date|year to date|ytd|so far)?\\s*[(\\[]?\\s*(?:to|up to|until|as at|ending)\\s+${DAY_MONTH_YEAR}\\s*[)\\]]?`,
  ),
  // "FY24 YTD (to 08/03/2024)", "2023/24 (to 29/02/2024)": a part year ending on a numeric date.
  fyToNum:
    /(?:\bfy\s*'?(\d{4}|\d{2})|(?<![\d/.-])(\d{4})\s*[/-]\s*(\d{4}|\d{2})|(?<![\d/.-])(\d{2})\s*\/\s*(\d{2}))(?![\d/])\s*(?:ytd|year to date)?\s*[(\[]?\s*(?:to|up to|until|as at|ending)\s+(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?![\d/])\s*[)\]]?/,
  // "FY23/24 (to 29 February)", "2023/24 up to 10 March": a part year ending on a day given without its year
  // (the year is the financial year's own: April to December the first, January to March the second).
  fyToDayNoYear: new RegExp(
    `${FY_LABEL}\\s*(?:to date|ytd|year to date)?\\s*[(\\[]?\\s*(?:to|up to|until|as at|ending)\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}(?!\\s*,?\\s*\\d)\\s*[)\\]]?`,
  ),
  // "2023/24 (to end of Feb)", "2023/24 up to the end of February 2024": a part year ending on a month's last day.
  fyToMonthEnd: new RegExp(
    `${FY_LABEL}\\s*(?:to date|ytd|year to date)?\\s*[(\\[]?\\s*(?:to|up to|until)\\s+(?:the\\s+)?end\\s+of\\s+${M}(?:\\s+(\\d{4}))?\\s*[)\\]]?`,
  ),
  // "2023-24 (Apr-Feb)", "2022/23 (April to March)": months of the financial year named before them.
  fyMonths: new RegExp(`(?<![\\d/.-])(\\d{4})\\s*[/-]\\s*(\\d{4}|\\d{2})(?![\\d/])\\s*\\(\\s*${M}${SEP}${M}\\s*\\)`),
  // Ranges with both ends written in full come before a year followed by one date: in
  // "1 April 2023 to 17 March 2024" the year 2023 ends the first date, not a period of its own.
  // "01/04/2022 to 31/03/2023"
  numRange: /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})\s*(?:-|to|until)\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/,
  dateRange: new RegExp(
    `(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}\\s+(\\d{4})${SEP}(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}\\s+(\\d{4})`,
  ),
  // "1 January to 31 March 2024": the first date's year is the second's (the year before when its month is later).
  dateRangeOneYear: new RegExp(
    `(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}${SEP}(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}\\s+(\\d{4})`,
  ),
  // "April 2023 - 8 March 2024"
  monthToDay: new RegExp(`${NOT_AFTER_DAY}${M}\\s+(\\d{4})${SEP}${DAY_MONTH_YEAR}`),
  isoRange: /(\d{4})-(\d{2})-(\d{2})\s*(?:-|to)\s*(\d{4})-(\d{2})-(\d{2})/,
  // "1 April 2025 to date", "April 2025 - present", "01/04/2025 to date": from that day to the reply (cut like "2025/26 to date").
  fromToDate: new RegExp(
    `(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+)?${M}\\s+(\\d{4})\\s*(?:-|–|to|until)\\s*(?:date|present|now|the present)\\b`,
  ),
  numFromToDate: /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})\s*(?:-|–|to|until)\s*(?:date|present|now)\b/,
  // "2024 (1 January to 29 February)": the days of that calendar year, written without their year.
  yearDays: new RegExp(
    `(?<![\\d/-])((?:19|20)\\d{2})(?![\\d/-])\\s*[(\\[]\\s*(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}${SEP}(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}\\s*[)\\]]`,
  ),
  // "2024 to date (to 29 February 2024)", "2024 (to 29/02/2024)": a part of a calendar year, never a count of 29.
  yearToDay: new RegExp(
    `(?<![\\d/-])((?:19|20)\\d{2})(?![\\d/-])\\s*(?:to date|ytd|year to date)?\\s*[(\\[]?\\s*(?:to|up to|until|as at)\\s+(?:${DAY_MONTH_YEAR}|(\\d{1,2})\\/(\\d{1,2})\\/(\\d{4}))\\s*[)\\]]?`,
  ),
  // "2024 (to 31 March)": a part of a calendar year ending on a day written without its year.
  yearToDayNoYear: new RegExp(
    `(?<![\\d/-])(20\\d{2})(?![\\d/-])\\s*(?:to date|ytd|year to date)?\\s*[(\\[]?\\s*(?:to|up to|until|as at)\\s+(\\d{1,2})(?:st|nd|rd|th)?\\s+${M}(?!\\s*,?\\s*\\d)\\s*[)\\]]?`,
  ),
  // "2021 (January to December)": the months of that calendar year.
  yearMonths: new RegExp(`(?<![\\d/-])((?:19|20)\\d{2})(?![\\d/-])\\s*\\(\\s*${M}${SEP}${M}\\s*\\)`),
  monthRange: new RegExp(`${M}(?:[\\s'-]*(\\d{4}|\\d{2})(?!\\d))?${SEP}${M}(?:[\\s'-]*(\\d{4}|\\d{2})(?!\\d))?`),
  fyWords: new RegExp(
    `(?:financial year|fin\\.? year|fy)\\s*(\\d{4}|\\d{2})\\s*(?:to|-|/)\\s*(\\d{4}|\\d{2})(?!\\d)${TO_DATE}`,
  ),
  // Two-digit years only with a slash: "12-13" is far more often a count range than a financial year.
  fy: new RegExp(`(?<![\\d/.-])(?:(\\d{4})\\s*[/-]\\s*(\\d{4}|\\d{2})|(\\d{2})\\s*/\\s*(\\d{2}))(?![\\d/])${TO_DATE}`),
  fyShort: new RegExp(`\\bfy\\s*'?(\\d{4}|\\d{2})(?![\\d/-])${TO_DATE}`),
  monthYear: new RegExp(`${NOT_AFTER_DAY}${M}[\\s'-]*(\\d{4}|\\d{2})(?!\\d)`),
  isoMonth: /(?<![\d-])(\d{4})-(\d{2})(?![\d-])/,
  // "Freedom of Information Act 2000", "Data Protection Act 2018": the name of a law, not a period.
  year: new RegExp(
    // A year of this century, never a reference number ("FOI 1904", "ref 2107") or an Act's year.
    `${NOT_IN_DATE}(?<![\\d/-])(?<!\\b(?:act|regulations|order|foi|ref|reference|no|number|request)\\.?\\s?:?\\s)(20\\d{2})(?![\\d/-])${TO_DATE}`,
  ),
};

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthNo = (s: string) => MONTHS.indexOf(s.slice(0, 3)) + 1;
const fullYear = (s: string) => (s.length === 2 ? 2000 + Number(s) : Number(s));
const validDate = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= lastDay(y, m);

function classify(start: string, end: string): { type: PeriodType; flags: FoiFlag[] } {
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = end.split('-').map(Number) as [number, number, number];
  if (sm === 4 && sd === 1 && ey === sy + 1 && em === 3 && ed === 31) return { type: 'financial_year', flags: [] };
  if (sy === ey && sm === 1 && sd === 1 && em === 12 && ed === 31)
    return { type: 'calendar_year', flags: ['partial_period'] };
  if (sy === ey && sm === em && sd === 1 && ed === lastDay(ey, em)) return { type: 'month', flags: [] };
  return { type: 'part_year', flags: ['partial_period'] };
}

/** Resolves a month range's missing years: next to the FY it names, else the latest such range started by `asOf`. */
function monthRange(m: RegExpExecArray, t: string, asOf: string): [string, string] | null {
  const sm = monthNo(m[1]!);
  const em = monthNo(m[3]!);
  let sy = m[2] ? fullYear(m[2]) : null;
  let ey = m[4] ? fullYear(m[4]) : null;
  const fy = P.fyWords.exec(t) ?? P.fy.exec(t);
  if (sy === null && ey === null && fy) {
    const y = fullYear(fy[1] ?? fy[3]!);
    sy = sm >= 4 ? y : y + 1;
    ey = em >= 4 ? y : y + 1;
  }
  if (sy === null && ey === null) {
    const [ay, am] = asOf.split('-').map(Number) as [number, number];
    ey = em <= am ? ay : ay - 1;
  }
  if (sy === null) sy = sm <= em ? ey! : ey! - 1;
  if (ey === null) ey = em >= sm ? sy : sy + 1;
  if (ey < sy || (ey === sy && em < sm)) return null;
  return [ymd(sy, sm, 1), ymd(ey, em, lastDay(ey, em))];
}

/** Start and end; `true` third when the text states the end as a day ("to 31 March 2024", "(to 31/03/2024)"). */
type Dates = [start: string, end: string, statedEnd?: true];

/** The first calendar year of the financial year a FY_LABEL match names; null when its two years do not follow. */
function fyStart(m: RegExpExecArray): number | null {
  const y1 = m[1] !== undefined ? fullYear(m[1]) - 1 : fullYear(m[2] ?? m[4]!);
  const second = m[3] ?? m[5];
  return second !== undefined && !consecutive(String(y1), second) ? null : y1;
}

function datesOf(t: string, asOf: string): Dates | null {
  let m: RegExpExecArray | null;
  if ((m = P.fyToDay.exec(t))) {
    const y1 = fullYear(m[1] ?? m[3]!);
    const b = m[2] ?? m[4]!;
    const y2 = b.length === 2 ? Math.floor(y1 / 100) * 100 + Number(b) : Number(b);
    const [ey, em, ed] = [Number(m[7]), monthNo(m[6]!), Number(m[5])];
    const end = validDate(ey, em, ed) ? ymd(ey, em, ed) : null;
    return y2 === y1 + 1 && end !== null && end >= ymd(y1, 4, 1) && end <= ymd(y2, 3, 31)
      ? [ymd(y1, 4, 1), end, true]
      : null;
  }
  if ((m = P.fyToNum.exec(t))) {
    // FY24 is the year ending in 2024; "2023/24" starts in 2023.
    const y1 = m[1] !== undefined ? fullYear(m[1]) - 1 : fullYear(m[2] ?? m[4]!);
    const [ey, em, ed] = [fullYear(m[8]!), Number(m[7]), Number(m[6])];
    const end = validDate(ey, em, ed) ? ymd(ey, em, ed) : null;
    return end !== null && end >= ymd(y1, 4, 1) && end <= ymd(y1 + 1, 3, 31) ? [ymd(y1, 4, 1), end, true] : null;
  }
  if ((m = P.fyToMonthEnd.exec(t))) {
    const y1 = fyStart(m);
    if (y1 === null) return null;
    const em = monthNo(m[6]!);
    const ey = em >= 4 ? y1 : y1 + 1;
    if (m[7] !== undefined && Number(m[7]) !== ey) return null;
    return [ymd(y1, 4, 1), ymd(ey, em, lastDay(ey, em)), true];
  }
  if ((m = P.fyToDayNoYear.exec(t))) {
    const y1 = fyStart(m);
    if (y1 === null) return null;
    const em = monthNo(m[7]!);
    const ey = em >= 4 ? y1 : y1 + 1;
    const ed = Number(m[6]);
    return validDate(ey, em, ed) ? [ymd(y1, 4, 1), ymd(ey, em, ed), true] : null;
  }
  if ((m = P.fyMonths.exec(t))) {
    const y1 = Number(m[1]);
    const [sm, em] = [monthNo(m[3]!), monthNo(m[4]!)];
    const [sy, ey] = [sm >= 4 ? y1 : y1 + 1, em >= 4 ? y1 : y1 + 1];
    return consecutive(m[1]!, m[2]!) && ymd(sy, sm, 1) <= ymd(ey, em, 1)
      ? [ymd(sy, sm, 1), ymd(ey, em, lastDay(ey, em))]
      : null;
  }
  // Two full dates before a year and one date (see P).
  if ((m = P.numRange.exec(t))) {
    const n = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    return validDate(n[2], n[1], n[0]) && validDate(n[5], n[4], n[3]) && ymd(n[2], n[1], n[0]) <= ymd(n[5], n[4], n[3])
      ? [ymd(n[2], n[1], n[0]), ymd(n[5], n[4], n[3]), true]
      : null;
  }
  if ((m = P.dateRangeOneYear.exec(t)) && !P.dateRange.test(t)) {
    const [d1, m1, d2, m2, y2] = [Number(m[1]), monthNo(m[2]!), Number(m[3]), monthNo(m[4]!), Number(m[5])];
    const y1 = m1 <= m2 ? y2 : y2 - 1;
    return validDate(y1, m1, d1) && validDate(y2, m2, d2) ? [ymd(y1, m1, d1), ymd(y2, m2, d2), true] : null;
  }
  if ((m = P.dateRange.exec(t))) {
    const [y1, m1, d1, y2, m2, d2] = [
      Number(m[3]),
      monthNo(m[2]!),
      Number(m[1]),
      Number(m[6]),
      monthNo(m[5]!),
      Number(m[4]),
    ];
    return validDate(y1, m1, d1) && validDate(y2, m2, d2) ? [ymd(y1, m1, d1), ymd(y2, m2, d2), true] : null;
  }
  if ((m = P.monthToDay.exec(t))) {
    const [sy, sm] = [Number(m[2]), monthNo(m[1]!)];
    const [ey, em, ed] = [Number(m[5]), monthNo(m[4]!), Number(m[3])];
    return validDate(ey, em, ed) && ymd(sy, sm, 1) <= ymd(ey, em, ed) ? [ymd(sy, sm, 1), ymd(ey, em, ed), true] : null;
  }
  if ((m = P.isoRange.exec(t))) {
    const n = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    return validDate(n[0], n[1], n[2]) && validDate(n[3], n[4], n[5])
      ? [ymd(n[0], n[1], n[2]), ymd(n[3], n[4], n[5]), true]
      : null;
  }
  // From a day to the reply: to the end of that day's financial year, cut at the reply's date as a running year is.
  if ((m = P.fromToDate.exec(t)) || (m = P.numFromToDate.exec(t))) {
    const [y, mo, d] =
      m[3] !== undefined && /^\d+$/.test(m[3]) && m[2] !== undefined && /^\d+$/.test(m[2])
        ? [Number(m[3]), Number(m[2]), Number(m[1])]
        : [Number(m[3]), monthNo(m[2]!), m[1] === undefined ? 1 : Number(m[1])];
    if (!validDate(y, mo, d)) return null;
    const fyEndYear = mo >= 4 ? y + 1 : y;
    return [ymd(y, mo, d), ymd(fyEndYear, 3, 31)];
  }
  if ((m = P.yearDays.exec(t))) {
    const [y, sm, sd, em, ed] = [Number(m[1]), monthNo(m[3]!), Number(m[2]), monthNo(m[5]!), Number(m[4])];
    return validDate(y, sm, sd) && validDate(y, em, ed) && ymd(y, sm, sd) <= ymd(y, em, ed)
      ? [ymd(y, sm, sd), ymd(y, em, ed), true]
      : null;
  }
  if ((m = P.yearToDay.exec(t))) {
    const y = Number(m[1]);
    const [ey, em, ed] =
      m[2] !== undefined ? [Number(m[4]), monthNo(m[3]!), Number(m[2])] : [Number(m[7]), Number(m[6]), Number(m[5])];
    return ey === y && validDate(ey, em, ed) ? [ymd(y, 1, 1), ymd(ey, em, ed), true] : null;
  }
  if ((m = P.yearToDayNoYear.exec(t))) {
    const [y, em, ed] = [Number(m[1]), monthNo(m[3]!), Number(m[2])];
    return validDate(y, em, ed) ? [ymd(y, 1, 1), ymd(y, em, ed), true] : null;
  }
  if ((m = P.yearMonths.exec(t))) {
    const [y, sm, em] = [Number(m[1]), monthNo(m[2]!), monthNo(m[3]!)];
    return sm <= em ? [ymd(y, sm, 1), ymd(y, em, lastDay(y, em))] : null;
  }
  if ((m = P.monthRange.exec(t))) return monthRange(m, t, asOf);
  for (const re of [P.fyWords, P.fy]) {
    if ((m = re.exec(t))) {
      const y1 = fullYear(m[1] ?? m[3]!);
      const b = m[2] ?? m[4]!;
      const y2 = b.length === 2 ? Math.floor(y1 / 100) * 100 + Number(b) : Number(b);
      if (y2 === y1 + 1) return [ymd(y1, 4, 1), ymd(y2, 3, 31)];
    }
  }
  if ((m = P.fyShort.exec(t))) {
    const y = fullYear(m[1]!);
    return [ymd(y - 1, 4, 1), ymd(y, 3, 31)];
  }
  if ((m = P.monthYear.exec(t)) && !(m[1] === 'may' && m[2]!.length === 2 && !/may[-']/.test(m[0]) && m[0] !== t)) {
    const y = fullYear(m[2]!);
    const mo = monthNo(m[1]!);
    return [ymd(y, mo, 1), ymd(y, mo, lastDay(y, mo))];
  }
  if ((m = P.isoMonth.exec(t))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return mo >= 1 && mo <= 12 ? [ymd(y, mo, 1), ymd(y, mo, lastDay(y, mo))] : null;
  }
  if ((m = P.year.exec(t))) return [ymd(Number(m[1]), 1, 1), ymd(Number(m[1]), 12, 31)];
  return null;
}

/**
 * "2022/23", "FY23", "financial year 2022 to 2023" -> 2022-04-01..2023-03-31; "2023" -> the calendar
 * year, flagged partial_period; "April to February", "2024 to date" -> exact dates, partial_period.
 *
 * Where a period ends when the year it names was still running (issue #15, the request's "2023/24 (to date)"):
 * - a period the reply states with an end date ("2023/24 (to 31 March 2024)", "(to 31/03/2024)",
 *   "1 April 2023 to 17 March 2024") ends on that date, even after the date the request was sent; only
 *   the reply's own date, when known and earlier, cuts it (a reply holds no data from after it was written);
 * - a bare "2023/24" (or "2023/24 (to date)") in a reply dated after the year ended is the whole year;
 * - a bare "2023/24" in a reply dated before the year ended, or with no date of its own (`replyDate`
 *   unknown: the sent date is then the only date we are sure of), ends on that date: part_year,
 *   flagged partial_period, with `runsTo` keeping the written end. Data of the reply dated later (a
 *   record-level row, a month's count) carries it on: `runningEnd`.
 */
export function parsePeriod(text: string, ctx: PeriodContext, location: Location = {}): Coded<PeriodCode> {
  const t = normalise(String(text ?? ''));
  const asOf = ctx.replyDate ?? ctx.sentDate;
  const dates = t === '' ? null : datesOf(t, asOf);
  if (dates === null)
    return fail(
      'period_unreadable',
      'No period (financial year, calendar year, month or date range) could be read.',
      location,
      String(text ?? ''),
    );
  const [start, written, statedEnd] = dates;
  let end = written;
  let { type, flags } = classify(start, end);
  const cutAt = statedEnd ? ctx.replyDate : asOf;
  // A period still running when the trust replied cannot hold later data, whether or not it says "to date".
  if (type !== 'month' && cutAt !== undefined && cutAt >= start && cutAt < end)
    [end, type, flags] = [cutAt, 'part_year', ['partial_period']];
  const period = { start, end, label: String(text).trim(), type };
  return ok(end < written && !statedEnd ? { period, flags, runsTo: written } : { period, flags });
}

/**
 * The end of a period still running on `asOf` (the reply's date, else the sent date), given the latest
 * day the reply holds data for (`lastData`: a record-level row's referral date, the last day of a month
 * with a count): rows dated after `asOf` make the period run to the end of the last row's month, or to
 * the period's own end when that month reaches it. A period that had ended by `asOf`, or one with no
 * data after it, ends as before.
 */
export function runningEnd(period: Pick<FoiPeriod, 'start' | 'end'>, asOf: string, lastData?: string | null): string {
  if (!(period.start <= asOf && asOf < period.end)) return period.end;
  if (lastData === undefined || lastData === null || lastData <= asOf) return asOf;
  const [y, m] = lastData.split('-').map(Number) as [number, number];
  const monthEnd = ymd(y, m, lastDay(y, m));
  return monthEnd < period.end ? monthEnd : period.end;
}

/** A period for exact dates, typed as its dates say (an April-March year is a financial year). */
export function periodFromDates(start: string, end: string, label: string): PeriodCode {
  const { type, flags } = classify(start, end);
  return { period: { start, end, label, type }, flags };
}

function consecutive(a: string, b: string): boolean {
  const y1 = fullYear(a);
  return (b.length === 2 ? Math.floor(y1 / 100) * 100 + Number(b) : Number(b)) === y1 + 1;
}

// Each pattern of P as a global regex, made once (matchAll copies it, so sharing one is safe).
const P_GLOBAL = Object.entries(P).map(([key, re]) => [key, new RegExp(re.source, 'g')] as const);
// The readers ask for the periods of the same line many times over (letter, count phrases, prose,
// blankPeriods): the spans of the texts seen last, by text (#18: pure performance, the same spans).
const periodsSeen = new Map<string, readonly { index: number; text: string }[]>();

/** Spans of `text` (already normalised) that read as periods, left to right, not overlapping. */
export function findPeriods(text: string): { index: number; text: string }[] {
  // Lines and paragraphs are kept; a long text (a whole page) is not, so the memory kept stays small.
  if (text.length > 2_000) return periodSpans(text);
  let spans = periodsSeen.get(text);
  if (spans === undefined) {
    if (periodsSeen.size >= 2_000) periodsSeen.clear();
    spans = periodSpans(text);
    periodsSeen.set(text, spans);
  }
  // Copies: a caller may change what it is given.
  return spans.map((s) => ({ ...s }));
}

function periodSpans(text: string): { index: number; text: string }[] {
  const spans: { index: number; text: string }[] = [];
  for (const [key, g] of P_GLOBAL) {
    for (const m of text.matchAll(g)) {
      const index = m.index;
      const end = index + m[0].length;
      if (spans.some((s) => index < s.index + s.text.length && end > s.index)) continue;
      // "FY22 - 58" is FY22 and a count, not a year range: a pair of years must be consecutive.
      if ((key === 'fyWords' || key === 'fy') && !consecutive(m[1] ?? m[3]!, m[2] ?? m[4]!)) continue;
      if (datesOf(m[0], '2100-01-01') !== null) spans.push({ index, text: m[0] });
    }
  }
  // "fy23/24 (to 29 february)" matched from "23/24": the span keeps its "FY" as written.
  const withFy = spans.map((sp) => {
    const fy = /\bfy\s*'?$/.exec(text.slice(0, sp.index));
    return fy ? { index: fy.index, text: text.slice(fy.index, sp.index + sp.text.length) } : sp;
  });
  return refined(
    text,
    withFy.sort((a, b) => a.index - b.index),
  );
}

/**
 * "FY23/24 (1 April 2023 to 17 March 2024)", "FY24 (to date, 01/04/2023 to 29/02/2024)": a period followed
 * by the dates it covered, in brackets and inside it, is one period (those dates), so nothing between the
 * two is left to read as a count.
 */
function refined(text: string, spans: { index: number; text: string }[]): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  for (const s of spans) {
    const prev = out.at(-1);
    const gap = prev ? text.slice(prev.index + prev.text.length, s.index) : '';
    const outer = prev ? datesOf(prev.text, '2100-01-01') : null;
    const inner = datesOf(s.text, '2100-01-01');
    // The bracket opens in the gap, or inside the first span ("fy24 (to date" then ", 01/04/2023 to ...").
    const opens =
      /^\s*[([]\s*(?:(?:to date|year to date|ytd|so far)\s*[,:;-]?\s*)?$/.test(gap) ||
      (prev !== undefined && /[([][^)\]]*$/.test(prev.text) && /^\s*[,:;-]?\s*$/.test(gap));
    if (prev && opens && outer && inner && inner[0] >= outer[0] && inner[1] <= outer[1]) {
      const close = /^\s*[)\]]/.exec(text.slice(s.index + s.text.length))?.[0] ?? '';
      out[out.length - 1] = { index: prev.index, text: text.slice(prev.index, s.index + s.text.length + close.length) };
    } else out.push(s);
  }
  return out;
}

/**
 * The wave's period these dates answer: same start, and the same end or, for a to-date period, an earlier
 * one. A single month never answers a longer period: it is a part to be summed.
 */
export function matchAskedPeriod(period: FoiPeriod, asked: readonly AskedPeriod[]): AskedPeriod | undefined {
  return asked.find(
    (a) =>
      a.start === period.start &&
      (a.end === period.end || (a.toDate && period.end < a.end && (period.type !== 'month' || a.type === 'month'))),
  );
}

/** The text with its periods (`spans`, by default all it holds) blanked out, so their digits are no counts. */
export function blankPeriods(
  text: string,
  spans: readonly { index: number; text: string }[] = findPeriods(text),
): string {
  let out = text;
  for (const p of [...spans].reverse())
    out = `${out.slice(0, p.index)}${' '.repeat(p.text.length)}${out.slice(p.index + p.text.length)}`;
  return out;
}

/** Months ("YYYY-MM") a period touches, in order. */
export function monthsOf(period: Pick<FoiPeriod, 'start' | 'end'>): string[] {
  const out: string[] = [];
  let [y, m] = period.start.split('-').map(Number) as [number, number];
  const last = period.end.slice(0, 7);
  while (`${y}-${pad(m)}` <= last && out.length < 1200) {
    out.push(`${y}-${pad(m)}`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}
