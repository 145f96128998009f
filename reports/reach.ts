/**
 * Need scenarios and reach (report.md section 4): reach = families supported / babies in need, a
 * range of percentages. Need is a named, cited scenario from the build parameters, either a fixed
 * count or reference births times a prevalence; nothing about need is a constant in code.
 */
import Papa from 'papaparse';
import { formatCount, formatNumber } from './format.ts';
import { percentOf, type Bounds } from './intervals.ts';

export interface BirthRow {
  readonly areaCode: string;
  readonly areaName: string;
  readonly year: number;
  readonly births: number;
}

export type NeedSpec =
  | { readonly kind: 'fixed'; readonly babiesPerYear: number }
  | {
      readonly kind: 'births';
      readonly prevalence: number;
      readonly areas: readonly string[];
      readonly birthsYear: number | null;
    };

export interface NeedResult {
  readonly babies: number;
  /** How the number arose, for the note under the table. */
  readonly basis: string;
  readonly births: readonly BirthRow[];
}

export class NeedError extends Error {
  readonly code = 'need_unavailable';
}

/** The births of an area in `year`, or its latest year up to `upTo`. */
export function birthsFor(
  rows: readonly BirthRow[],
  areaCode: string,
  year: number | null,
  upTo: number,
): BirthRow | undefined {
  const own = rows.filter((r) => r.areaCode === areaCode && (year === null ? r.year <= upTo : r.year === year));
  return own.sort((a, b) => b.year - a.year)[0];
}

export function needOf(spec: NeedSpec, births: readonly BirthRow[], waveYear: number): NeedResult {
  if (spec.kind === 'fixed') {
    return {
      babies: spec.babiesPerYear,
      basis: `${formatCount(spec.babiesPerYear)} babies a year (a fixed estimate)`,
      births: [],
    };
  }
  const used = spec.areas.map((code) => {
    const row = birthsFor(births, code, spec.birthsYear, waveYear);
    if (!row) {
      const when = spec.birthsYear === null ? `up to ${waveYear}` : `for ${spec.birthsYear}`;
      throw new NeedError(`reference/live_births.csv has no births for area ${code} ${when}`);
    }
    return row;
  });
  const total = used.reduce((s, r) => s + r.births, 0);
  const babies = total * spec.prevalence;
  const parts = used.map((r) => `${r.areaName} ${r.year}: ${formatCount(r.births)}`).join('; ');
  const percent = formatNumber(spec.prevalence * 100, 1).replace(/\.0$/, '');
  return {
    babies,
    basis: `${percent}% of ${formatCount(total)} live births (${parts}) = ${formatCount(Math.round(babies))} babies a year`,
    births: used,
  };
}

/** Families reached as a percentage of need, a range when families is a range. */
export function reachPercent(families: Bounds, babies: number): Bounds {
  return percentOf(families, babies);
}

/** Teams per 10,000 live births. */
export function perTenThousandBirths(teams: number, births: number): number {
  if (!(births > 0)) throw new RangeError(`births must be positive, got ${births}`);
  return (teams / births) * 10_000;
}

/** reference/live_births.csv: area_code,area_name,year,live_births,source. */
export function parseBirthsCsv(text: string): BirthRow[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const need = ['area_code', 'area_name', 'year', 'live_births'];
  if (!need.every((f) => parsed.meta.fields?.includes(f)))
    throw new NeedError(`live_births.csv must have the columns ${need.join(', ')}`);
  return parsed.data.map((r) => ({
    areaCode: r.area_code ?? '',
    areaName: r.area_name ?? '',
    year: Number(r.year),
    births: Number(r.live_births),
  }));
}
