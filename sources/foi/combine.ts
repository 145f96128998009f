import type { AgeBand, CodedValue, FoiFlag, ReferralBasis } from '../../schemas/foi.ts';
import type { Issue } from '../../schemas/issue.ts';
import { combineBands } from './age-band.ts';
import { normalise } from './coded.ts';
import type { CountCode } from './count.ts';
import type { Layout, Observation, TableContext } from './grid.ts';
import { periodFromDates, runningEnd } from './period.ts';
import { checkTotal, sumIntervals, sumMonths } from './totals.ts';
import { codedValue, partOf } from './value.ts';

/**
 * Observations of a table to values: within a period, age splits that together make the asked band
 * and teams are summed (and checked against a stated total, which wins and keeps the parts); months
 * are values of their own and are also summed to each asked period they fill.
 */

const showInterval = (i: { low: number; high: number | null }) =>
  i.low === i.high ? String(i.low) : `${i.low} to ${i.high ?? 'open'}`;
const quoteOf = (c: { text: string; quote?: string }) => c.quote ?? c.text;

const KEEP: FoiFlag[] = ['suppressed', 'approximate'];

function valueOf(
  o: Observation,
  ctx: TableContext,
  extra: Partial<{ band: AgeBand; code: CountCode; parts: Observation[]; flags: FoiFlag[] }> = {},
): CodedValue {
  const band = extra.band ?? o.dim.band;
  const v = codedValue({
    wave: ctx.wave,
    basis: o.dim.basis!,
    period: o.period,
    code: extra.code ?? o.code,
    flags: [...o.periodFlags, ...(extra.flags ?? [])],
    ageBand: band,
    ...(o.dim.team !== undefined && !extra.parts ? { service: o.dim.team } : {}),
    location: o.cell.location,
    quote: o.cell.quote ?? o.cell.text,
    rule: 'table_header',
    evidence: o.evidence,
  });
  const weak = [o, ...(extra.parts ?? [])].find((p) => p.weak !== undefined)?.weak;
  if (weak !== undefined) v.suggestion = weak;
  if (extra.parts) v.derivedFrom = extra.parts.map((p) => partOf(valueOf(p, ctx)));
  return v;
}

function sumCode(parts: readonly Observation[]): CountCode | null {
  if (parts.some((p) => p.code.interval === null)) return null;
  const flags = [...new Set(parts.flatMap((p) => p.code.flags.filter((f) => KEEP.includes(f))))].sort();
  return {
    interval: sumIntervals(parts.map((p) => p.code.interval!)),
    flags,
    exemptions: [...new Set(parts.flatMap((p) => p.code.exemptions))].sort(),
  };
}

