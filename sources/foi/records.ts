import type { RawValue } from '../../schemas/answer.ts';
import type { AskedPeriod, CountInterval, RecordSummary } from '../../schemas/foi.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { normalise } from './coded.ts';

/**
 * Record-level replies (one row per referral) counted by the pipeline itself: per asked period, rows
 * outside every period or aged 24 months or more are left out and counted by reason (spec/foi.md).
 */

type ExclusionReason = keyof RecordSummary['excluded'];
/** 'weeks' and 'dob' (a date of birth, age = referral date less birth date) are read in memory only (pipeline/ingest/foi/record-copy.ts). */
type AgeUnit = 'years' | 'months' | 'weeks' | 'dob' | null;

export interface RecordColumns {
  date: number;
  age: number;
  /** From the header ("Age (months)"); null when it does not say. */
  ageUnit: AgeUnit;
  team?: number;
  outcome?: number;
}
export interface RecordRow {
  referralDate: RawValue;
  age: RawValue;
  ageUnit: AgeUnit;
  team?: string | null;
  outcome?: RawValue;
  location: Location;
}
interface PeriodTally {
  period: AskedPeriod;
  received: number;
  /** Accepted rows; the high end counts rows whose outcome could not be read. Null without an outcome column. */
  accepted: CountInterval | null;
  byTeam: Record<string, number>;
  /** The latest referral date of the rows counted in the period (ISO), null when none: how far the extract runs. */
  lastDate: string | null;
}
export interface RecordAggregate extends RecordSummary {
  tallies: PeriodTally[];
  issues: Issue[];
}

/** Columns of a per-referral header row, or null when the row is not one (needs a referral date and an age). */
export function detectRecordHeader(cells: readonly string[]): RecordColumns | null {
  const n = cells.map((c) => normalise(c));
  // Header synonyms: "Referral Date", "referral_date", "Date of referral", "Date received".
  const words = n.map((c) => c.replace(/_/g, ' '));
  const date = words.findIndex(
    (c) =>
      /\breferr\w*\b.*\bdate\b|\bdate\b.*\b(?:referr|received)|^date$|^referr\w* received(?: on)?$|^(?:date )?received$/.test(
        c,
      ) && !/\bbirth\b/.test(c),
  );
  const ageCol = words.findIndex((c) => /\bage\b/.test(c) && !/\bpage\b/.test(c));
  const dob = words.findIndex((c) => /\bdate of birth\b|\bbirth ?date\b|^dob$|\bd\.?o\.?b\.?\b/.test(c));
  const age = ageCol >= 0 ? ageCol : dob;
  if (date < 0 || age < 0) return null;
  const unit = words[age]!;
  const cols: RecordColumns = {
    date,
    age,
    ageUnit:
      ageCol < 0
        ? 'dob'
        : /\bmonths?\b|\bmths\b/.test(unit)
          ? 'months'
          : /\bweeks?\b|\bwks\b/.test(unit)
            ? 'weeks'
            : /\byears?\b|\byrs\b/.test(unit)
              ? 'years'
              : null,
  };
  const team = n.findIndex((c, i) => i !== date && /\b(?:team|service|pathway|department)\b/.test(c));
  const outcome = n.findIndex((c, i) => i !== date && /\b(?:accepted|outcome|status|accept)\b/.test(c));
  if (team >= 0) cols.team = team;
  if (outcome >= 0) cols.outcome = outcome;
  return cols;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const iso = (y: number, m: number, d: number) => {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
    ? dt.toISOString().slice(0, 10)
    : null;
};

/** A referral date as ISO; UK day-first order for "03/04/2023"; Excel serial numbers for numeric cells. */
export function parseDateCell(v: RawValue): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'number')
    return v > 20000 && v < 80000
      ? new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86400000).toISOString().slice(0, 10)
      : null;
  if (typeof v !== 'string') return null;
  const t = normalise(v);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})(?:[t ][\d:.z+-]*)?$/.exec(t))) return iso(+m[1]!, +m[2]!, +m[3]!);
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: [\d:]+)?$/.exec(t)))
    return iso(m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!, +m[2]!, +m[1]!);
  if ((m = /^(\d{1,2})[ -]([a-z]{3})[a-z]*\.?[ -](\d{4}|\d{2})$/.exec(t))) {
    const mo = MONTHS.indexOf(m[2]!) + 1;
    return mo > 0 ? iso(m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!, mo, +m[1]!) : null;
  }
  return null;
}

/**
 * Age in months, or 'unknown_unit' when neither header nor cell gives the unit and the value is 2 or more.
 * Values under 2 need no unit: 0 or 1 (or 1.5) is under 24 months read as years or as months.
 */
function parseAgeCell(v: RawValue, unit: AgeUnit, referral?: string): number | 'unknown_unit' | null {
  if (unit === 'dob') {
    const born = parseDateCell(v);
    return born === null || referral === undefined ? null : completedMonths(born, referral);
  }
  const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? normalise(v) : '';
  let m: RegExpExecArray | null;
  if ((m = /^(\d+(?:\.\d+)?)\s*(?:y|yrs?|years?)(?:,?\s*(\d+)\s*(?:m|mths?|months?))?$/.exec(t)))
    return +m[1]! * 12 + +(m[2] ?? 0);
  if ((m = /^(\d+(?:\.\d+)?)\s*(?:m|mths?|months?)$/.exec(t))) return +m[1]!;
  if (!(m = /^(\d+(?:\.\d+)?)$/.exec(t))) return null;
  const n = +m[1]!;
  if (n > 1500) return null;
  if (unit === 'months') return n;
  if (unit === 'years') return n * 12;
  // Completed months of a child so many weeks old (a month is 30.4375 days on average).
  if (unit === 'weeks') return Math.floor((n * 7) / 30.4375);
  return n < 2 ? n : 'unknown_unit';
}

