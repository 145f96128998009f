import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { formatCount, formatDenominator, formatNumber, formatPercent, formatRange } from '../../reports/format.ts';

fc.configureGlobal({ numRuns: Number(process.env.FUZZ_RUNS ?? 200) });

const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, 1e21, -1e300));
const bounds = fc.record({ low: anyNumber, high: fc.option(anyNumber, { nil: null }) });
const noLeak = /NaN|Infinity|undefined|e[+-]/;

test.prop([anyNumber, fc.integer({ min: -5, max: 30 })])(
  'formatting a number never throws nor prints NaN',
  (n, digits) => {
    const text = formatNumber(n, digits);
    expect(typeof text).toBe('string');
    if (Math.abs(n) < 1e21) expect(text).not.toMatch(noLeak);
  },
);

test.prop([bounds, fc.integer({ min: 0, max: 4 })])('formatting a range or a percentage never throws', (b, digits) => {
  for (const text of [formatRange(b, digits), formatPercent(b, digits)]) {
    expect(typeof text).toBe('string');
    if (Math.abs(b.low) < 1e21 && Math.abs(b.high ?? 0) < 1e21) expect(text).not.toMatch(noLeak);
  }
});

test.prop([anyNumber, anyNumber])('formatting a denominator never throws', (a, b) => {
  expect(formatDenominator(a, b)).toMatch(/^of .* that answered \(.* did not answer\)$/);
});

test.prop([fc.maxSafeInteger()])('integers print as Intl en-GB prints them', (n) => {
  expect(formatCount(n)).toBe(new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(n));
});
