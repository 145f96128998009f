/**
 * Disclosure control applied to the report's count tables (disclosure.ts does the rule). An internal
 * build runs the same code with threshold 0, so internal and public tables have the same shape and
 * differ only in the cells withheld. Cells derived from a count (its share, the families its teams
 * support) take the count's status: a share of a withheld count would give the count back.
 */
import { applyDisclosure, type Cell, type PublicCell, type PublicTable } from './disclosure.ts';
import { percentDigitsOf, roundHalfAwayFromZero } from './format.ts';
import type { Figure } from './figures.ts';
import { percentOf, point, type Bounds } from './intervals.ts';

export interface Protection {
  readonly publicBuild: boolean;
  readonly threshold: number;
}

export interface CountGrid {
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  readonly counts: readonly (readonly number[])[];
  readonly totals: { readonly rows: boolean; readonly cols: boolean };
  /** Rows that are a whole nation: exempt from primary suppression (report.md). */
  readonly wholeNationRows?: readonly string[];
  /** Every cell is a whole nation (a table of nations with one column). */
  readonly allWholeNation?: boolean;
}

export function protectGrid(grid: CountGrid, p: Protection): PublicTable {
  const cells: Cell[][] = grid.counts.map((r) =>
    r.map((n) => ({ value: point(n), ...(grid.allWholeNation ? { wholeNation: true } : {}) })),
  );
  return applyDisclosure(
    { rows: grid.rows, cols: grid.cols, cells, totals: grid.totals, wholeNation: { rows: grid.wholeNationRows ?? [] } },
    { threshold: p.publicBuild ? p.threshold : 0 },
  );
}

/** A list of categories with one count each, optionally with a total row (only when the counts add up). */
export function protectCounts(
  labels: readonly string[],
  counts: readonly number[],
  total: boolean,
  p: Protection,
  allWholeNation = false,
  /** What the counts count: the column's name in figures.json and the back test. */
  unit: 'Teams' | 'Trusts' = 'Teams',
): PublicTable {
  return protectGrid(
    {
      rows: labels,
      cols: [unit],
      counts: counts.map((n) => [n]),
      totals: { rows: false, cols: total },
      allWholeNation,
    },
    p,
  );
}

/**
 * Counts bound by one relation a reader knows but no table prints as a total (the flow of teams:
 * teams of the previous wave + new teams = teams now + teams that left + teams with no return):
 * with exactly one withheld, a second is withheld too (the smallest shown count, non-zero first), so
 * subtraction along the relation gives nothing back.
 */
export function complementRelated(cells: readonly PublicCell[]): PublicCell[] {
  const out = [...cells];
  const hidden = out.filter((c) => c.status === 'c').length;
  if (hidden !== 1) return out;
  const pick = out
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => isShown(c))
    .sort(
      (a, b) =>
        Number(a.c.value!.low === 0) - Number(b.c.value!.low === 0) || a.c.value!.low - b.c.value!.low || a.i - b.i,
    )[0];
  if (pick) out[pick.i] = { value: null, status: 'c' };
  return out;
}

export function cellAt(t: PublicTable, row: number, col = 0): PublicCell {
  const c = t.cells[row]?.[col];
  if (!c) throw new RangeError(`no cell at row ${row}, column ${col} of the table`);
  return c;
}

/** A value shown only when the count it derives from is shown. */
export function dependent(count: PublicCell, value: Bounds | null): PublicCell {
  if (count.status === 'c' || count.status === 'x' || count.status === 'z')
    return { value: null, status: count.status };
  return value === null ? { value: null, status: 'x' } : { value };
}

/** The count as a percentage of `of`, rounded to the build's digits (each end on its own). */
export function shareCell(count: PublicCell, of: number, digits: number): PublicCell {
  if (of <= 0) return { value: null, status: 'z' };
  if (count.value === null) return dependent(count, null);
  const p = percentOf(count.value, of);
  return dependent(count, roundBounds(p, digits));
}

/** A percentage range rounded as it prints: each end to `digits`, one decimal below 10% (format.ts). */
export function roundBounds(b: Bounds, digits: number): Bounds {
  return {
    low: roundHalfAwayFromZero(b.low, percentDigitsOf(b.low, digits)),
    high: b.high === null ? null : roundHalfAwayFromZero(b.high, percentDigitsOf(b.high, digits)),
  };
}

export function isShown(c: PublicCell): boolean {
  return c.value !== null && c.status !== 'c';
}

/**
 * The contributors behind a figure's records: a questionnaire record names its return
 * ("return:12", "answer:12/families_supported"), any other record (an FOI value) is its own contributor.
 */
export function contributors(records: readonly string[]): number {
  const ids = new Set<string>();
  for (const r of records) {
    const m = /^(?:return|answer):([^/]+)/.exec(r);
    ids.add(m ? `return:${m[1]}` : r);
  }
  return ids.size;
}

/** A group of 1..threshold-1 contributors: a public build withholds any value resting on it. */
function smallGroup(records: readonly string[], p: Protection): boolean {
  if (!p.publicBuild) return false;
  const n = contributors(records);
  return n >= 1 && n < p.threshold;
}

/**
 * The gate every figure passes in a public build: a figure already withheld keeps no value and prints
 * "[c]"; a figure resting on fewer than `threshold` teams or trusts (an extreme, a band chosen by one
 * team, a sum of one team's answer) is withheld, unless it describes a whole nation (report.md).
 */
export function protectFigure(f: Figure, p: Protection): Figure {
  if (!p.publicBuild) return f;
  const withheld = f.status === 'c' || (!f.wholeNation && smallGroup(f.records, p));
  return withheld ? { ...f, value: null, status: 'c', text: '[c]' } : f;
}

/**
 * A part of a printed whole (England of the UK) whose remainder is a small group: printing both
 * would give the remainder by subtraction, so a public build withholds the part.
 */
export function smallRemainder(all: readonly string[], part: readonly string[], p: Protection): boolean {
  const ret = (r: string): string => /^(?:return|answer):([^/]+)/.exec(r)?.[1] ?? r;
  const inPart = new Set(part.map(ret));
  return smallGroup(
    all.filter((r) => !inPart.has(ret(r))),
    p,
  );
}
