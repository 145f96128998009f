/**
 * The flat table model shared by the csv, xlsx and html writers, and the CSV writer itself.
 * Column order is the order of `columns`, never the order of an object's keys.
 */
import { formatCell, neutraliseFormula, type PublicCell } from './disclosure.ts';
import { formatRange } from './format.ts';
import type { Bounds } from './intervals.ts';

type ColumnKind = 'text' | 'number' | 'range';

export interface Column {
  readonly key: string;
  readonly header: string;
  readonly kind: ColumnKind;
  /** Decimals shown in report.html (csv and xlsx keep the number itself); the table's default otherwise. */
  readonly digits?: number;
}

type CellInput = string | number | Bounds | PublicCell | null | undefined;
export type Row = Readonly<Record<string, CellInput>>;

export interface DataTable {
  /** File and sheet name: letters, digits, spaces, hyphen, underscore; at most 31 characters. */
  readonly name: string;
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  readonly notes?: readonly string[];
}

/** A written field: a number stays a number; markers and text are strings. */
export type Field = number | string;

/** Written where no number exists: a missing value, or the high end of a range open above. */
const NO_VALUE = '[x]';

const isPublicCell = (v: object): v is PublicCell => 'value' in v;

export function headerFields(columns: readonly Column[]): string[] {
  return columns.flatMap((c) => (c.kind === 'range' ? [`${c.header} (low)`, `${c.header} (high)`] : [c.header]));
}

function finite(n: number, column: Column): number {
  if (!Number.isFinite(n))
    throw new RangeError(`column "${column.key}" holds ${n}; only finite numbers can be written`);
  return n;
}

function numberFields(column: Column, b: Bounds): Field[] {
  if (column.kind === 'range') return [finite(b.low, column), b.high === null ? NO_VALUE : finite(b.high, column)];
  if (b.high === finite(b.low, column)) return [b.low];
  throw new TypeError(`column "${column.key}" is kind "number" but holds a range; declare it kind "range"`);
}

function fieldsOf(column: Column, v: CellInput): Field[] {
  const width = column.kind === 'range' ? 2 : 1;
  const fill = (f: Field): Field[] => Array<Field>(width).fill(f);
  if (v === null || v === undefined) return fill(column.kind === 'text' ? '' : NO_VALUE);
  if (typeof v === 'string') return [v, ...Array<Field>(width - 1).fill('')];
  if (typeof v === 'number') {
    if (column.kind === 'text') return [String(finite(v, column))];
    return numberFields(column, { low: v, high: v });
  }
  if (!isPublicCell(v)) return column.kind === 'text' ? [formatRange(v)] : numberFields(column, v);
  if (v.value === null || (v.status !== undefined && v.status !== 'u')) return fill(formatCell(v));
  const fields = column.kind === 'text' ? [formatRange(v.value)] : numberFields(column, v.value);
  return v.status === 'u' ? fields.map((f) => `${typeof f === 'number' ? String(f) : f} [u]`) : fields;
}

/**
 * One row's fields in column order. A status cell writes its marker ("[c]") in every field of the
 * column; a [u] value is written as text with its marker, the one case where a number becomes text,
 * because a marker must never be dropped.
 */
export function rowFields(columns: readonly Column[], row: Row): Field[] {
  // Generated text is neutralised too: a negative range such as "-5 to 3" must not start a formula.
  return columns
    .flatMap((column) => fieldsOf(column, row[column.key]))
    .map((f) => (typeof f === 'string' ? neutraliseFormula(f) : f));
}

function quote(field: Field): string {
  const text = typeof field === 'number' ? String(field) : field;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 fields (quoted only when they hold a comma, quote or line break; quotes doubled), but
 * records end in LF rather than CRLF so files diff cleanly in git; every record, the last included,
 * ends in one. UTF-8 without a byte order mark, so the bytes are the text and hashes are stable;
 * numbers use JavaScript's shortest round-trip form, which no locale affects.
 */
export function toCsv(table: Pick<DataTable, 'columns' | 'rows'>): string {
  const lines = [
    headerFields(table.columns).map(neutraliseFormula),
    ...table.rows.map((r) => rowFields(table.columns, r)),
  ];
  return lines.map((fields) => `${fields.map(quote).join(',')}\n`).join('');
}

export function toCsvBytes(table: Pick<DataTable, 'columns' | 'rows'>): Buffer {
  return Buffer.from(toCsv(table), 'utf8');
}
