import type { CountInterval, FoiFlag, FoiPeriod } from '../../schemas/foi.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { monthsOf, periodFromDates } from './period.ts';

/** Sums of counts: months to an asked period, parts against a stated total (spec/foi.md "Coding rules"). */

export interface LocatedCount {
  interval: CountInterval;
  location: Location;
  quote: string;
}
export interface MonthCount {
  period: FoiPeriod;
  /** null: the month is there but its count is missing (not held, withheld). */
  interval: CountInterval | null;
  flags: readonly FoiFlag[];
  location: Location;
  quote: string;
}
export interface MonthSum {
  interval: CountInterval;
  flags: FoiFlag[];
  /** The dates the sum covers: the asked period, or its start up to the last month given when it is to date. */
  period: FoiPeriod;
  /** Months ("YYYY-MM") the sum needed and did not have. */
  missing: string[];
  parts: MonthCount[];
}

/** Interval arithmetic: an open part makes the sum open. */
export function sumIntervals(xs: readonly CountInterval[]): CountInterval {
  let low = 0;
  let high: number | null = 0;
  for (const x of xs) {
    low += x.low;
    high = high === null || x.high === null ? null : high + x.high;
  }
  return { low, high };
}

/** A total agrees with its parts when the two intervals overlap; otherwise both are kept and an issue raised. */
export function checkTotal(
  parts: readonly { interval: CountInterval }[],
  total: LocatedCount,
  questionId?: string,
): { consistent: boolean; sum: CountInterval; issues: Issue[] } {
  const sum = sumIntervals(parts.map((p) => p.interval));
  const consistent = total.interval.low <= (sum.high ?? Infinity) && sum.low <= (total.interval.high ?? Infinity);
  if (consistent) return { consistent, sum, issues: [] };
  const show = (i: CountInterval) => (i.low === i.high ? String(i.low) : `[${i.low}, ${i.high ?? 'open'}]`);
  const message = `The stated total ${show(total.interval)} disagrees with the sum of its parts ${show(sum)}; both are kept.`;
  return {
    consistent,
    sum,
    issues: [
      issue('total_mismatch', 'warning', message, total.location, {
        raw: total.quote,
        ...(questionId ? { questionId } : {}),
      }),
    ],
  };
}

/**
 * Monthly counts summed to `period`, only when every month it needs is there; otherwise the sum is a
 * lower bound [sum, open] flagged incomplete. A period still running at `asOf` needs only the months
 * ended by then. A period still running when the request was made (`requestDate`: "2023/24 (to
 * date)") needs only the months up to the last month the table has a row for: a reply's data ends
 * where it ends ("to the end of the last complete month"); the sum is then a part year to that
 * month. A month whose row is there but blank is missing in every period. Counts given for every
 * month to the period's end answer the whole period, not flagged partial_period even when `asOf` is
 * earlier (an April reply with March's count). Null when no month of the period is given.
 */
export function sumMonths(
  values: readonly MonthCount[],
  period: Pick<FoiPeriod, 'start' | 'end' | 'label'>,
  asOf: string,
  requestDate?: string,
): MonthSum | null {
  const wanted = new Set(monthsOf(period));
  const byMonth = new Map<string, MonthCount>();
  for (const v of values) {
    const m = v.period.start.slice(0, 7);
    if (v.period.type === 'month' && wanted.has(m) && !byMonth.has(m)) byMonth.set(m, v);
  }
  if (byMonth.size === 0) return null;
  const running = requestDate !== undefined && period.start <= requestDate && requestDate < period.end;
  const lastRow = [...byMonth.keys()].sort().at(-1)!;
  const required = [...wanted].filter((m) =>
    running ? m <= lastRow && lastDayOf(m) <= asOf : period.end <= asOf || lastDayOf(m) <= asOf,
  );
  const given = [...byMonth.entries()].filter(([, v]) => v.interval !== null).sort(([a], [b]) => a.localeCompare(b));
  const missing = required.filter((m) => !given.some(([g]) => g === m));
  const parts = [...byMonth.values()].sort((a, b) => a.period.start.localeCompare(b.period.start));
  const sum = sumIntervals(given.map(([, v]) => v.interval!));
  const flags = new Set<FoiFlag>(
    given.flatMap(([, v]) => v.flags.filter((f) => f === 'suppressed' || f === 'approximate')),
  );
  const lastGiven = given.length > 0 ? lastDayOf(given[given.length - 1]![0]) : period.start;
  const end = missing.length === 0 && lastGiven < period.end ? lastGiven : period.end;
  const covered = periodFromDates(period.start, end, period.label);
  for (const f of covered.flags) flags.add(f);
  // Still running on `asOf`, unless counts are given for every month to its end (data dated after `asOf`).
  if (period.end > asOf && lastGiven < period.end) flags.add('partial_period');
  if (missing.length > 0) flags.add('incomplete');
  return {
    interval: missing.length > 0 ? { low: sum.low, high: null } : sum,
    flags: [...flags].sort(),
    period: covered.period,
    missing,
    parts,
  };
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
