import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { applyDisclosure, type Cell, type CountTable, type PublicTable } from '../../reports/disclosure.ts';
import { compareWithPrevious } from '../../reports/disclosure-compare.ts';

fc.configureGlobal({ numRuns: Number(process.env.FUZZ_RUNS ?? 200) });

const cell: fc.Arbitrary<Cell> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({ v: fc.integer({ min: 0, max: 12 }), nation: fc.boolean() })
      .map(({ v, nation }) => ({ value: { low: v, high: v }, ...(nation && v < 3 ? { wholeNation: true } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 1 }).map((low) => ({ value: { low, high: 4 }, sourceSuppressed: true })),
  },
  { weight: 1, arbitrary: fc.constantFrom<Cell>({ value: null, status: 'z' }, { value: null, status: 'x' }) },
);

const table: fc.Arbitrary<{ t: CountTable; threshold: number }> = fc
  .record({
    r: fc.integer({ min: 1, max: 5 }),
    c: fc.integer({ min: 1, max: 5 }),
    rows: fc.boolean(),
    cols: fc.boolean(),
    threshold: fc.integer({ min: 0, max: 5 }),
  })
  .chain(({ r, c, rows, cols, threshold }) =>
    fc.array(fc.array(cell, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }).map((cells) => ({
      threshold,
      t: {
        rows: Array.from({ length: r }, (_, i) => `r${i}`),
        cols: Array.from({ length: c }, (_, j) => `c${j}`),
        cells,
        totals: { rows, cols },
      },
    })),
  );

/** Every line a reader can subtract along: rows when a total column is shown, columns when a total row is. */
function linesOf(p: PublicTable): { row: string; col: string; status?: string }[][] {
  const at = (i: number, j: number) => ({
    row: p.rows[i] as string,
    col: p.cols[j] as string,
    status: p.cells[i]?.[j]?.status,
  });
  const out: { row: string; col: string; status?: string }[][] = [];
  if (p.totals.rows) p.rows.forEach((_, i) => out.push(p.cols.map((_, j) => at(i, j))));
  if (p.totals.cols) p.cols.forEach((_, j) => out.push(p.rows.map((_, i) => at(i, j))));
  return out;
}

test.prop([table])(
  'no line with a shown total is left with exactly one withheld cell it could reveal',
  ({ t, threshold }) => {
    const p = applyDisclosure(t, { threshold });
    const source = new Set(p.suppressed.filter((s) => s.reason === 'source').map((s) => `${s.row}|${s.col}`));
    for (const line of linesOf(p)) {
      const withheld = line.filter((c) => c.status === 'c');
      if (withheld.length !== 1) continue;
      // A lone source range protects itself: its total is a range, so subtraction only gives "<5" back.
      const only = withheld[0] as { row: string; col: string };
      expect(source.has(`${only.row}|${only.col}`)).toBe(true);
    }
  },
);

test.prop([table])('no small count outside a whole nation is shown, totals included', ({ t, threshold }) => {
  const p = applyDisclosure(t, { threshold });
  const last = { row: p.rows.length - 1, col: p.cols.length - 1 };
  p.cells.forEach((row, i) =>
    row.forEach((out, j) => {
      const grand = t.totals.rows && t.totals.cols && i === last.row && j === last.col;
      if (grand || t.cells[i]?.[j]?.wholeNation || out.status === 'c' || !out.value) return;
      expect(out.value.low >= threshold || out.value.high === 0).toBe(true);
    }),
  );
});

test.prop([table])('subtraction within a public table reveals no withheld cell', ({ t, threshold }) => {
  const p = applyDisclosure(t, { threshold });
  expect(compareWithPrevious(p, p)).toEqual([]);
});
