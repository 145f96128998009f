import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { CensusError } from '../../schemas/fault.ts';

/**
 * Working days for FOIA 2000 s10: a working day is any day other than a Saturday, a Sunday, Christmas
 * Day, Good Friday or a bank holiday in ANY part of the UK (s10(6)). Dates are ISO strings and all
 * arithmetic is on UTC day numbers, so the host time zone can never shift a date.
 */

const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
type Division = (typeof DIVISIONS)[number];
const STATUTORY_WORKING_DAYS = 20;

/**
 * The law a request is made under. `foia`: Freedom of Information Act 2000 (England, Wales, Northern
 * Ireland and UK-wide bodies): a working day is not a Saturday, Sunday, Christmas Day, Good Friday or a
 * bank holiday in any part of the UK (s10(6)). `foisa`: Freedom of Information (Scotland) Act 2002 for
 * Scottish public authorities (the NHS boards): 20 working days (s10(1)), where a working day is not a
 * Saturday, Sunday, Christmas Day or a bank holiday in Scotland under the Banking and Financial
 * Dealings Act 1971 (s73), so only the Scottish holidays of the calendar count.
 */
export type FoiLaw = 'foia' | 'foisa';
export const LAW_NAME: Record<FoiLaw, string> = {
  foia: 'the Freedom of Information Act 2000',
  foisa: 'the Freedom of Information (Scotland) Act 2002',
};
/** foi.md's long overdue: 40 working days is also the most ICO guidance allows with a public-interest extension. */
const LONG_OVERDUE_WORKING_DAYS = 40;

/** One line of reference/bank_holidays_uk.csv. */
export interface HolidayRow {
  date: string;
  name: string;
  division: string;
  status?: string;
}
interface Holiday {
  name: string;
  division: Division;
  status: string;
}

export interface BankHolidayCalendar {
  /** sha256 of the CSV content; due dates store it so a calendar change can trigger a recompute. */
  version: string;
  firstYear: number;
  lastYear: number;
  /** Years with no official row (only rows computed from the rules): one-off holidays there are unknown. */
  projectedYears: ReadonlySet<number>;
  holidays: ReadonlyMap<string, readonly Holiday[]>;
}

export type NonWorkingReason =
  | { kind: 'weekend'; name: 'Saturday' | 'Sunday' }
  /** Named in s10(6) itself, so non-working even if the CSV were to miss it. */
  | { kind: 'statutory'; name: 'Christmas Day' | 'Good Friday' }
  | { kind: 'bank_holiday'; name: string; divisions: Division[]; status: string };

interface SkippedDay {
  date: string;
  reasons: NonWorkingReason[];
}

export interface DueDate {
  received: string;
  due: string;
  workingDaysCounted: number;
  /** Every day skipped between receipt and the due date, with why. */
  explanation: SkippedDay[];
  calendarVersion: string;
  /** Some day counted lies in a projected year, so the date may still move. */
  projected: boolean;
  /** One line for a person: which holidays moved the date. */
  summary: string;
  /** Absent on due dates stored before FOISA was known: those are FOIA. */
  law?: FoiLaw;
}

/** Thrown rather than guessed: a date the holiday calendar does not cover has no known working-day status. */
export class CalendarRangeError extends CensusError {
  constructor(
    readonly date: string,
    calendar: Pick<BankHolidayCalendar, 'firstYear' | 'lastYear' | 'version'>,
    context: string,
  ) {
    super(
      'calendar_range',
      `${context}: ${date} is outside the bank-holiday calendar (covers ${calendar.firstYear}-${calendar.lastYear}, version ${calendar.version.slice(0, 12)}).`,
      'Add that year from https://www.gov.uk/bank-holidays.json to reference/bank_holidays_uk.csv (all three divisions), then recompute.',
    );
    this.name = 'CalendarRangeError';
  }
}

const malformed = (message: string) =>
  new CensusError(
    'internal',
    message,
    'Fix reference/bank_holidays_uk.csv (columns date,name,division,status) and run again.',
  );

const DAY_MS = 86_400_000;

