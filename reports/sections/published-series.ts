import type { Row } from '../csv.ts';
import type { PublicCell } from '../disclosure.ts';
import { formatRange } from '../format.ts';
import type { WaveData } from '../input.ts';
import { asked, intervalSum } from '../measures.ts';
import { cellAt, isShown } from '../protect.ts';
import { publishedLabel, type PublishedFigure } from '../published.ts';
import { teamsByWave } from './growth.ts';
import { Section, type Env, type SectionOut } from '../model.ts';

const MEASURES = [
  { key: 'teams_in_network', label: 'Teams in the network', unit: 'teams' },
  { key: 'teams_established', label: 'Established teams', unit: 'teams' },
  { key: 'teams_in_development', label: 'Teams in development', unit: 'teams' },
  { key: 'families_supported', label: 'Families supported directly (all teams)', unit: 'families' },
] as const;

const pubKey = (f: PublishedFigure): string =>
  `p_${publishedLabel(f)
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()}`;

interface Column {
  key: string;
  header: string;
  year: number;
  basis: 'computed' | 'published';
  source: string;
}

/**
 * Section 7's headline series with the published history (issue 14): every loaded wave computed from
 * its returns, and, for each year up to the report's wave with no loaded wave, the figures the charity
 * published (reference/published_figures.csv), each column marked "computed" or "published" with its
 * source and date. A published figure is never recomputed or mixed into a computed one.
 */
export async function publishedSeriesSection(
  env: Env,
  waves: readonly WaveData[],
  published: readonly PublishedFigure[],
): Promise<SectionOut> {
  const s = new Section('over-time-published', '7b. Over time, with published figures', env);
  const loaded = new Set(waves.map((w) => w.wave));
  const pub = published.filter((p) => p.year <= env.wave && !loaded.has(p.year));
  const { statusCols, grid } = teamsByWave(waves, env.protection);
  const cap = env.params.openBandCaps.families_supported;
  const cols: Column[] = [
    ...[...new Set(pub.map((p) => publishedLabel(p)))].map((label) => {
      const f = pub.find((p) => publishedLabel(p) === label)!;
      return {
        key: pubKey(f),
        header: `${label} published`,
        year: f.year,
        basis: 'published' as const,
        source: `${f.source} (${f.sourceDate})`,
      };
    }),
    ...waves.map((w) => ({
      key: `w${w.wave}`,
      header: `${w.wave} computed`,
      year: w.wave,
      basis: 'computed' as const,
      source: `Parent-infant team survey ${w.wave}, computed from the loaded returns`,
    })),
  ].sort((a, b) => a.year - b.year || (a.basis < b.basis ? -1 : 1));
  const computed = (key: string, w: WaveData): PublicCell => {
    const i = waves.indexOf(w);
    if (key === 'teams_in_network') return cellAt(grid, i, statusCols.length);
    if (key === 'families_supported') {
      if (!asked(w, 'families_supported')) return { value: null, status: 'x' };
      const t = intervalSum(w, 'families_supported', cap === undefined ? {} : { cap });
      return t.answered > 0 ? { value: t.value } : { value: null, status: 'x' };
    }
    if (!asked(w, 'status')) return { value: null, status: 'x' }; // 2019 did not ask whether a team was established
    const j = statusCols.findIndex((c) => `teams_${c.code}` === key);
    return j >= 0 ? cellAt(grid, i, j) : { value: null, status: 'x' };
  };
  const def = s.def(
    'published_series',
    'Computed: from the loaded returns of the wave, as in sections 1 and 4. Published: the figure the charity published for a year whose raw returns are not held here (reference/published_figures.csv, with its source and date); shown as published, never recomputed.',
  );
  const rows: Row[] = MEASURES.map((m) => {
    const row: Record<string, unknown> = { figure: m.label, unit: m.unit };
    for (const c of cols) {
      let cell: PublicCell;
      if (c.basis === 'computed')
        cell = computed(
          m.key,
          waves.find((w) => `w${w.wave}` === c.key)!,
        );
      else {
        const f = pub.find((p) => p.measure === m.key && pubKey(p) === c.key);
        cell = f ? { value: { low: f.low, high: f.high } } : { value: null, status: 'x' };
        if (f)
          s.figure({
            id: `published.${m.key}.${c.key.slice(2)}`,
            label: `${m.label}, ${publishedLabel(f)} (published)`,
            value: { low: f.low, high: f.high },
            text: formatRange({ low: f.low, high: f.high }),
            unit: m.unit,
            definition: def,
            records: [],
          });
      }
      row[c.key] = cell;
    }
    return row as Row;
  });
  // The chart: one point a year, the computed figure where a wave is loaded, else the latest published one.
  const teamsPoint = (c: Column): number | null => {
    const cell = rows[0]![c.key] as PublicCell;
    return isShown(cell) ? cell.value!.low : null;
  };
  const lastPublished = new Map<number, Column>();
  for (const c of cols) if (c.basis === 'published' && teamsPoint(c) !== null) lastPublished.set(c.year, c);
  const pts = (basis: Column['basis']) =>
    (basis === 'computed' ? cols.filter((c) => c.basis === 'computed') : [...lastPublished.values()])
      .map((c) => ({ x: c.year, y: teamsPoint(c) }))
      .filter((p): p is { x: number; y: number } => p.y !== null);
  s.para(
    pub.length
      ? `Years with no loaded wave show the figure the charity published (marked "published", with its source); loaded waves are computed from their returns.`
      : 'Every year with a published figure up to this wave has a loaded wave, so every figure here is computed.',
  );
  await s.line(
    {
      title: 'Teams in the network by year: computed and published',
      denominator: 'computed: teams with a loaded return; published: as the charity published it',
      source: cols.length ? [...new Set(cols.map((c) => c.source))].join('; ') : env.source,
      xTitle: 'Year',
      yTitle: 'Teams',
      series: [
        { name: 'Computed', points: pts('computed') },
        { name: 'Published', points: pts('published') },
      ],
    },
    'Teams in the network by year: computed and published',
    "Computed points come from the loaded returns; published points are the charity's published figures for years whose returns are not held here (the latest published figure of a year where there are several).",
  );
  s.table({
    name: 'over_time_published',
    title: 'Headline figures by year, computed and published',
    columns: [
      { key: 'figure', header: 'Figure', kind: 'text' },
      { key: 'unit', header: 'Unit', kind: 'text' },
      ...cols.map((c) => ({ key: c.key, header: c.header, kind: 'range' as const })),
    ],
    rows,
    notes: [
      `Sources: ${cols.map((c) => `${c.header}: ${c.source}`).join('; ') || 'none'}.`,
      '[x]: not available for that year (not published, or not asked). Published figures are as published and are not recomputed from returns.',
    ],
  });
  return s.out();
}
