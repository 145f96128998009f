import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePublishedCsv, publishedLabel } from '../../reports/published.ts';
import { publishedSeriesSection } from '../../reports/sections/published-series.ts';
import type { Env } from '../../reports/model.ts';
import { defaultParams } from '../../schemas/report-params.ts';

describe('published figures (reference/published_figures.csv)', () => {
  const figures = parsePublishedCsv(
    readFileSync(new URL('../../reference/published_figures.csv', import.meta.url), 'utf8'),
  );

  it('holds the published team counts of the years whose returns are not held, each with a source and date', () => {
    const teams = figures
      .filter((f) => f.measure.startsWith('teams_'))
      .map((f) => [publishedLabel(f), f.measure, f.low]);
    expect(teams).toEqual([
      ['2019', 'teams_in_network', 27],
      ['2023', 'teams_established', 45],
      ['2023', 'teams_in_development', 14],
      ['2025 (early 2025)', 'teams_in_network', 47],
      ['2025 (2025 report)', 'teams_in_network', 49],
      ['2025 (late 2025)', 'teams_in_network', 51],
    ]);
    for (const f of figures) expect(f.source.length).toBeGreaterThan(10);
  });

  it('reads a range as low-high', () => {
    expect(figures.find((f) => f.measure === 'families_supported')).toMatchObject({
      year: 2023,
      low: 4400,
      high: 6500,
    });
  });

  it('refuses a row with no source or a value that is not a number, naming the row', () => {
    const head = 'year,measure,value,source,source_date\n';
    expect(() => parsePublishedCsv(`${head}2019,teams_in_network,27,,2019\n`)).toThrow(/row 2/);
    expect(() => parsePublishedCsv(`${head}2019,teams_in_network,about 27,Report,2019\n`)).toThrow(/row 2/);
    expect(() => parsePublishedCsv('year,measure,value\n2019,x,1\n')).toThrow(/columns/);
  });
});

describe('section 7b: published figures beside computed waves', () => {
  const env = (wave: number): Env => ({
    wave,
    publicBuild: false,
    params: defaultParams(),
    protection: { publicBuild: false, threshold: 3 },
    source: `Parent-infant team survey ${wave}`,
  });
  const figures = parsePublishedCsv(
    readFileSync(new URL('../../reference/published_figures.csv', import.meta.url), 'utf8'),
  );

  it('shows each published figure up to the wave, marked published, with its source', async () => {
    const out = await publishedSeriesSection(env(2023), [], figures);
    expect(out.figures.map((f) => [f.id, f.text])).toEqual([
      ['published.teams_in_network.2019', '27'],
      ['published.teams_established.2023', '45'],
      ['published.teams_in_development.2023', '14'],
      ['published.families_supported.2023', '4,400 to 6,500'],
    ]);
    const table = out.tables.find((t) => t.name === 'over_time_published')!;
    expect(table.columns.map((c) => c.header)).toEqual(['Figure', 'Unit', '2019 published', '2023 published']);
    expect((table.notes ?? []).join(' ')).toContain("Charity's published figures");
  });
});
