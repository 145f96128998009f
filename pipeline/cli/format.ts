import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { neutraliseFormula } from '../../reports/disclosure.ts';
import { terminalWidth, textTable, wrapCell } from '../runtime/terminal.ts';
import type { OutputFormat } from './options.ts';
import { usageError } from './run.ts';

/** One column of a listing: its header (text and csv) and how a row shows in it. */
export interface ListColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'number' ? String(v) : neutraliseFormula(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 csv (LF line ends), text cells that would start a spreadsheet formula neutralised. */
export function csvText<T>(columns: readonly ListColumn<T>[], rows: readonly T[]): string {
  return [columns.map((c) => csvField(c.header)), ...rows.map((r) => columns.map((c) => csvField(c.value(r))))]
    .map((fields) => `${fields.join(',')}\n`)
    .join('');
}

/**
 * Text for stdout. On a terminal, a text longer than the screen goes through $PAGER (default
 * `less -FRX`; PAGER="" or "cat" turns it off); piped or redirected, it is written as it is.
 */
export async function pageOut(text: string, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const pager = process.env.PAGER ?? 'less -FRX';
  const lines = text.split('\n').length;
  // A terminal that does not say its size (rows 0: a pty nobody sized) is taken as $LINES, else 24 rows.
  const rows = out.rows || Number(process.env.LINES) || 24;
  if (!out.isTTY || !pager.trim() || pager.trim() === 'cat' || lines <= rows - 1) {
    out.write(text);
    return;
  }
  await new Promise<void>((done) => {
    const p = spawn(pager, { shell: true, stdio: ['pipe', 'inherit', 'inherit'] });
    p.on('error', () => {
      out.write(text);
      done();
    });
    p.on('close', () => done());
    p.stdin.on('error', () => {}); // the reader quit early (q in less)
    p.stdin.end(text);
  });
}

/**
 * Sentences for a terminal: each line wrapped at spaces to its width ($COLUMNS, else the terminal's),
 * as table cells are; piped, lines stay whole.
 */
export function prose(text: string, width = terminalWidth()): string {
  return text
    .split('\n')
    .flatMap((l) => wrapCell(l, width))
    .join('\n');
}

/**
 * A listing in the format asked for: `json` writes `json(row)` for each row as one array (the
 * entity's JSON shape, documented in the README), `csv` the columns with a header row, `text` an
 * aligned table fitted to the terminal (or `empty` when there are no rows), paged when long.
 */
export async function printList<T>(
  format: OutputFormat,
  rows: readonly T[],
  spec: {
    columns: readonly ListColumn<T>[];
    json?: (row: T) => unknown;
    empty?: string;
    /** Text only: a heading before the table and lines after it (a summary); paged with it. */
    title?: string;
    footer?: string;
  },
): Promise<void> {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rows.map(spec.json ?? ((r) => r)), null, 2)}\n`);
    return;
  }
  if (format === 'csv') {
    process.stdout.write(csvText(spec.columns, rows));
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(`${spec.empty ?? 'Nothing to list.'}\n`);
    return;
  }
  const cell = (v: string | number | null | undefined): string | number => (v === null || v === undefined ? '' : v);
  const table = textTable(
    spec.columns.map((c) => c.header),
    rows.map((r) => spec.columns.map((c) => cell(c.value(r)))),
  );
  // The heading and summary are prose: wrapped at spaces to the terminal like the table's cells.
  const wrap = (text: string): string => prose(text);
  await pageOut(
    `${spec.title ? `${wrap(spec.title)}\n\n` : ''}${table}\n${spec.footer ? `\n${wrap(spec.footer)}\n` : ''}`,
  );
}

/**
 * A file a command is about to write: its extension must match the format (`--out q.csv` for an
 * xlsx is a usage error, not an xlsx named .csv), and an existing file is replaced only with --force.
 * Returns the absolute path.
 */
export function outFile(
  path: string,
  opts: { extensions: readonly string[]; force?: boolean; option?: string },
): string {
  const abs = resolve(path);
  const option = opts.option ?? '--out';
  const ext = extname(abs).toLowerCase();
  if (!opts.extensions.includes(ext))
    throw usageError(
      `${option} ${path}: this writes ${opts.extensions.join(' or ')}, not "${ext || 'no extension'}".`,
      `Name the file with ${opts.extensions.join(' or ')}, e.g. ${option} ${path.replace(/(\.[^./\\]*)?$/, opts.extensions[0]!)}.`,
    );
  if (existsSync(abs) && !opts.force)
    throw usageError(
      `${path} already exists; nothing was written.`,
      `Add --force to replace it, or choose another ${option}.`,
    );
  return abs;
}

// The order of issues, shared with the teams' self-check page (pipeline/checker/), which has no CLI.
export { compareIssues } from '../../schemas/issue-order.ts';