export function toDayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return t / DAY_MS;
  }
  throw new CensusError(
    'usage',
    `"${iso}" is not a calendar date in YYYY-MM-DD form.`,
    'Pass an ISO date such as 2024-03-11.',
  );
}
const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (iso: string, n: number): string => fromDayNumber(toDayNumber(iso) + n);
export const calendarDaysBetween = (a: string, b: string): number => toDayNumber(b) - toDayNumber(a);

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19,
    b = Math.floor(year / 100),
    c = year % 100;
  const d = Math.floor(b / 4),
    e = b % 4,
    f = Math.floor((b + 8) / 25),
    g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30,
    i = Math.floor(c / 4),
    k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7,
    m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31),
    day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function calendarFromRows(rows: readonly HolidayRow[], version?: string): BankHolidayCalendar {
  const holidays = new Map<string, Holiday[]>();
  const years = new Set<number>();
  const officialYears = new Set<number>();
  for (const [i, row] of rows.entries()) {
    const division = row.division as Division;
    if (!DIVISIONS.includes(division) || !row.name) {
      throw malformed(
        `Bank-holiday row ${i + 1} (${JSON.stringify(row)}) needs a name and a division among ${DIVISIONS.join(', ')}.`,
      );
    }
    toDayNumber(row.date);
    years.add(Number(row.date.slice(0, 4)));
    if ((row.status || 'official') === 'official') officialYears.add(Number(row.date.slice(0, 4)));
    const list = holidays.get(row.date) ?? [];
    list.push({ name: row.name, division, status: row.status || 'official' });
    holidays.set(row.date, list);
  }
  if (years.size === 0)
    throw malformed('The bank-holiday calendar has no rows; expected reference/bank_holidays_uk.csv content.');
  const firstYear = Math.min(...years),
    lastYear = Math.max(...years);
  // A missing year in the middle would silently turn its holidays into working days.
  for (let y = firstYear; y <= lastYear; y++) {
    if (!years.has(y))
      throw malformed(`The bank-holiday calendar has no rows for ${y} between ${firstYear} and ${lastYear}.`);
  }
  const canonical = rows.map((r) => [r.date, r.name, r.division, r.status ?? ''].join(',')).join('\n');
  const projectedYears = new Set([...years].filter((y) => !officialYears.has(y)));
  return { version: version ?? sha256(canonical), firstYear, lastYear, projectedYears, holidays };
}

function calendarFromCsv(content: string | Uint8Array): BankHolidayCalendar {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  const parsed = Papa.parse<HolidayRow>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    throw malformed(`Bank-holiday CSV does not parse: ${parsed.errors[0]?.message} (row ${parsed.errors[0]?.row}).`);
  }
  return calendarFromRows(parsed.data, sha256(content));
}

const DEFAULT_CALENDAR = fileURLToPath(new URL('../../reference/bank_holidays_uk.csv', import.meta.url));

