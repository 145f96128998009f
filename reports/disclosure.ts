/**
 * Disclosure control for public tables of counts of teams or trusts (report.md "Disclosure control").
 * A cell's status is kept apart from its value and printed in the government shorthand: [c]
 * confidential, [x] not available, [z] not applicable, [u] low reliability; never a bare "*".
 *
 * Rules, in order:
 * 1. Totals are computed here as interval sums of the cells, never taken from the source, so they
 *    always add up and a total that includes a withheld "<5" ([0, 4] or [1, 4]) is itself a range:
 *    subtracting exact neighbours from it gives back only the source's own range.
 * 2. Primary: a count that may lie in 1..threshold-1 is [c]; cells the source withheld are [c].
 * 3. Secondary: every row or column whose total is shown must hold no [c] or at least two, except
 *    that a lone withheld source range protects itself (rule 1). The complement is the smallest
 *    suitable cell of the line; passes repeat until nothing changes.
 * This is the usual line-by-line rule, not a full linear-programming audit; compareWithPrevious
 * follows subtraction to a fixed point to check what a reader could still work out.
 */
import { formatRange } from './format.ts';
import { isExact, sum, type Bounds } from './intervals.ts';

export type Status = 'c' | 'x' | 'z' | 'u';

export interface Cell {
  /** null only for [x] and [z]; a withheld input keeps its interval ("<5" as [0, 4] or [1, 4]). */
  readonly value: Bounds | null;
  readonly status?: Status;
  /** The source withheld the exact value; it stays [c] and is never complemented by subtraction. */
  readonly sourceSuppressed?: boolean;
  /** The group is a whole nation, which report.md exempts from primary suppression. */
  readonly wholeNation?: boolean;
}

export interface CountTable {
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  /** rows x cols; totals are never given, they are computed so they always add up. */
  readonly cells: readonly (readonly Cell[])[];
  /** Append a total column (each row's total) and/or a total row (each column's total). */
  readonly totals: { readonly rows: boolean; readonly cols: boolean };
  /** Row or column labels whose total is a whole nation (exempt from primary suppression). */
  readonly wholeNation?: { readonly rows?: readonly string[]; readonly cols?: readonly string[] };
}

export interface PublicCell {
  readonly value: Bounds | null;
  readonly status?: Status;
}

type SuppressionReason = 'primary' | 'secondary' | 'source';

export interface PublicTable {
  /** Labels, with TOTAL appended where totals are shown. */
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  readonly cells: readonly (readonly PublicCell[])[];
  readonly totals: { readonly rows: boolean; readonly cols: boolean };
  readonly suppressed: readonly { row: string; col: string; reason: SuppressionReason }[];
}

const TOTAL = 'Total';

interface Work {
  value: Bounds | null;
  status?: Status;
  reason?: SuppressionReason;
  exempt: boolean;
  isTotal: boolean;
}

const counted = (w: Work): boolean => w.status !== 'x' && w.status !== 'z';
// An input [c] without a value could be anything, so its share of a total is [0, open].
const valueForSum = (w: Work): Bounds => w.value ?? { low: 0, high: null };

/**
 * report.md withholds "a group smaller than the threshold"; an empty group holds no team to
 * identify, so 0 is shown (true zeros are normally published in official statistics), and a
 * threshold of 0 or 1 switches primary suppression off. A range counts as small when it overlaps
 * 1..threshold-1. The grand total is exempt: it is the question's denominator, printed anyway.
 */
function isSmall(b: Bounds, threshold: number): boolean {
  return b.low < threshold && (b.high === null || b.high >= 1);
}

/** A withheld range protects itself: totals are interval sums, so subtraction gives the range back. */
function selfProtecting(w: Work): boolean {
  return w.reason === 'source' && w.value !== null && !isExact(w.value);
}

// Complement preference: interior before totals, non-exempt before exempt, non-zero before zero,
// smallest value, then position, so the choice is the same on every build.
function complementKey({ w, i }: { w: Work; i: number }): number[] {
  const v = w.value as Bounds;
  return [Number(w.isTotal), Number(w.exempt), Number(v.high === 0), v.low, v.high ?? Infinity, i];
}
function complementOrder(a: { w: Work; i: number }, b: { w: Work; i: number }): number {
  const [ka, kb] = [complementKey(a), complementKey(b)];
  const k = ka.findIndex((x, j) => x !== kb[j]);
  return k < 0 ? 0 : (ka[k] as number) - (kb[k] as number);
}

/**
 * Two or more withheld cells of a line whose total is shown: their sum is the total less the shown
 * cells, so when each is exact and that sum is itself a small group, it is disclosed as a group.
 */
function smallTogether(line: readonly Work[], hidden: readonly Work[], threshold: number): boolean {
  // The line's own total is its last cell (lines() gives the lines that have one); the cells before it may be
  // totals of the other direction (a column of row totals), which add up the same way.
  const total = line[line.length - 1]!;
  const parts = line.slice(0, -1);
  if (hidden.length < 2 || hidden.includes(total) || total.status === 'c') return false;
  if (hidden.some((w) => w.value === null || !isExact(w.value))) return false;
  // With no shown cell beside them their sum is the total itself, printed anyway (a whole nation's).
  if (!parts.some((w) => w.status !== 'c' && counted(w) && w.value !== null)) return false;
  const together = sum(hidden.map((w) => w.value as Bounds));
  return together.low > 0 && isSmall(together, threshold);
}

