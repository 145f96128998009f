import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { FoiReadResult, FoiReaderContext } from '../../../schemas/foi.ts';
import { issue, type Issue } from '../../../schemas/issue.ts';
import type { RecordAggregate, RecordColumns } from '../../../sources/foi/records.ts';
import { recordReadResult } from '../../../sources/foi/record-result.ts';
import {
  recordCell,
  streamRecordCsv,
  type RecordBatch,
  type RecordCsvHeader,
  type RecordStreamResult,
} from '../../../sources/foi/record-stream.ts';

/**
 * The streaming load path of large record-level csv replies (sql/009): rows go from the file through
 * papaparse into foi_referral_row by COPY FROM STDIN, never the whole file in memory, then are
 * counted in SQL by foi_referral_classified with the rules of sources/foi/records.ts. The result is
 * the FoiReadResult readFoiCsv gives for the same bytes, so the processor stores it the same way.
 */

/** Below this size readFoiCsv reads a csv in well under a second and ~100 MB; above it, this path. */
export const RECORD_COPY_MIN_BYTES = 8 * 1024 * 1024;
/** Per-row issues (unreadable dates and ages) kept; a broken column of a million rows is one issue's worth. */
export const MAX_ROW_ISSUES = 1000;

export interface RecordCopyDeps {
  pool: pg.Pool;
  now: Date;
}
export interface RecordLoad {
  loadId: string;
  header: RecordCsvHeader;
  stream: RecordStreamResult;
}

const COPY_SQL = 'copy foi_referral_row (load_id, row_no, referral_date, age, team, outcome) from stdin';
const SPECIAL = /[\\\t\n\r\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\uFFFD' };
const NULL_CELL = Buffer.from('\\N');

/**
 * A batch in COPY's text format, written straight into bytes: building a string per row cost a
 * million strings for the GC and made the load 1.5x slower (measured). \N for a column the file or
 * the row lacks; NUL cannot be stored in text and becomes U+FFFD.
 */
function copyBytes(prefix: Buffer, cols: RecordColumns, b: RecordBatch): Buffer {
  let out = Buffer.allocUnsafe(Math.max(1 << 16, b.rowNos.length * 64));
  let off = 0;
  const room = (n: number): void => {
    if (off + n <= out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, off + n));
    out.copy(bigger, 0, 0, off);
    out = bigger;
  };
  const cell = (v: string | undefined, end: number): void => {
    if (v === undefined) {
      room(3);
      NULL_CELL.copy(out, off);
      off += 2;
      out[off++] = end;
      return;
    }
    const s = SPECIAL.test(v) ? v.replace(/[\\\t\n\r\0]/g, (c) => ESCAPES[c]!) : v;
    // A UTF-16 unit is at most 3 bytes of UTF-8: write() must never run out of room (it truncates).
    room(s.length * 3 + 1);
    // Short ASCII cells (dates, ages) byte by byte: cheaper than a call into write() per cell.
    let ascii = s.length <= 32;
    for (let j = 0; ascii && j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c > 127) ascii = false;
      else out[off + j] = c;
    }
    off += ascii ? s.length : out.write(s, off);
    out[off++] = end;
  };
  for (let i = 0; i < b.rowNos.length; i++) {
    const row = b.rows[i]!;
    room(prefix.length + 12);
    off += prefix.copy(out, off);
    let n = b.rowNos[i]!;
    let len = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len += 1;
    for (let k = off + len - 1; k >= off; k--, n = Math.floor(n / 10)) out[k] = 48 + (n % 10);
    off += len;
    out[off++] = 9;
    cell(recordCell(row, cols.date), 9);
    cell(recordCell(row, cols.age), 9);
    cell(recordCell(row, cols.team), 9);
    cell(recordCell(row, cols.outcome), 10);
  }
  return out.subarray(0, off);
}

/**
 * Copies the file's rows into the staging table in one transaction, replacing an earlier load of the
 * same file and wave. Null, with nothing written, when the file has no per-referral header.
 */
class InMemoryOnly extends Error {}

