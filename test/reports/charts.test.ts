import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { barChartSvg, FONT, lineChartSvg, RANGE_KEY, type BarChart, type LineChart } from '../../reports/charts.ts';
import { formatPercent } from '../../reports/format.ts';

const families: BarChart = {
  title: 'Families supported directly in a year',
  denominator: 'of 45 teams that answered (4 did not answer)',
  source: 'Parent-infant team survey 2023',
  xTitle: 'Families',
  yTitle: 'Band',
  bars: [
    { label: 'Fewer than 25', value: 4 },
    { label: 'All teams', value: { low: 4400, high: 6500 } },
    { label: 'More than 300', value: { low: 301, high: null } },
  ],
};

const growth: LineChart = {
  title: 'Teams in the network',
  denominator: 'all teams with a return for the wave',
  source: 'Parent-infant team survey 2019-2025',
  xTitle: 'Year',
  yTitle: 'Teams',
  series: [
    {
      name: 'Established',
      points: [
        { x: 2019, y: 27 },
        { x: 2023, y: 45 },
        { x: 2025, y: 49 },
      ],
    },
    {
      name: 'In development',
      points: [
        { x: 2023, y: 14 },
        { x: 2025, y: 10 },
      ],
    },
  ],
};

const fontFamilies = (svg: string): Set<string> =>
  new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1] as string));
const escapedFont = FONT.replace(/"/g, '&quot;');

describe('bar chart', () => {
  it('is byte-identical between two renders in one process', async () => {
    expect(await barChartSvg(families)).toBe(await barChartSvg(families));
  });

  it('is byte-identical when rendered by a separate process in another time zone and locale', async () => {
    const module = fileURLToPath(new URL('../../reports/charts.ts', import.meta.url));
    const code = `const m = await import(${JSON.stringify(module)}); process.stdout.write(await m.barChartSvg(${JSON.stringify(families)}));`;
    const other = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'America/New_York', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    });
    expect(other).toBe(await barChartSvg(families));
  });

  it('carries the title, denominator, source, axis titles and a text label on every bar', async () => {
    const svg = await barChartSvg(families);
    for (const text of [
      families.title,
      families.denominator,
      `Source: ${families.source}`,
      'Families',
      'Band',
      '4',
      '4,400 to 6,500',
      'over 301',
    ]) {
      expect(svg).toContain(`>${text}<`);
    }
  });

  it('draws a range as a dashed outline explained in the caption, readable without colour', async () => {
    const svg = await barChartSvg(families);
    expect(svg).toContain('stroke-dasharray="4,2"');
    // The key is printed (wrapped over lines so the chart stays narrow).
    const words = (x: string) => x.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(words(svg.replace(/<\/tspan><tspan[^>]*>/g, ' '))).toContain(RANGE_KEY);
    const exactOnly = await barChartSvg({ ...families, bars: [{ label: 'a', value: 3 }] });
    expect(exactOnly).not.toContain('stroke-dasharray');
    expect(words(exactOnly)).not.toContain('Dashed');
  });

  it('uses one fixed font family for all text', async () => {
    expect(fontFamilies(await barChartSvg(families))).toEqual(new Set([escapedFont]));
  });

  it('formats value labels with the given formatter', async () => {
    const svg = await barChartSvg({
      ...families,
      bars: [{ label: 'UK', value: { low: 4, high: 5.9 } }],
      formatValue: (b) => formatPercent(b),
    });
    expect(svg).toContain('>4.0% to 5.9%<');
  });

  it('escapes markup in labels', async () => {
    const svg = await barChartSvg({ ...families, title: 'A <b> & "c"', bars: [{ label: '<script>', value: 5 }] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;');
  });
});

describe('line chart', () => {
  it('is byte-identical between renders and labels every point', async () => {
    const svg = await lineChartSvg(growth);
    expect(await lineChartSvg(growth)).toBe(svg);
    for (const text of ['27', '45', '49', '14', '10', 'Established', 'In development', growth.denominator])
      expect(svg).toContain(`>${text}<`);
  });

  it('tells series apart by dash and shape, not colour alone, and prints years without a separator', async () => {
    const svg = await lineChartSvg(growth);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('>2019<');
    expect(svg).not.toContain('2,019');
    expect(fontFamilies(svg)).toEqual(new Set([escapedFont]));
  });

  it('contains no clock time', async () => {
    const svg = await lineChartSvg(growth);
    expect(svg).not.toMatch(/\d{2}:\d{2}:\d{2}|T\d{2}:\d{2}/);
  });
});

describe('bar chart of withheld and missing values', () => {
  it('draws no bar for a withheld value, only its marker, and names the chart with a <title>', async () => {
    const bars = (value: number | null) => ({
      ...families,
      bars: [
        { label: 'a', value: 5 },
        { label: 'b', value, text: value === null ? '[c]' : undefined },
      ],
    });
    const withheld = await barChartSvg(bars(null));
    const shown = await barChartSvg(bars(3));
    const rects = (svg: string) => (svg.match(/<path[^>]*fill="#555555"/g) ?? []).length;
    expect(withheld).toContain('[c]');
    expect(rects(withheld)).toBeLessThan(rects(shown));
    expect(withheld).toMatch(/^<svg[^>]*><title>Families supported directly in a year<\/title>/);
  });
});