/** One period of one basis: the value(s) its cells make (`blank`: its parts left blank in the table). */
function periodValues(
  group: Observation[],
  ctx: TableContext,
  issues: Issue[],
  blank: readonly string[] = [],
): CodedValue[] {
  const totals = group.filter((o) => o.dim.total);
  const parts = group.filter((o) => !o.dim.total);
  const asked = ctx.wave.askedAgeBand.months ?? [-1, -1];
  let combined: { code: CountCode; band: AgeBand } | null = null;
  if (parts.length > 1 && parts.every((p) => p.dim.bandGiven && p.dim.team === undefined)) {
    const span = combineBands(parts.map((p) => p.dim.band));
    const code = sumCode(parts);
    if (span !== null && code !== null) {
      const exact = span[0] === asked[0] && span[1] === asked[1];
      combined = { code, band: { label: parts.map((p) => p.dim.band.label).join(' + '), months: span, exact } };
    }
  } else if (
    parts.length > 1 &&
    parts.every((p) => p.dim.team !== undefined && p.dim.band.label === parts[0]!.dim.band.label)
  ) {
    const code = sumCode(parts);
    if (code !== null) combined = { code, band: parts[0]!.dim.band };
  }
  const total = totals.length === 1 && totals[0]!.code.interval !== null ? totals[0]! : undefined;
  if (combined && total) {
    const check = checkTotal(
      parts.map((p) => ({ interval: p.code.interval! })),
      { interval: total.code.interval!, location: total.cell.location, quote: total.cell.quote ?? total.cell.text },
      valueOf(total, ctx).questionId,
    );
    issues.push(...check.issues);
    const v = valueOf(total, ctx, { band: combined.band, parts, flags: check.consistent ? [] : ['total_mismatch'] });
    // Two readings that disagree (the stated total and the sum of its parts): a person says which is right.
    if (!check.consistent)
      v.suggestion = `the stated total ${total.cell.text.trim()} disagrees with the sum of its parts (${parts.map((p) => p.cell.text.trim()).join(' + ')} = ${showInterval(combined.code.interval!)}): a person says which is right`;
    return [v];
  }
  if (combined) {
    const v = valueOf(parts[0]!, ctx, { band: combined.band, code: combined.code, parts });
    // A part left blank ("2023/24" with July blank and no March): the others' sum may be short of the period.
    if (blank.length > 0 && v.suggestion === undefined)
      v.suggestion = `no count for ${blank.join(', ')}: a person must say whether the blank is nil before the parts are added`;
    return [v];
  }
  // Nothing to combine: every cell stands as given (a lone value, or splits that do not make the asked band).
  return group.map((o) => valueOf(o, ctx));
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_ALONE =
  /^(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$/;

/**
 * A period cut at the reply's (or sent) date whose cells are broken down by month names alone ("Apr" ...
 * "Mar" rows under a "2023/24" column, with a Total row): the last month with a count is the month of
 * the period it names (April of the start year onwards), and data in a month after the cut carries the
 * period on to that month's end, or to its own end (spec: a reply's data ends where it ends; an April
 * reply listing March's count answers the whole of 2023/24). Other groups are returned as they are.
 */
function runOn(group: Observation[], replyDate: string | undefined): Observation[] {
  const cut = group[0]!;
  const written = cut.periodRunsTo;
  if (written === undefined) return group;
  const [sy, sm] = cut.period.start.split('-').map(Number) as [number, number];
  let last: string | null = null;
  for (const o of group) {
    const name = MONTH_ALONE.exec(normalise(o.dim.team ?? ''))?.[1];
    if (name === undefined || o.code.interval === null) continue;
    const m = MONTH_NAMES.indexOf(name.slice(0, 3)) + 1;
    const y = m >= sm ? sy : sy + 1;
    const monthEnd = `${y}-${String(m).padStart(2, '0')}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    if (last === null || monthEnd > last) last = monthEnd;
  }
  // A reply holds no data from after its own date: with that date known, the cut there stands.
  if (last !== null && replyDate !== undefined && last > replyDate) last = replyDate;
  const end = runningEnd({ start: cut.period.start, end: written }, cut.period.end, last);
  if (end === cut.period.end) return group;
  const { period, flags } = periodFromDates(cut.period.start, end, cut.period.label);
  return group.map((o) => {
    const moved: Observation = { ...o, period, periodFlags: flags };
    if (end === written) delete moved.periodRunsTo;
    return moved;
  });
}

export function combine(layout: Layout, ctx: TableContext): { values: CodedValue[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const values: CodedValue[] = [];
  const groups = new Map<string, Observation[]>();
  for (const o of layout.obs) {
    const key = `${o.dim.basis}|${o.period.start}|${o.period.end}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const group of groups.values()) {
    const blank = layout.blankParts
      .filter((b) => b.basis === group[0]!.dim.basis && b.start === group[0]!.period.start)
      .map((b) => b.label);
    values.push(...periodValues(runOn(group, ctx.period.replyDate), ctx, issues, blank));
  }

  for (const t of layout.crossTotals) {
    const parts = layout.obs.filter((o) => o.dim.label === t.dim.label && o.dim.basis === t.dim.basis);
    if (t.code.interval === null || parts.length === 0 || parts.some((p) => p.code.interval === null)) continue;
    issues.push(
      ...checkTotal(
        parts.map((p) => ({ interval: p.code.interval! })),
        { interval: t.code.interval, location: t.cell.location, quote: t.cell.quote ?? t.cell.text },
      ).issues,
    );
  }

  const asOf = ctx.period.replyDate ?? ctx.period.sentDate;
  for (const basis of ['received', 'accepted'] as ReferralBasis[]) {
    const months = values.filter((v) => v.basis === basis && v.period?.type === 'month' && v.service === undefined);
    for (const asked of ctx.wave.periods) {
      const inPeriod = months.filter((m) => m.period!.start >= asked.start && m.period!.end <= asked.end);
      const blanks = layout.blankMonths.filter(
        (b) => b.basis === basis && b.period.start >= asked.start && b.period.end <= asked.end,
      );
      const sum = sumMonths(
        [
          ...inPeriod.map((m) => ({
            period: m.period!,
            interval: m.interval,
            flags: m.flags,
            location: m.location,
            quote: m.quote,
          })),
          ...blanks.map((b) => ({
            period: b.period,
            interval: null,
            flags: [],
            location: b.cell.location,
            quote: quoteOf(b.cell),
          })),
        ],
        asked,
        asOf,
        ctx.period.sentDate,
      );
      // No month of the period has a count (all blank): nothing to sum, a person codes it.
      const first = [...inPeriod].sort((a, b) => a.period!.start.localeCompare(b.period!.start))[0];
      if (sum === null || first === undefined) continue;
      const bands = [...new Set(inPeriod.map((m) => m.ageBand.label))];
      const v = codedValue({
        wave: ctx.wave,
        questionId: first.questionId,
        basis,
        period: sum.period,
        code: {
          interval: sum.interval,
          flags: sum.flags,
          exemptions: [...new Set(inPeriod.flatMap((m) => m.exemptions))].sort(),
        },
        flags: bands.length > 1 ? ['band_mismatch'] : first.flags.filter((f) => f === 'band_mismatch'),
        ageBand: first.ageBand,
        location: first.location,
        quote: first.quote,
        derivedFrom: inPeriod.filter((m) => m.interval !== null).map(partOf),
        rule: 'month_sum',
        evidence: `sum of ${inPeriod.filter((m) => m.interval !== null).length} month rows`,
      });
      const weakMonth = inPeriod.find((m) => m.suggestion !== undefined);
      if (weakMonth) v.suggestion = `a month it sums is only a suggestion (${weakMonth.suggestion})`;
      // A month left blank may be nil or unknown: only a person can say, so the partial sum is a suggestion.
      else if (sum.missing.length > 0)
        v.suggestion = `no count for ${sum.missing.join(', ')}: a person must say whether the blank is nil`;
      v.askedPeriodId = asked.id;
      values.push(v);
    }
  }
  return { values, issues };
}