export function loadCalendar(path: string = DEFAULT_CALENDAR): BankHolidayCalendar {
  return calendarFromCsv(readFileSync(path));
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function assertCovered(date: string, cal: BankHolidayCalendar, context: string): void {
  const year = Number(date.slice(0, 4));
  if (year < cal.firstYear || year > cal.lastYear) throw new CalendarRangeError(date, cal, context);
}

/** Why a date is not a working day; empty when it is one. */
export function nonWorkingReasons(date: string, cal: BankHolidayCalendar, law: FoiLaw = 'foia'): NonWorkingReason[] {
  const day = toDayNumber(date);
  assertCovered(date, cal, 'Cannot tell whether a day is a working day');
  const reasons: NonWorkingReason[] = [];
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if (weekday === 6) reasons.push({ kind: 'weekend', name: 'Saturday' });
  if (weekday === 0) reasons.push({ kind: 'weekend', name: 'Sunday' });
  if (date.slice(5) === '12-25') reasons.push({ kind: 'statutory', name: 'Christmas Day' });
  // FOISA s73 names Christmas Day only; Good Friday is a Scottish bank holiday and comes from the calendar.
  if (law === 'foia' && day === toDayNumber(easterSunday(Number(date.slice(0, 4)))) - 2)
    reasons.push({ kind: 'statutory', name: 'Good Friday' });
  const byName = new Map<string, { divisions: Division[]; status: string }>();
  for (const h of cal.holidays.get(date) ?? []) {
    if (law === 'foisa' && h.division !== 'scotland') continue;
    const entry = byName.get(h.name) ?? { divisions: [], status: h.status };
    entry.divisions.push(h.division);
    byName.set(h.name, entry);
  }
  for (const [name, e] of byName)
    reasons.push({ kind: 'bank_holiday', name, divisions: e.divisions, status: e.status });
  return reasons;
}

export function isWorkingDay(date: string, cal: BankHolidayCalendar, law: FoiLaw = 'foia'): boolean {
  return nonWorkingReasons(date, cal, law).length === 0;
}

/** The `workingDays`-th working day after the day of receipt (receipt day is day 0, whatever day it is). */
export function dueDate(
  received: string,
  cal: BankHolidayCalendar,
  workingDays: number = STATUTORY_WORKING_DAYS,
  law: FoiLaw = 'foia',
): DueDate {
  assertCovered(received, cal, `Cannot compute a due date for a request received ${received}`);
  const explanation: SkippedDay[] = [];
  let date = received,
    counted = 0;
  while (counted < workingDays) {
    date = addDays(date, 1);
    assertCovered(date, cal, `Counting ${workingDays} working days from ${received} runs past the calendar`);
    const reasons = nonWorkingReasons(date, cal, law);
    if (reasons.length === 0) counted++;
    else explanation.push({ date, reasons });
  }
  const projected = [Number(received.slice(0, 4)), Number(date.slice(0, 4))].some((y) => cal.projectedYears.has(y));
  const summary =
    summarise(received, date, counted, explanation, law) +
    (projected ? ' Uses projected holidays, not yet official.' : '');
  return {
    ...(law === 'foia' ? {} : { law }),
    received,
    due: date,
    workingDaysCounted: counted,
    explanation,
    calendarVersion: cal.version,
    projected,
    summary,
  };
}

/** Working days d with a < d <= b (so dueDate(a).due is 20 after a); negative when b is before a. */
export function workingDaysBetween(a: string, b: string, cal: BankHolidayCalendar, law: FoiLaw = 'foia'): number {
  const [from, to] = [toDayNumber(a), toDayNumber(b)];
  if (to < from) return -workingDaysBetween(b, a, cal, law);
  assertCovered(a, cal, `Cannot count working days from ${a}`);
  let n = 0;
  for (let d = from + 1; d <= to; d++) {
    const iso = fromDayNumber(d);
    assertCovered(iso, cal, `Counting working days from ${a} to ${b} runs past the calendar`);
    if (nonWorkingReasons(iso, cal, law).length === 0) n++;
  }
  return n;
}

/** The last day before a request becomes long overdue. */
export function longOverdueDate(received: string, cal: BankHolidayCalendar, law: FoiLaw = 'foia'): string {
  return dueDate(received, cal, LONG_OVERDUE_WORKING_DAYS, law).due;
}

function summarise(received: string, due: string, counted: number, skipped: SkippedDay[], law: FoiLaw): string {
  const weekends = skipped.filter((s) => s.reasons.every((r) => r.kind === 'weekend')).length;
  const holidays = skipped
    .filter((s) => s.reasons.some((r) => r.kind !== 'weekend'))
    .map((s) => {
      // The statutory label only adds information when the CSV lacks that day.
      const csvNames = new Set(s.reasons.flatMap((r) => (r.kind === 'bank_holiday' ? [r.name] : [])));
      const named = s.reasons.filter(
        (r) => r.kind === 'bank_holiday' || (r.kind === 'statutory' && !csvNames.has(r.name)),
      );
      const labels = named.map((r) =>
        r.kind === 'bank_holiday'
          ? `${r.name} (${r.divisions.join(', ')}${r.status === 'official' ? '' : `; ${r.status}`})`
          : `${r.name} (${law === 'foia' ? 'FOIA s10(6)' : 'FOISA s73'})`,
      );
      return `${s.date} ${labels.join(' / ')}`;
    });
  const hol = holidays.length > 0 ? `; holidays skipped: ${holidays.join('; ')}` : '; no holidays in the period';
  const under = law === 'foisa' ? 'FOISA (Scottish holidays only)' : 'FOIA';
  return `Received ${received} (day 0); ${counted} working days counted under ${under}, ${weekends} weekend days skipped${hol}; due ${due}.`;
}

/**
 * A stored due date checked against the calendar now in use (foi.md: due dates are recomputed when the
 * calendar changes, and the change logged). `stale`: computed under another version; `moved`: the date differs.
 */
export function recheckDueDate(
  stored: { received: string; due: string; calendarVersion: string },
  cal: BankHolidayCalendar,
  workingDays: number = STATUTORY_WORKING_DAYS,
  law: FoiLaw = 'foia',
): { current: DueDate; stale: boolean; moved: boolean } {
  const current = dueDate(stored.received, cal, workingDays, law);
  return { current, stale: stored.calendarVersion !== cal.version, moved: stored.due !== current.due };
}
