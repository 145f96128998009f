import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { RawValue } from '../../schemas/answer.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { readCell } from '../shared/cell.ts';
import { decodeText } from '../shared/text-decode.ts';
import { a1 } from './label-target.ts';

/**
 * A survey export as plain rows of cells, whichever file it came in. Row numbers `n` are the ones a
 * spreadsheet shows: for a csv the header record is row 1 and the first team is row 2, the same
 * convention as the FOI register reader (sources/foi/register.ts) and `Location.row`. Records, not
 * text lines, are counted, so a quoted answer spanning lines does not shift later rows.
 */
interface GridCell {
  raw: RawValue;
  issues: Issue[];
}
export interface GridRow {
  n: number;
  cells: GridCell[];
}
export interface Grid {
  /** Sheet name for a workbook; undefined for a csv. */
  sheet?: string;
  rows: GridRow[];
  /** Problems of the file as a whole (encoding, malformed quoting). */
  issues: Issue[];
}

/** Where a cell is: sheet!cell in a workbook, row + column header in a csv. */
export function gridLocation(grid: Grid, fileHash: string, n: number, col: number, header: string): Location {
  if (grid.sheet !== undefined) return { fileHash, sheet: grid.sheet, cell: a1(col + 1, n) };
  return { fileHash, row: n, column: header === '' ? `column ${col + 1}` : header };
}

function isBlank(c: GridCell): boolean {
  return c.raw === null || (typeof c.raw === 'string' && c.raw.trim() === '');
}

export function blankRow(r: GridRow): boolean {
  return r.cells.every(isBlank);
}

/** Every visible sheet of a workbook as a grid; hidden sheets hold lookup lists, not answers. */
export async function xlsxGrids(bytes: Buffer, fileHash: string): Promise<Grid[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets
    .filter((ws) => ws.state === 'visible' || ws.state === undefined)
    .map((ws) => {
      const rows: GridRow[] = [];
      ws.eachRow({ includeEmpty: false }, (row, n) => {
        const cells: GridCell[] = [];
        for (let c = 1; c <= row.cellCount; c++) {
          // readCell: the covered cells of a merge are blank (flagged), not copies of the merge's value.
          cells.push(readCell(row.getCell(c), { fileHash, sheet: ws.name, cell: a1(c, n) }));
        }
        rows.push({ n, cells });
      });
      return { sheet: ws.name, rows, issues: [] };
    });
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * A csv (or tsv) export. The delimiter is the one of ',', ';' (Excel's "CSV" in European locales)
 * and tab that makes the most header cells known labels, then gives the most rows of one width:
 * answers such as "A; B" or "Watch, Wait and Wonder" fool a plain character count.
 */
export function csvGrid(bytes: Uint8Array, fileHash: string, isKnownLabel: (s: string) => boolean): Grid {
  const issues: Issue[] = [];
  const { text, encoding } = decodeText(bytes);
  if (encoding === 'windows-1252') {
    issues.push(
      issue(
        'csv_encoding_windows_1252',
        'info',
        'The file is not UTF-8; it was read as Windows-1252 (Excel\'s "CSV" on Windows). Check that accented letters and "£" read right.',
        { fileHash },
      ),
    );
  }
  const delimiter = pickDelimiter(text, isKnownLabel);
  const parsed = Papa.parse<string[]>(text, { delimiter, header: false, skipEmptyLines: false });
  for (const e of parsed.errors) {
    issues.push(
      issue(
        'csv_malformed',
        'warning',
        `The csv is malformed near row ${(e.row ?? 0) + 1}: ${e.message}. Values there may be split wrongly; check them.`,
        { fileHash, row: (e.row ?? 0) + 1 },
      ),
    );
  }
  const rows = parsed.data.map((rec, i): GridRow => ({
    n: i + 1,
    cells: rec.map((v) => ({ raw: v === '' ? null : v, issues: [] })),
  }));
  return { rows: rows.filter((r) => !blankRow(r)), issues };
}

function pickDelimiter(text: string, isKnownLabel: (s: string) => boolean): string {
  let best: { d: string; score: number[] } | null = null;
  for (const d of DELIMITERS) {
    const recs = Papa.parse<string[]>(text, { delimiter: d, header: false, preview: 12, skipEmptyLines: true }).data;
    const known = Math.max(0, ...recs.map((r) => r.filter(isKnownLabel).length));
    const width = recs[0]?.length ?? 0;
    const sameWidth = recs.filter((r) => r.length === width).length;
    const score = [known, width > 1 ? sameWidth : 0, width];
    if (!best || compare(score, best.score) > 0) best = { d, score };
  }
  return best!.d;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
