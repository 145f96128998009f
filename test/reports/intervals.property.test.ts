import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { contains, median, quartiles, sum, type Bounds } from '../../reports/intervals.ts';

fc.configureGlobal({ numRuns: Number(process.env.FUZZ_RUNS ?? 200) });

const CAP = 1000;

/** An interval with a point inside it; open intervals pick points up to CAP so a capped sum holds them. */
const withPoint = fc
  .record({
    low: fc.integer({ min: 0, max: 500 }),
    width: fc.integer({ min: 0, max: 400 }),
    open: fc.boolean(),
    t: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ low, width, open, t }) => {
    const b: Bounds = { low, high: open ? null : low + width };
    const top = b.high ?? CAP;
    return { b, p: Math.floor(low + t * (top - low)) };
  });

const byNumber = (a: number, b: number): number => a - b;
function pointMedian(xs: number[]): number {
  const s = [...xs].sort(byNumber);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

test.prop([fc.array(withPoint, { maxLength: 60 })])(
  'a sum of intervals contains every sum of points inside them',
  (items) => {
    const total = items.reduce((s, { p }) => s + p, 0);
    expect(contains(sum(items.map((i) => i.b)), total)).toBe(true);
    expect(
      contains(
        sum(
          items.map((i) => i.b),
          { cap: CAP },
        ),
        total,
      ),
    ).toBe(true);
  },
);

test.prop([fc.array(withPoint, { minLength: 1, maxLength: 60 })])(
  'the median of points inside intervals lies within the median of the intervals',
  (items) => {
    const m = median(items.map((i) => i.b)) as Bounds;
    const mp = pointMedian(items.map((i) => i.p));
    expect(m.high === null || m.low <= m.high).toBe(true);
    expect(contains(m, mp)).toBe(true);
  },
);

test.prop([fc.array(withPoint, { minLength: 1, maxLength: 60 })])('quartiles are ordered at both ends', (items) => {
  const q = quartiles(items.map((i) => i.b));
  if (!q) throw new Error('quartiles of a non-empty list must exist');
  expect(q.q1.low).toBeLessThanOrEqual(q.median.low);
  expect(q.median.low).toBeLessThanOrEqual(q.q3.low);
  const hi = (b: Bounds): number => b.high ?? Infinity;
  expect(hi(q.q1)).toBeLessThanOrEqual(hi(q.median));
  expect(hi(q.median)).toBeLessThanOrEqual(hi(q.q3));
});
