/**
 * Report charts as static SVG: vega-lite compiled to vega, rendered headless (renderer 'none') to
 * an SVG string. Output depends only on the input: no timestamps, no random ids, one fixed font.
 * Readable without colour: every bar and point carries a text label, and a range is drawn as a
 * solid bar up to its low end plus a white, dashed-outline bar from low to high.
 */
import { formatNumber, formatRange } from './format.ts';
import type { Bounds } from './intervals.ts';

/** Fixed so the SVG never depends on a renderer default; Liberation Sans matches Arial's metrics. */
export const FONT = 'Arial, "Liberation Sans", Helvetica, sans-serif';

export interface ChartText {
  readonly title: string;
  /** e.g. "of 45 teams that answered (4 did not answer)" */
  readonly denominator: string;
  /** e.g. "Parent-infant team survey 2025" (printed after "Source: ") */
  readonly source: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly width?: number;
  /** The phone-width drawing (html.ts shows it below 40rem): narrower plot, shorter label lines. */
  readonly narrow?: boolean;
}

export interface Bar {
  readonly label: string;
  /** null for a withheld or missing value: no bar is drawn, only its `text` ("[c]", "[x]"). */
  readonly value: Bounds | number | null;
  /** Printed instead of the formatted value: "[c]" for a withheld cell, "[x]" for a missing one. */
  readonly text?: string;
}