/** Lines whose total is shown; each is a sum constraint a reader can subtract along. */
function lines<T>(grid: T[][], totals: PublicTable['totals']): T[][] {
  const out: T[][] = [];
  if (totals.rows) for (const row of grid) out.push(row);
  if (totals.cols) {
    const width = grid[0]?.length ?? 0;
    for (let c = 0; c < width; c++) out.push(grid.map((row) => row[c] as T));
  }
  return out;
}

function buildGrid(table: CountTable): Work[][] {
  const { rows, cols, cells, totals } = table;
  if (cells.length !== rows.length || cells.some((r) => r.length !== cols.length)) {
    throw new RangeError(`disclosure table must have ${rows.length} rows of ${cols.length} cells`);
  }
  const grid: Work[][] = cells.map((r) =>
    r.map((c) => ({
      value: c.value,
      status: c.status,
      reason: c.sourceSuppressed || c.status === 'c' ? ('source' as const) : undefined,
      exempt: c.wholeNation === true,
      isTotal: false,
    })),
  );
  // [x] and [z] cells are outside the sum; a total of nothing but them takes their status.
  const total = (ws: Work[], exempt: boolean): Work => {
    const inSum = ws.filter(counted);
    if (inSum.length > 0) return { value: sum(inSum.map(valueForSum)), exempt, isTotal: true };
    return { value: null, status: ws.some((w) => w.status === 'x') ? 'x' : 'z', exempt, isTotal: true };
  };
  if (totals.rows)
    grid.forEach((r, i) => r.push(total(r, table.wholeNation?.rows?.includes(rows[i] as string) ?? false)));
  if (totals.cols) {
    const width = grid[0]?.length ?? cols.length;
    const totalRow = Array.from({ length: width }, (_, c) => {
      const grand = totals.rows && c === cols.length;
      const exempt = grand || (table.wholeNation?.cols?.includes(cols[c] as string) ?? false);
      return total(
        grid.map((r) => r[c] as Work),
        exempt,
      );
    });
    grid.push(totalRow);
  }
  return grid;
}

/** Applies primary then secondary suppression; `threshold` defaults to 3 (report.md). */
export function applyDisclosure(table: CountTable, rule: { threshold?: number } = {}): PublicTable {
  const threshold = rule.threshold ?? 3;
  const grid = buildGrid(table);
  for (const w of grid.flat()) {
    if (w.reason === 'source') w.status = 'c';
    else if (counted(w) && w.value !== null && !w.exempt && isSmall(w.value, threshold)) {
      w.status = 'c';
      w.reason = 'primary';
    }
  }
  // Each pass fixes lines left with exactly one unprotected [c], or with withheld cells that together make
  // a small group the shown total gives away (NI 1 + Not answered 1 = 38 - 29 - 4 - 3 = 2: "a secondary cell
  // is suppressed where the total would reveal it"); suppression only grows, so it ends.
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines(grid, table.totals)) {
      const hidden = line.filter((w) => w.status === 'c');
      const exposed = hidden.length === 1 ? !selfProtecting(hidden[0] as Work) : smallTogether(line, hidden, threshold);
      if (!exposed) continue;
      const candidates = line
        .map((w, i) => ({ w, i }))
        .filter(({ w }) => w.status !== 'c' && counted(w) && w.value !== null)
        .sort(complementOrder);
      const pick = candidates[0];
      if (!pick) throw new Error('secondary suppression found no complement; the line has no other counted cell');
      pick.w.status = 'c';
      pick.w.reason = 'secondary';
      changed = true;
    }
  }
  const rows = table.totals.cols ? [...table.rows, TOTAL] : [...table.rows];
  const cols = table.totals.rows ? [...table.cols, TOTAL] : [...table.cols];
  const suppressed: { row: string; col: string; reason: SuppressionReason }[] = [];
  const cells = grid.map((r, i) =>
    r.map((w, j): PublicCell => {
      if (w.status === 'c') {
        suppressed.push({ row: rows[i] as string, col: cols[j] as string, reason: w.reason ?? 'source' });
        return { value: null, status: 'c' };
      }
      return w.status ? { value: w.value, status: w.status } : { value: w.value };
    }),
  );
  return { rows, cols, cells, totals: table.totals, suppressed };
}

/** "[c]", "[x]", "[z]", "12 [u]", "4,400 to 6,500". */
export function formatCell(cell: PublicCell, digits = 0): string {
  if (cell.status === 'c' || cell.status === 'x' || cell.status === 'z') return `[${cell.status}]`;
  if (cell.value === null) return '[x]';
  const text = formatRange(cell.value, digits);
  return cell.status === 'u' ? `${text} [u]` : text;
}

/**
 * OWASP CSV injection guidance: text starting with =, +, -, @, tab or carriage return gets a
 * leading apostrophe, so a spreadsheet shows it as text instead of running it as a formula. The
 * apostrophe stays visible in the data; that is the accepted cost of never evaluating it.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
