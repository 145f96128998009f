import type { CodedValue, FoiReadResult, FoiReaderContext } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import { periodFromDates } from './period.ts';
import { recordWeakness, type RecordAggregate } from './records.ts';
import type { RecordCsvHeader, RecordStreamResult } from './record-stream.ts';
import { responseBasis } from './result.ts';
import { codedValue } from './value.ts';

/**
 * The reply a record-level csv makes once its rows are counted, wherever they were counted
 * (aggregateRecords in memory, or SQL over the staged rows of pipeline/foi/record-copy.ts): the
 * values, issues and summary csv.ts + table.ts give for the same file, so both paths agree exactly.
 */
export function recordReadResult(
  agg: RecordAggregate,
  header: RecordCsvHeader,
  stream: Pick<RecordStreamResult, 'errors'>,
  ctx: FoiReaderContext,
): FoiReadResult {
  const at = (row: number) => ({ fileHash: ctx.fileHash, row });
  const asOf = ctx.sentDate;
  const quote = header.cells.join(' | ');
  const values: CodedValue[] = [];
  for (const t of agg.tallies) {
    // A period still running on the reply's date ends there (table.ts: "to date" periods).
    const dated = periodFromDates(
      t.period.start,
      t.period.end > asOf && t.period.start <= asOf ? asOf : t.period.end,
      t.period.label,
    );
    const common = {
      wave: ctx.wave,
      period: dated.period,
      flags: dated.flags,
      ageBand: ctx.wave.askedAgeBand,
      location: at(header.row),
      quote,
      rule: 'record_aggregate' as const,
      evidence: `${agg.included} of ${agg.rowsRead} rows counted`,
    };
    const received = codedValue({
      ...common,
      basis: 'received',
      code: { interval: { low: t.received, high: t.received }, flags: [], exemptions: [] },
    });
    const teams = Object.entries(t.byTeam).sort(([a], [b]) => a.localeCompare(b));
    if (header.columns.team !== undefined && teams.length > 0) {
      received.derivedFrom = teams.map(([service, n]) => ({
        location: at(header.row),
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
  const issues = stream.errors.map((e) =>
    issue('csv_malformed', 'warning', `The csv could not be split cleanly: ${e.message}.`, {
      fileHash: ctx.fileHash,
      ...(e.row === undefined ? {} : { row: e.row }),
    }),
  );
  issues.push(...agg.issues);
  if (values.length === 0)
    issues.push(
      issue(
        'no_answers_found',
        'warning',
        'No table of counts or referrals was found in the csv; it goes to the coding sheet.',
        { fileHash: ctx.fileHash },
      ),
    );
  return {
    values,
    issues,
    basis: responseBasis(values, ctx.wave.periods),
    needsManualCoding: values.length === 0,
    textAnswers: [],
    trustHint: {},
    records: { rowsRead: agg.rowsRead, included: agg.included, excluded: agg.excluded },
  };
}
