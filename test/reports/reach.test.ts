import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { areaKey, matchAreas, parseAreasCsv } from '../../reports/areas.ts';
import { formatPercent } from '../../reports/format.ts';
import {
  birthsFor,
  needOf,
  NeedError,
  parseBirthsCsv,
  perTenThousandBirths,
  reachPercent,
} from '../../reports/reach.ts';

const births = parseBirthsCsv(readFileSync(new URL('../../reference/live_births.csv', import.meta.url), 'utf8'));

describe('need scenarios and reach', () => {
  it('prints 4,400 to 6,500 families against a need of 110,000 as "4.0% to 5.9%" (one decimal below 10%), and against 34,000 as "13% to 19%"', () => {
    expect(formatPercent(reachPercent({ low: 4400, high: 6500 }, 110_000))).toBe('4.0% to 5.9%');
    expect(formatPercent(reachPercent({ low: 4400, high: 6500 }, 34_000))).toBe('13% to 19%');
  });

  it('takes a fixed count as given', () => {
    expect(needOf({ kind: 'fixed', babiesPerYear: 60_000 }, births, 2025)).toMatchObject({
      babies: 60_000,
      basis: '60,000 babies a year (a fixed estimate)',
    });
  });

  it('multiplies reference births by the prevalence, each area at its latest year up to the wave', () => {
    const need = needOf(
      { kind: 'births', prevalence: 0.1, areas: ['K04000001', 'N92000002'], birthsYear: null },
      births,
      2025,
    );
    expect(need.births.map((b) => [b.areaCode, b.year])).toEqual([
      ['K04000001', 2024],
      ['N92000002', 2022],
    ]);
    expect(need.babies).toBeCloseTo((594_677 + 20_837) * 0.1, 6);
    expect(need.basis).toBe(
      '10% of 615,514 live births (England and Wales 2024: 594,677; Northern Ireland 2022: 20,837) = 61,551 babies a year',
    );
  });

  it('refuses a births year the reference data does not have, naming the area', () => {
    expect(() =>
      needOf({ kind: 'births', prevalence: 0.1, areas: ['S92000003'], birthsYear: 2019 }, births, 2025),
    ).toThrow(NeedError);
    expect(() =>
      needOf({ kind: 'births', prevalence: 0.1, areas: ['S92000003'], birthsYear: 2019 }, births, 2025),
    ).toThrow(/S92000003 for 2019/);
  });

  it('counts teams per 10,000 births', () => {
    expect(perTenThousandBirths(45, 594_677)).toBeCloseTo(0.7567, 4);
    expect(birthsFor(births, 'S92000003', null, 2023)?.births).toBe(45_935);
  });
});

describe('local authority areas', () => {
  const refs = parseAreasCsv(readFileSync(new URL('../../reference/local_authorities.csv', import.meta.url), 'utf8'));
  it('reads the 218 reference areas, names with commas included', () => {
    expect(refs).toHaveLength(218);
    expect(refs.find((r) => r.code === 'E06000058')?.name).toBe('Bournemouth, Christchurch and Poole');
  });
  it('matches names however teams write them, and ONS codes; keeps what does not match', () => {
    expect(areaKey('Leeds City Council')).toBe(areaKey('Leeds'));
    const m = matchAreas(
      [
        { text: 'Leeds City Council', record: 'a' },
        { text: 'e06000001', record: 'b' },
        { text: 'Atlantis', record: 'c' },
      ],
      refs,
    );
    expect([...m.covered.keys()].sort()).toEqual(['E06000001', 'E08000035']);
    expect(m.unmatched).toEqual([{ text: 'Atlantis', record: 'c' }]);
  });
});