export async function copyRecordCsv(
  path: string,
  file: { sha256: string; wave: number },
  deps: RecordCopyDeps,
): Promise<RecordLoad | null> {
  const client = await deps.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const old = await client.query<{ id: string }>(
      'delete from foi_referral_load where sha256 = $1 and wave = $2 returning id',
      [file.sha256, file.wave],
    );
    if (old.rows.length > 0)
      await client.query('delete from foi_referral_row where load_id = any($1::bigint[])', [old.rows.map((r) => r.id)]);
    let loadId = '';
    let prefix = Buffer.alloc(0);
    let columns: RecordColumns | null = null;
    let copy: ReturnType<typeof copyStreams.from> | null = null;
    let copyError: unknown = null;
    const stream = await streamRecordCsv(path, {
      async header(h) {
        // Ages in weeks or from a date of birth are counted by the in-memory reader (sources/foi/records.ts) only.
        if (h.columns.ageUnit === 'weeks' || h.columns.ageUnit === 'dob') throw new InMemoryOnly();
        const { rows } = await client.query<{ id: string }>(
          `insert into foi_referral_load (sha256, wave, header_row, header, age_unit, has_team, has_outcome, encoding, delimiter, loaded_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
          [
            file.sha256,
            file.wave,
            h.row,
            h.cells,
            h.columns.ageUnit,
            h.columns.team !== undefined,
            h.columns.outcome !== undefined,
            h.encoding,
            h.delimiter,
            deps.now,
          ],
        );
        loadId = String(rows[0]!.id);
        prefix = Buffer.from(`${loadId}\t`);
        columns = h.columns;
        copy = client.query(copyStreams.from(COPY_SQL));
        copy.on('error', (e) => {
          copyError ??= e;
        });
      },
      async rows(batch) {
        if (copyError) throw copyError;
        // events.once rejects if the COPY fails while we wait for it to drain.
        if (!copy!.write(copyBytes(prefix, columns!, batch))) await once(copy!, 'drain');
      },
    });
    if (!stream.header || !copy) {
      await client.query('rollback');
      return null;
    }
    const done: ReturnType<typeof copyStreams.from> = copy;
    done.end();
    await finished(done);
    await client.query('update foi_referral_load set rows_copied = $2 where id = $1', [loadId, stream.rowsRead]);
    await client.query('commit');
    return { loadId, header: stream.header, stream };
  } catch (err) {
    if (err instanceof InMemoryOnly) {
      await client.query('rollback');
      return null;
    }
    // The connection may be mid-COPY, where a rollback would wait for ever: it is closed instead,
    // and the server rolls the transaction back.
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}

interface CountRow {
  by_team: boolean;
  reason: string | null;
  period_ord: number | null;
  team: string | null;
  n: number;
  accepted_low: number;
  accepted_high: number;
  first_row: number;
}
interface BadRow {
  row_no: number;
  reason: 'unreadable_date' | 'unreadable_age';
  raw: string;
}

/**
 * aggregateRecords over a load's staged rows: the same tallies, exclusions and issues, in the same
 * order, except that per-row issues stop at MAX_ROW_ISSUES with one issue saying how many more.
 */
export async function countRecordLoad(
  load: RecordLoad,
  ctx: Pick<FoiReaderContext, 'fileHash' | 'wave'>,
  pool: pg.Pool,
): Promise<RecordAggregate> {
  // A million new rows leave the statistics stale; counting then ran about twice as slow (measured).
  await pool.query('analyze foi_referral_row');
  const periods = ctx.wave.periods;
  const asked = JSON.stringify(periods.map((p, i) => ({ ord: i, start: p.start, end: p.end })));
  const counts = await pool.query<CountRow>(
    `select grouping(team) = 0 as by_team, reason, period_ord, team, count(*)::integer as n,
       count(*) filter (where accepted)::integer as accepted_low, count(*) filter (where accepted is not false)::integer as accepted_high,
       min(row_no) as first_row
     from foi_referral_classified($1, $2::jsonb)
     group by grouping sets ((reason, period_ord), (period_ord, team))
     order by by_team, reason nulls first, period_ord, team`,
    [load.loadId, asked],
  );
  const bad = await pool.query<BadRow>(
    `select row_no, case when reason = 'unreadable_date' then reason else 'unreadable_age' end as reason,
       case when reason = 'unreadable_date' then raw_date else raw_age end as raw
     from foi_referral_classified($1, $2::jsonb) where reason in ('unreadable_date', 'unreadable_age')
     order by row_no limit $3`,
    [load.loadId, asked, MAX_ROW_ISSUES + 1],
  );
  // The latest referral date counted in each period (aggregateRecords' lastDate), parsed once per distinct date.
  const last = await pool.query<{ period_ord: number; last_date: string }>(
    `select c.period_ord, to_char(max(foi_referral_date(c.raw_date)), 'YYYY-MM-DD') as last_date
     from (select distinct period_ord, raw_date from foi_referral_classified($1, $2::jsonb) where reason is null) c
     group by c.period_ord`,
    [load.loadId, asked],
  );
  const at = (row: number) => ({ fileHash: ctx.fileHash, row });
  const excluded: RecordAggregate['excluded'] = {
    outside_period: 0,
    age_24_months_or_more: 0,
    unreadable_date: 0,
    unreadable_age: 0,
  };
  const first: Partial<Record<keyof typeof excluded, number>> = {};
  const hasOutcome = load.header.columns.outcome !== undefined && load.stream.rowsRead > 0;
  const tallies: RecordAggregate['tallies'] = periods.map((period) => ({
    period,
    received: 0,
    accepted: hasOutcome ? { low: 0, high: 0 } : null,
    byTeam: {},
    lastDate: null,
  }));
  for (const l of last.rows) if (tallies[l.period_ord]) tallies[l.period_ord]!.lastDate = l.last_date;
  let unknownUnit = 0;
  let rowsRead = 0;
  for (const c of counts.rows) {
    if (c.by_team) {
      if (c.period_ord !== null && c.team !== null) tallies[c.period_ord]!.byTeam[c.team] = c.n;
      continue;
    }
    rowsRead += c.n;
    if (c.reason === null) {
      const t = tallies[c.period_ord!]!;
      t.received = c.n;
      if (t.accepted) t.accepted = { low: c.accepted_low, high: c.accepted_high };
      continue;
    }
    const reason = c.reason === 'unknown_unit' ? 'unreadable_age' : (c.reason as keyof typeof excluded);
    if (c.reason === 'unknown_unit') unknownUnit = c.n;
    excluded[reason] += c.n;
    first[reason] = Math.min(first[reason] ?? Infinity, c.first_row);
  }
  const issues: Issue[] = bad.rows
    .slice(0, MAX_ROW_ISSUES)
    .map((b) =>
      b.reason === 'unreadable_date'
        ? issue(
            'referral_date_unreadable',
            'warning',
            'The referral date could not be read; the row is left out.',
            at(b.row_no),
            { raw: b.raw },
          )
        : issue(
            'age_unreadable',
            'warning',
            'The age at referral could not be read; the row is left out.',
            at(b.row_no),
            { raw: b.raw },
          ),
    );
  if (bad.rows.length > MAX_ROW_ISSUES) {
    const more = excluded.unreadable_date + excluded.unreadable_age - unknownUnit - MAX_ROW_ISSUES;
    issues.push(
      issue(
        'records_issues_truncated',
        'warning',
        `${more} more rows with an unreadable date or age are left out and not listed one by one; the file's rows are in foi_referral_row (load ${load.loadId}).`,
        at(bad.rows[MAX_ROW_ISSUES]!.row_no),
      ),
    );
  }
  if (unknownUnit > 0) {
    issues.push(
      issue(
        'age_unit_unknown',
        'warning',
        `${unknownUnit} rows give an age of 2 or more without saying years or months; they are left out. Ask the trust which unit the column uses.`,
        first.unreadable_age === undefined ? {} : at(first.unreadable_age),
      ),
    );
  }
  for (const reason of ['outside_period', 'age_24_months_or_more'] as const) {
    if (excluded[reason] > 0)
      issues.push(
        issue('records_excluded', 'info', `${excluded[reason]} rows left out: ${reason}.`, at(first[reason]!), {
          raw: reason,
        }),
      );
  }
  const included = tallies.reduce((s, t) => s + t.received, 0);
  return { tallies, issues, rowsRead, included, excluded };
}

/**
 * What the FOI processor calls instead of readFoiCsv for a large csv (see RECORD_COPY_MIN_BYTES):
 * the reply as readFoiCsv would read it, or null when the file is not record-level (then read it
 * the ordinary way).
 */
export async function readRecordCsvByCopy(
  path: string,
  ctx: FoiReaderContext,
  deps: RecordCopyDeps,
): Promise<FoiReadResult | null> {
  const load = await copyRecordCsv(path, { sha256: ctx.fileHash, wave: ctx.wave.wave }, deps);
  if (!load) return null;
  return recordReadResult(await countRecordLoad(load, ctx, deps.pool), load.header, load.stream, ctx);
}