export interface BarChart extends ChartText {
  readonly bars: readonly Bar[];
  /** How a value label prints; formatRange by default, formatPercent for shares. */
  readonly formatValue?: (b: Bounds) => string;
  /** Counts: axis ticks at whole numbers only, printed without decimals. */
  readonly integer?: boolean;
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface LineChart extends ChartText {
  readonly series: readonly LineSeries[];
}

export const RANGE_KEY = 'Solid bar: lowest possible value. Dashed outline: range up to the highest.';

const INK = '#222222';

function config(): Record<string, unknown> {
  return {
    font: FONT,
    background: 'white',
    // The page names each chart (role img, aria-label, a note as its description); marks inside an
    // image carry no roles of their own (axe svg-img-alt flags unnamed graphics-object groups).
    aria: false,
    view: { stroke: null },
    // Sizes allow for the page scaling a chart down to 80% on a narrow screen (html.ts): 12 px prints at 9.6 px or more.
    title: { anchor: 'start', fontSize: 15, subtitleFontSize: 12, subtitleColor: INK, color: INK },
    // Long category labels ("UK: babies needing specialist help") are kept whole (0: no limit), never cut.
    axis: {
      labelColor: INK,
      titleColor: INK,
      labelFontSize: 12,
      titleFontSize: 12,
      gridColor: '#dddddd',
      labelLimit: 0,
    },
    legend: { labelColor: INK, titleColor: INK, labelFontSize: 12, titleFontSize: 12 },
    text: { fontSize: 12, fill: INK },
  };
}

/** Title and subtitle lines are broken at this width so they never make a chart wider than its plot. */
const TITLE_LINE = 48;

const NARROW_TITLE_LINE = 30;
const NARROW_LABEL_LINE = 14;
const titleWidth = (chart: ChartText): number => (chart.narrow ? NARROW_TITLE_LINE : TITLE_LINE);
const plotWidth = (chart: ChartText): number => chart.width ?? (chart.narrow ? 200 : 360);

function subtitle(chart: ChartText, extra: readonly string[] = []): string[] {
  return [chart.denominator, `Source: ${chart.source}`, ...extra].flatMap((l) =>
    wrapLabel(l, titleWidth(chart)).split('\n'),
  );
}

const titleLines = (chart: ChartText): string[] => wrapLabel(chart.title, titleWidth(chart)).split('\n');

/** The SVG with a <title> (its accessible name where it is shown alone; html.ts adds role and aria-label). */
function named(svg: string, name: string): string {
  const esc = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return svg.replace(/^(<svg\b[^>]*>)/, `$1<title>${esc}</title>`);
}

/** Category labels longer than this are broken into lines at spaces, so the chart stays narrow. */
const LABEL_LINE = 24;

/** "a long label" -> "a long\nlabel" at word boundaries; the y axis prints each line (labelExpr). */
export function wrapLabel(label: string, width = LABEL_LINE): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

async function render(vlSpec: Record<string, unknown>): Promise<string> {
  // vega and vega-lite take a while to load; only a build that draws charts pays for them.
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vl.compile(vlSpec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const text = (vlSpec.title as { text?: string | string[] } | undefined)?.text ?? 'Chart';
    const title = Array.isArray(text) ? text.join(' ') : text;
    // Marks inside the image carry no roles or labels of their own (some, such as a line's points,
    // ignore aria: false): the page names the chart as one image (axe svg-img-alt).
    const svg = (await view.toSVG()).replace(/\s(role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '');
    return named(svg, title);
  } finally {
    view.finalize();
  }
}

export async function barChartSvg(chart: BarChart): Promise<string> {
  const format = chart.formatValue ?? ((b: Bounds) => formatRange(b));
  const values = chart.bars.map((bar, order) => {
    if (bar.value === null)
      return {
        category: wrapLabel(bar.label, chart.narrow ? NARROW_LABEL_LINE : LABEL_LINE),
        order,
        low: null,
        high: null,
        end: 0,
        ranged: false,
        label: bar.text ?? '[x]',
      };
    const b = typeof bar.value === 'number' ? { low: bar.value, high: bar.value } : bar.value;
    const ranged = b.high !== null && b.high > b.low;
    return {
      category: wrapLabel(bar.label, chart.narrow ? NARROW_LABEL_LINE : LABEL_LINE),
      order,
      low: b.low,
      high: b.high ?? b.low,
      end: b.high ?? b.low,
      ranged,
      label: bar.text ?? format(b),
    };
  });
  const anyRange = values.some((v) => v.ranged);
  const y = {
    field: 'category',
    type: 'nominal',
    sort: null,
    title: chart.yTitle,
    axis: { labelExpr: "split(datum.label, '\\n')" },
  };
  const spec = {
    title: { text: titleLines(chart), subtitle: subtitle(chart, anyRange ? [RANGE_KEY] : []) },
    config: config(),
    width: plotWidth(chart),
    height: { step: 30 },
    data: { values },
    layer: [
      {
        // A withheld or missing value draws no bar at all (never a zero bar): only its marker.
        transform: [{ filter: 'datum.low !== null' }],
        mark: { type: 'bar', fill: '#555555', stroke: INK, strokeWidth: 1 },
        encoding: {
          y,
          x: {
            field: 'low',
            type: 'quantitative',
            title: chart.xTitle,
            ...(chart.integer ? { axis: { format: 'd', tickMinStep: 1 } } : {}),
          },
        },
      },
      {
        transform: [{ filter: 'datum.ranged' }],
        mark: { type: 'bar', fill: 'white', stroke: INK, strokeWidth: 1.5, strokeDash: [4, 2] },
        encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4 },
        encoding: { y, x: { field: 'end', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
  return render(spec);
}

export async function lineChartSvg(chart: LineChart): Promise<string> {
  const values = chart.series.flatMap((s) =>
    s.points.map((p) => ({ series: s.name, x: p.x, y: p.y, label: formatNumber(p.y) })),
  );
  const several = chart.series.length > 1;
  const seriesNames = chart.series.map((s) => s.name);
  // Series differ by dash and point shape, never by colour alone.
  const bySeries = (channel: 'strokeDash' | 'shape') =>
    several
      ? {
          [channel]: { field: 'series', type: 'nominal', sort: seriesNames, title: null, legend: { orient: 'bottom' } },
        }
      : {};
  const x = {
    field: 'x',
    type: 'quantitative',
    title: chart.xTitle,
    axis: { format: 'd', tickMinStep: 1 },
    scale: { zero: false, padding: 20 },
  };
  const y = { field: 'y', type: 'quantitative', title: chart.yTitle };
  const spec = {
    title: { text: titleLines(chart), subtitle: subtitle(chart) },
    config: config(),
    width: plotWidth(chart),
    height: 240,
    data: { values },
    layer: [
      {
        mark: { type: 'line', color: INK, strokeWidth: 2, point: { filled: true, fill: INK, size: 40 } },
        encoding: { x, y, ...bySeries('strokeDash'), ...bySeries('shape') },
      },
      {
        mark: { type: 'text', dy: -10, baseline: 'bottom' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
  return render(spec);
}
