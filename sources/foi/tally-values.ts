import type { CodedValue, FoiReaderContext } from '../../schemas/foi.ts';
import type { Location } from '../../schemas/issue.ts';
import { periodFromDates, runningEnd } from './period.ts';
import { recordWeakness, type RecordAggregate } from './records.ts';
import { codedValue } from './value.ts';

/**
 * The values a record-level extract gives once its rows are counted: received (and accepted, where
 * outcomes were read) per period, each with the rows behind it; a period still running on `asOf`
 * ends there ("to date" periods). One function for every path that counts records (the csv
 * stream, SQL over staged rows, a record table inside a spreadsheet or PDF), so they agree exactly.
 */
export function tallyValues(
  agg: RecordAggregate,
  at: { wave: FoiReaderContext['wave']; asOf: string; location: Location; quote: string; teamLocation?: Location },
): CodedValue[] {
  const values: CodedValue[] = [];
  for (const t of agg.tallies) {
    const dated = periodFromDates(t.period.start, runningEnd(t.period, at.asOf, t.lastDate), t.period.label);
    const common = {
      wave: at.wave,
      period: dated.period,
      flags: dated.flags,
      ageBand: at.wave.askedAgeBand,
      location: at.location,
      quote: at.quote,
      rule: 'record_aggregate' as const,
      evidence: `${agg.included} of ${agg.rowsRead} rows counted`,
    };
    const received = codedValue({
      ...common,
      basis: 'received',
      code: { interval: { low: t.received, high: t.received }, flags: [], exemptions: [] },
    });
    const teams = Object.entries(t.byTeam).sort(([a], [b]) => a.localeCompare(b));
    if (at.teamLocation && teams.length > 0) {
      const teamLocation = at.teamLocation;
      received.derivedFrom = teams.map(([service, n]) => ({
        location: teamLocation,
        quote: service,
        interval: { low: n, high: n },
        service,
      }));
    }
    const weakRows = recordWeakness(agg, { low: t.received, high: t.received });
    if (weakRows !== undefined) received.suggestion = weakRows;
    values.push(received);
    if (t.accepted) {
      const accepted = codedValue({
        ...common,
        basis: 'accepted',
        code: { interval: t.accepted, flags: [], exemptions: [] },
      });
      const weak = recordWeakness(agg, t.accepted);
      if (weak !== undefined) accepted.suggestion = weak;
      values.push(accepted);
    }
  }
  return values;
}
