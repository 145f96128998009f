import { normalise } from './coded.ts';
import { findPeriods } from './period.ts';
import type { Line } from './prose.ts';

/**
 * A table in a PDF put back into its columns by the positions of its text (spec/foi.md "Tables
 * flattened by text extraction"). Text extraction loses empty cells, so a blank cell shifts the
 * numbers after it left ("Referrals | 6 | Less" / "than 5" / "7"), and a multi-word cell that wraps
 * ("Less" / "than 5") comes out as pieces on lines of their own. pdf.js gives each piece of text its x
 * and y, so each piece is placed under the header cell it sits beneath: a column with nothing under it
 * is a blank cell ('') and the pieces of a wrapped cell are joined. A piece that sits under no header
 * cell, or under two, cannot be placed: its row is kept but marked weak (a person places it).
 */

export interface PlacedItem {
  str: string;
  /** Left edge, baseline and width in PDF units (pdf.js text items). */
  x: number;
  y: number;
  w: number;
}
export interface PlacedLine {
  line: Line;
  items: readonly PlacedItem[];
}

interface Cell {
  text: string;
  x0: number;
  x1: number;
  y: number;
}

/** How far (PDF units) a piece may sit outside its header cell and still be under it. */
const TOL = 4;
/** Two pieces within this of the same baseline are on one visual row. */
const SAME_ROW = 1.5;
/** A piece this far (or less) below a row's baseline continues a cell of that row (a wrapped cell). */
const WRAP = 16;
/** Items further apart than this on one line are in different cells (pdf-parse's own cell threshold is 7). */
const CELL_GAP = 7;

/** A line's cells with their extent: a whitespace-only item or a gap in x starts a new cell. */
function cellsOf(items: readonly PlacedItem[]): Cell[] {
  const out: Cell[] = [];
  let cur: Cell | null = null;
  for (const it of items) {
    if (it.str === '') continue;
    if (it.str.trim() === '') {
      cur = null;
      continue;
    }
    const text = it.str.replace(/\t/g, ' ');
    if (cur && Math.abs(it.y - cur.y) <= SAME_ROW && it.x <= cur.x1 + CELL_GAP) {
      cur.text += text;
      cur.x1 = Math.max(cur.x1, it.x + it.w);
    } else {
      cur = { text, x0: it.x, x1: it.x + it.w, y: it.y };
      out.push(cur);
    }
  }
  for (const c of out) c.text = c.text.replace(/\s+/g, ' ').trim();
  return out.filter((c) => c.text !== '');
}

const COUNTISH = /\d|^\s*\*\s*$|\b(?:nil|none|less|fewer|withheld|redacted|suppressed)\b/i;
const NUMBERISH = /^\s*(?:[<>]\s*)?[\d,]+\s*\*?\s*$/;

// "Your reference: PIP-FOI-2024-015": a label and its value, as in a letter's reference line, never a column head.
const LABEL_VALUE = /^[^:]{1,30}:\s*\S/;

/** A line of column headers: two or more short cells, none of them a number or a "label: value" pair. */
function isHeader(cells: readonly Cell[]): boolean {
  return (
    cells.length >= 2 && cells.every((c) => c.text.length <= 40 && !NUMBERISH.test(c.text) && !LABEL_VALUE.test(c.text))
  );
}

/**
 * A header line of another table: two of its cells sit under one column of this one. (A row's label
 * sits under no column and a wrapped "Less" under one, so a row of words is no new header.)
 */
function newHeader(cells: readonly Cell[], cols: readonly Cell[]): boolean {
  if (!isHeader(cells)) return false;
  const taken = new Set<number>();
  for (const c of cells) {
    const under = columnsUnder(c, cols);
    if (under.length !== 1) continue;
    if (taken.has(under[0]!)) return true;
    taken.add(under[0]!);
  }
  return false;
}

/** The columns a cell sits under: those whose header extent (widened by TOL) overlaps it. */
function columnsUnder(c: Cell, cols: readonly Cell[]): number[] {
  const out: number[] = [];
  cols.forEach((h, i) => {
    if (c.x0 <= h.x1 + TOL && c.x1 >= h.x0 - TOL) out.push(i);
  });
  return out;
}

interface Row {
  at: number;
  y: number;
  label: Cell | null;
  cols: string[];
  /** Baseline of the lowest piece joined into the row so far. */
  bottom: number;
  weak?: string;
}

/**
 * The lines of one page with cells put under their header columns. Lines outside a table, and
 * tables whose rows already have one cell per column, are returned as they were.
 */
export function placeColumns(page: readonly PlacedLine[]): Line[] {
  const out: Line[] = [];
  let i = 0;
  while (i < page.length) {
    const head = cellsOf(page[i]!.items);
    const table = isHeader(head) ? readTable(page, i, head) : null;
    if (table === null) {
      out.push(page[i]!.line);
      i += 1;
      continue;
    }
    out.push(page[i]!.line, ...table.rows);
    i = table.next;
  }
  return out;
}

