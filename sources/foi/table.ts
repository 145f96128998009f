import type { CodedValue, RecordSummary } from '../../schemas/foi.ts';
import type { Issue } from '../../schemas/issue.ts';
import { combine } from './combine.ts';
import { readLayout, type GridCell, type TableContext } from './grid.ts';
import { aggregateRecords, detectRecordHeader, type RecordRow } from './records.ts';
import { tallyValues } from './tally-values.ts';

/** Any table of a reply (xlsx sheet, csv, a table in a PDF letter): per-referral rows, or counts by period. */

export interface TableResult {
  values: CodedValue[];
  issues: Issue[];
  /** Count cells that could not be coded: the reply needs a person. */
  uncoded: number;
  records?: RecordSummary;
  /** False when the table holds neither shape. */
  recognised: boolean;
}

const HEADER_SEARCH_ROWS = 15;

export function codeTable(input: readonly GridCell[][], ctx: TableContext): TableResult {
  const rows = input.filter((r) => r.some((c) => c.text.trim() !== ''));
  const h = rows.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => detectRecordHeader(r.map((c) => c.text)) !== null);
  if (h >= 0) return codeRecords(rows, h, ctx);
  const layout = readLayout(rows, ctx);
  if (layout === null) return { values: [], issues: [], uncoded: 0, recognised: false };
  const { values, issues } = combine(layout, ctx);
  return { values, issues: [...layout.issues, ...issues], uncoded: layout.uncoded, recognised: true };
}

function codeRecords(rows: readonly GridCell[][], h: number, ctx: TableContext): TableResult {
  const header = rows[h]!;
  const cols = detectRecordHeader(header.map((c) => c.text))!;
  const typed = (c: GridCell | undefined) => c?.value ?? c?.text ?? null;
  const records: RecordRow[] = rows.slice(h + 1).map((r) => {
    const row: RecordRow = {
      referralDate: typed(r[cols.date]),
      age: typed(r[cols.age]),
      ageUnit: cols.ageUnit,
      location: r[cols.date]?.location ?? r[0]!.location,
    };
    if (cols.team !== undefined) row.team = r[cols.team]?.text ?? null;
    if (cols.outcome !== undefined) row.outcome = typed(r[cols.outcome]);
    return row;
  });
  const agg = aggregateRecords(records, ctx.wave.periods);
  const teamCell = cols.team === undefined ? undefined : header[cols.team];
  const values = tallyValues(agg, {
    wave: ctx.wave,
    asOf: ctx.period.replyDate ?? ctx.period.sentDate,
    location: header[0]!.location,
    quote: header.map((c) => c.text).join(' | '),
    ...(teamCell ? { teamLocation: teamCell.location } : {}),
  });
  return {
    values,
    issues: agg.issues,
    uncoded: 0,
    records: { rowsRead: agg.rowsRead, included: agg.included, excluded: agg.excluded },
    recognised: true,
  };
}