/** Whole months from one ISO date to another (a birthday not yet reached in the month does not count); negative when before. */
function completedMonths(from: string, to: string): number | null {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  if (to < from) return null;
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

function outcomeOf(v: RawValue): boolean | null {
  if (typeof v === 'boolean') return v;
  const t = normalise(String(v ?? ''));
  // Advice, signposting or no further action is not "accepted (assessed or treated)".
  if (
    /\b(?:not accepted|rejected|declined|signposted|redirected|refused|advice(?: only| given)?|no further action|nfa|inappropriate|not appropriate|withdrawn)\b|^(?:n|no|false|0)$/.test(
      t,
    )
  )
    return false;
  if (/\baccepted\b|^(?:y|yes|true|1|accept|assessed|treated)$/.test(t)) return true;
  return null;
}

/** Counts rows per asked period; every row left out is counted by reason, unreadable ones also get an issue. */
export function aggregateRecords(rows: readonly RecordRow[], periods: readonly AskedPeriod[]): RecordAggregate {
  const excluded: RecordAggregate['excluded'] = {
    outside_period: 0,
    age_24_months_or_more: 0,
    unreadable_date: 0,
    unreadable_age: 0,
  };
  const first: Partial<Record<ExclusionReason, Location>> = {};
  const issues: Issue[] = [];
  const hasOutcome = rows.some((r) => r.outcome !== undefined);
  const tallies: PeriodTally[] = periods.map((period) => ({
    period,
    received: 0,
    accepted: hasOutcome ? { low: 0, high: 0 } : null,
    byTeam: {},
    lastDate: null,
  }));
  let unknownUnit = 0;
  const exclude = (r: RecordRow, reason: ExclusionReason) => {
    excluded[reason] += 1;
    first[reason] ??= r.location;
  };
  for (const r of rows) {
    const date = parseDateCell(r.referralDate);
    if (date === null) {
      exclude(r, 'unreadable_date');
      issues.push(
        issue(
          'referral_date_unreadable',
          'warning',
          'The referral date could not be read; the row is left out.',
          r.location,
          { raw: String(r.referralDate ?? '') },
        ),
      );
      continue;
    }
    const age = parseAgeCell(r.age, r.ageUnit, date);
    if (age === null || age === 'unknown_unit') {
      exclude(r, 'unreadable_age');
      if (age === 'unknown_unit') unknownUnit += 1;
      else
        issues.push(
          issue(
            'age_unreadable',
            'warning',
            'The age at referral could not be read; the row is left out.',
            r.location,
            { raw: String(r.age ?? '') },
          ),
        );
      continue;
    }
    if (age >= 24) {
      exclude(r, 'age_24_months_or_more');
      continue;
    }
    const tally = tallies.find((t) => date >= t.period.start && date <= t.period.end);
    if (tally === undefined) {
      exclude(r, 'outside_period');
      continue;
    }
    tally.received += 1;
    if (tally.lastDate === null || date > tally.lastDate) tally.lastDate = date;
    const team = (r.team ?? '').trim();
    if (team !== '') tally.byTeam[team] = (tally.byTeam[team] ?? 0) + 1;
    if (tally.accepted) {
      const o = outcomeOf(r.outcome ?? null);
      if (o !== false) tally.accepted.high! += 1;
      if (o === true) tally.accepted.low += 1;
    }
  }
  if (unknownUnit > 0) {
    issues.push(
      issue(
        'age_unit_unknown',
        'warning',
        `${unknownUnit} rows give an age of 2 or more without saying years or months; they are left out. Ask the trust which unit the column uses.`,
        first.unreadable_age ?? {},
      ),
    );
  }
  for (const reason of ['outside_period', 'age_24_months_or_more'] as const) {
    if (excluded[reason] > 0)
      issues.push(
        issue('records_excluded', 'info', `${excluded[reason]} rows left out: ${reason}.`, first[reason] ?? {}, {
          raw: reason,
        }),
      );
  }
  const included = tallies.reduce((s, t) => s + t.received, 0);
  return { tallies, issues, rowsRead: rows.length, included, excluded };
}

/**
 * The confidence gate for a record-level value: rows whose outcome, date or age could not be read make
 * the count uncertain, so it is only a suggestion for a person to confirm; null when every row was read.
 */
export function recordWeakness(
  agg: Pick<RecordAggregate, 'excluded'>,
  interval: { low: number; high: number | null },
): string | undefined {
  const unread = agg.excluded.unreadable_age + agg.excluded.unreadable_date;
  if (unread > 0) return `${unread} rows of the extract have an age or referral date that could not be read`;
  if (interval.high !== interval.low)
    return `${(interval.high ?? interval.low) - interval.low} rows have an outcome that could not be read as accepted or not`;
  return undefined;
}