function readTable(
  page: readonly PlacedLine[],
  h: number,
  cols: readonly Cell[],
): { rows: Line[]; next: number } | null {
  const left = cols[0]!.x0;
  const periodsOnly = cols.every((c) => findPeriods(normalise(c.text)).length > 0);
  // Header cells over the data only (none over the row labels), or the first one over the labels.
  let labelled: boolean | null = null;
  const rows: Row[] = [];
  /** The row each line gave its pieces to (the last, when a line gave to several). */
  const from = new Map<number, Row>();
  let j = h + 1;
  let changed = false;
  for (; j < page.length; j++) {
    const cells = cellsOf(page[j]!.items);
    if (cells.length === 0) continue;
    // The head of the next table ends this one ("Year | Referrals | Accepted" under a two-cell line).
    if (newHeader(cells, cols)) break;
    const first = cells[0]!;
    // A header whose first cell names a period ("2021/22 | 2022/23 | ...") heads data, never the labels, even
    // when the row under it has no label and starts where the header does ("Less than 5 | 20 | 18").
    if (labelled === null) labelled = Math.abs(first.x0 - left) <= TOL && !periodsOnly;
    const dataCols = labelled ? cols.slice(1) : cols;
    const dataLeft = dataCols[0]?.x0 ?? left;
    // A row's label sits left of the data columns; a line that starts there and runs on across the
    // columns is prose under the table (a note, the next question): the table ends.
    const isLabel = first.x0 < dataLeft - TOL;
    if (isLabel && first.x1 > dataLeft - TOL) break;
    const placeIn = (row: Row, c: Cell, join: boolean): boolean => {
      const under = columnsUnder(c, dataCols);
      if (under.length !== 1) {
        row.weak ??= `"${c.text}" sits under ${under.length === 0 ? 'no column' : 'two columns'}: a person must say which`;
        // Nearest column by centre, so the row still shows it; the row is only a suggestion.
        const mid = (c.x0 + c.x1) / 2;
        const k = dataCols.reduce(
          (b, hc, n) =>
            Math.abs((hc.x0 + hc.x1) / 2 - mid) < Math.abs((dataCols[b]!.x0 + dataCols[b]!.x1) / 2 - mid) ? n : b,
          0,
        );
        row.cols[k] = row.cols[k] ? `${row.cols[k]} ${c.text}` : c.text;
        return true;
      }
      const k = under[0]!;
      if (join && row.cols[k] === '')
        row.weak ??= `"${c.text}" sits below its row's other cells: a person must say which row it is in`;
      row.cols[k] = row.cols[k] ? `${row.cols[k]} ${c.text}` : c.text;
      return true;
    };
    let rest = cells;
    if (isLabel) {
      const row: Row = { at: j, y: first.y, label: first, cols: dataCols.map(() => ''), bottom: first.y };
      rows.push(row);
      from.set(j, row);
      rest = cells.slice(1);
      for (const c of rest) placeIn(row, c, false);
      if (rest.length !== dataCols.length) changed = true;
      continue;
    }
    // A first row with no label, each cell under one column: the counts of the one thing the answer asks.
    if (
      rows.length === 0 &&
      periodsOnly &&
      !labelled &&
      cells.every(
        (c) =>
          COUNTISH.test(c.text) &&
          findPeriods(normalise(c.text)).length === 0 &&
          columnsUnder(c, dataCols).length === 1,
      )
    ) {
      const row: Row = { at: j, y: first.y, label: null, cols: dataCols.map(() => ''), bottom: first.y };
      rows.push(row);
      from.set(j, row);
      for (const c of cells) placeIn(row, c, false);
      changed = true;
      continue;
    }
    // Pieces with no label of their own: on a row's baseline (a cell pdf.js put on a later line), or just
    // below the last row (the rest of a wrapped cell).
    if (rows.length === 0) break;
    let placed = true;
    for (const c of rest) {
      if (columnsUnder(c, dataCols).length !== 1) {
        placed = false;
        break;
      }
      const same = rows.find((r) => Math.abs(r.y - c.y) <= SAME_ROW);
      const last = rows[rows.length - 1]!;
      if (same) {
        placeIn(same, c, false);
        from.set(j, same);
      } else if (c.y < last.y - SAME_ROW && last.bottom - c.y <= WRAP) {
        placeIn(last, c, true);
        from.set(j, last);
        last.bottom = Math.min(last.bottom, c.y);
      } else placed = false;
    }
    if (!placed) break;
    changed = true;
  }
  // Only a table with counts in it, ending at its last row with a cell (a short line of prose after a
  // table is not a row with blank cells).
  while (rows.length > 0 && rows[rows.length - 1]!.cols.every((c) => c === '')) rows.pop();
  if (rows.some((r) => r.weak !== undefined)) changed = true;
  if (!changed || rows.filter((r) => r.cols.some((c) => c !== '')).length < 1) return null;
  if (!rows.some((r) => r.cols.some((c) => COUNTISH.test(c)))) return null;
  // The lines the kept rows took their pieces from; the lines after them are left as they were.
  const kept = new Set(rows);
  const next = 1 + Math.max(...[...from.entries()].filter(([, r]) => kept.has(r)).map(([k]) => k));
  const built = rows.map((r): Line => {
    const label = r.label?.text ?? '';
    const cells = [label, ...r.cols];
    const row: Line = {
      text: cells.filter((c) => c !== '').join(' '),
      location: page[r.at]!.line.location,
      cells,
    };
    if (r.weak !== undefined) row.weak = r.weak;
    return row;
  });
  return { rows: built, next };
}
