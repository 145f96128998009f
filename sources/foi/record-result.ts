import type { FoiReadResult, FoiReaderContext } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import type { RecordAggregate } from './records.ts';
import { tallyValues } from './tally-values.ts';
import type { RecordCsvHeader, RecordStreamResult } from './record-stream.ts';
import { responseBasis } from './result.ts';

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
  const location = at(header.row);
  const values = tallyValues(agg, {
    wave: ctx.wave,
    asOf: ctx.sentDate,
    location,
    quote: header.cells.join(' | '),
    ...(header.columns.team !== undefined ? { teamLocation: location } : {}),
  });
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
