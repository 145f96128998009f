/**
 * Back test of a public table against a previous public build (report.md: "a change of rule cannot
 * quietly un-suppress a cell", and no value withheld before may be revealed by subtraction).
 */
import type { PublicCell, PublicTable } from './disclosure.ts';
import { isExact } from './intervals.ts';

interface At {
  readonly row: string;
  readonly col: string;
}

export type Finding =
  | (At & { code: 'unsuppressed'; previous: PublicCell; current: PublicCell })
  | (At & { code: 'newly_suppressed'; previous: PublicCell; current: PublicCell })
  | (At & { code: 'value_changed'; previous: PublicCell; current: PublicCell })
  | (At & { code: 'revealed_by_subtraction'; value: number })
  | (At & { code: 'cell_removed' | 'cell_added' });

const keyOf = (row: string, col: string): string => JSON.stringify([row, col]);

function cellsOf(t: PublicTable): Map<string, At & { cell: PublicCell }> {
  const out = new Map<string, At & { cell: PublicCell }>();
  t.rows.forEach((row, i) =>
    t.cols.forEach((col, j) => {
      const cell = t.cells[i]?.[j];
      if (cell) out.set(keyOf(row, col), { row, col, cell });
    }),
  );
  return out;
}

/** Each shown total's line as keys, the total last; [x] and [z] cells are outside the sum. */
function linesOf(t: PublicTable): string[][] {
  const counted = (i: number, j: number): boolean => {
    const s = t.cells[i]?.[j]?.status;
    return s !== 'x' && s !== 'z';
  };
  const out: string[][] = [];
  if (t.totals.rows) {
    t.rows.forEach((row, i) => out.push(t.cols.filter((_, j) => counted(i, j)).map((col) => keyOf(row, col))));
  }
  if (t.totals.cols) {
    t.cols.forEach((col, j) => out.push(t.rows.filter((_, i) => counted(i, j)).map((row) => keyOf(row, col))));
  }
  return out;
}

function exactValue(cell: PublicCell | undefined): number | undefined {
  if (!cell || cell.status === 'c' || cell.value === null || !isExact(cell.value)) return undefined;
  return cell.value.low;
}

function same(a: PublicCell, b: PublicCell): boolean {
  return a.status === b.status && a.value?.low === b.value?.low && a.value?.high === b.value?.high;
}

/**
 * Lists cells withheld before and shown now, cells whose figure changed, and cells withheld in
 * either build whose exact value follows by subtraction from what the two builds show together.
 * Subtraction is followed to a fixed point (a value found in one line is used in the next), using
 * exact shown values only; it assumes both tables count the same population (the back test
 * rebuilds the same wave), since subtracting across different populations means nothing.
 */
export function compareWithPrevious(previous: PublicTable, current: PublicTable): Finding[] {
  const before = cellsOf(previous);
  const now = cellsOf(current);
  const findings: Finding[] = [];
  for (const [key, p] of before) {
    const c = now.get(key);
    const at = { row: p.row, col: p.col };
    if (!c) findings.push({ ...at, code: 'cell_removed' });
    else if (p.cell.status === 'c' && c.cell.status !== 'c') {
      findings.push({ ...at, code: 'unsuppressed', previous: p.cell, current: c.cell });
    } else if (p.cell.status !== 'c' && c.cell.status === 'c') {
      findings.push({ ...at, code: 'newly_suppressed', previous: p.cell, current: c.cell });
    } else if (!same(p.cell, c.cell)) {
      findings.push({ ...at, code: 'value_changed', previous: p.cell, current: c.cell });
    }
  }
  for (const [key, c] of now) if (!before.has(key)) findings.push({ row: c.row, col: c.col, code: 'cell_added' });

  const known = new Map<string, number>();
  for (const [key, p] of before) {
    const v = exactValue(now.get(key)?.cell) ?? exactValue(p.cell);
    if (v !== undefined) known.set(key, v);
  }
  for (const [key, c] of now) {
    const v = exactValue(c.cell);
    if (v !== undefined) known.set(key, v);
  }
  const allLines = [...linesOf(previous), ...linesOf(current)];
  for (let changed = true; changed;) {
    changed = false;
    for (const line of allLines) {
      const unknown = line.filter((k) => !known.has(k));
      if (unknown.length !== 1) continue;
      const target = unknown[0] as string;
      const total = line[line.length - 1] as string;
      const parts = line.slice(0, -1).filter((k) => k !== target);
      const partsSum = parts.reduce((s, k) => s + (known.get(k) as number), 0);
      known.set(target, target === total ? partsSum : (known.get(total) as number) - partsSum);
      changed = true;
    }
  }
  const withheld = new Map<string, At>();
  for (const [key, p] of before) {
    const c = now.get(key);
    // A cell shown now is already reported as unsuppressed.
    if (p.cell.status === 'c' && (!c || c.cell.status === 'c')) withheld.set(key, p);
  }
  for (const [key, c] of now) {
    const p = before.get(key);
    // A cell shown before is already public and reported as newly_suppressed.
    if (c.cell.status === 'c' && (!p || p.cell.status === 'c')) withheld.set(key, c);
  }
  for (const [key, at] of withheld) {
    const value = known.get(key);
    if (value !== undefined) findings.push({ row: at.row, col: at.col, code: 'revealed_by_subtraction', value });
  }
  return findings;
}
