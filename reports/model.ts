import { barChartSvg, lineChartSvg, type BarChart, type LineChart } from './charts.ts';
import type { DataTable } from './csv.ts';
import type { PublicTable } from './disclosure.ts';
import type { Denominator, Figure } from './figures.ts';
import { formatDenominator, formatNumber, formatRange, TEAMS, TRUSTS } from './format.ts';
import { largestBars, listWords } from './statements.ts';
import { figure as figureHtml, noData, paragraph, table as tableHtml, type Html } from './html.ts';
import { protectFigure, type Protection } from './protect.ts';
import type { ReportParams } from '../schemas/report-params.ts';

/** What every section builder knows about the build. */
export interface Env {
  readonly wave: number;
  readonly publicBuild: boolean;
  readonly params: ReportParams;
  readonly protection: Protection;
  /** "Parent-infant team survey 2025": the source line of charts and notes. */
  readonly source: string;
}

export interface SectionOut {
  readonly id: string;
  readonly heading: string;
  readonly body: readonly Html[];
  readonly figures: readonly Figure[];
  readonly tables: readonly DataTable[];
  readonly publicTables: Readonly<Record<string, PublicTable>>;
  readonly definitions: Readonly<Record<string, string>>;
  readonly charts: number;
}

export function denominatorText(d: Denominator): string {
  return formatDenominator(d.answered, d.notAnswered, d.of === 'trusts' ? TRUSTS : TEAMS, d);
}

/**
 * A figure's denominator from a measure's counts: teams that answered and did not, and of those, the
 * answers unreadable or left out (flagged) when there are any, so the report says them beside the figure.
 */
export function teamsDenominator(c: {
  answered: number;
  notAnswered: number;
  unreadable?: number;
  leftOut?: number;
}): Denominator {
  return {
    answered: c.answered,
    notAnswered: c.notAnswered,
    of: 'teams',
    ...(c.unreadable ? { unreadable: c.unreadable } : {}),
    ...(c.leftOut ? { leftOut: c.leftOut } : {}),
  };
}

/**
 * Collects one section's HTML, figures, tables and definitions in the order they are added, so the
 * report, figures.json, tables.xlsx and tables/*.csv list them in the same order.
 */
interface PendingChart {
  readonly svg: string;
  readonly narrowSvg: string;
  readonly caption: string;
  /** Every value the chart draws, as text, for screen readers. */
  readonly summary: string;
  readonly note: string;
  readonly n: number;
}

/** A bar or line chart with nothing to draw (every value missing, withheld or not applicable). */
const emptyBars = (c: BarChart): boolean => c.bars.every((b) => b.value === null);
const emptyLines = (c: LineChart): boolean => c.series.every((s) => s.points.length === 0);

/** The largest bars a chart shows: the labels (named in a finding) and their printed value. */
export interface TopBars {
  readonly labels: string[];
  /** "A, B and C" or "A, B, C and 4 others". */
  readonly names: string;
  readonly text: string;
  readonly value: { low: number; high: number | null };
}

/** A chart's values as text: "North East: 5; London: [c]". */
function barSummary(c: BarChart): string {
  const fmt = c.formatValue ?? ((b) => formatRange(b));
  const text = (b: BarChart['bars'][number]): string =>
    b.value === null
      ? (b.text ?? '[x]')
      : typeof b.value === 'number'
        ? fmt({ low: b.value, high: b.value })
        : fmt(b.value);
  return `Chart data (${c.xTitle.toLowerCase()}, ${c.denominator}): ${c.bars.map((b) => `${b.label}: ${text(b)}`).join('; ')}.`;
}
function lineSummary(c: LineChart): string {
  return `Chart data (${c.yTitle.toLowerCase()} by ${c.xTitle.toLowerCase()}, ${c.denominator}): ${c.series
    .map((s) => `${s.name}: ${s.points.map((p) => `${p.x} ${formatNumber(p.y)}`).join(', ')}`)
    .join('; ')}.`;
}

export class Section {
  /** Html, or a chart whose data-table link is resolved in out(): the first table added after it. */
  private readonly body: (Html | PendingChart | { readonly table: string })[] = [];
  private readonly figures: Figure[] = [];
  private readonly tables: DataTable[] = [];
  private readonly publicTables: Record<string, PublicTable> = {};
  private readonly definitions: Record<string, string> = {};
  private charts = 0;

  constructor(
    readonly id: string,
    readonly heading: string,
    readonly env: Env,
  ) {}

  /** Registers how a figure is computed; returns the id figures name. */
  def(id: string, text: string): string {
    const key = `${this.id}.${id}`;
    this.definitions[key] = text;
    return key;
  }

  /**
   * Registers a figure through the public gate (protectFigure): the figure returned is the one that
   * is published, so sentences built from its `text` say only what the protected value says.
   */
  figure(f: Omit<Figure, 'section'>): Figure {
    const full: Figure = protectFigure({ ...f, section: this.id }, this.env.protection);
    this.figures.push(full);
    return full;
  }

  para(text: string, className?: string): void {
    this.body.push(paragraph(text, className));
  }

  /**
   * A bar chart whose title is a one-sentence finding: `finding` is given the largest bars the chart
   * shows (a withheld bar is never among them), so the sentence rests on published values only. With no
   * value to draw, a "no data" sentence instead (never an empty axis).
   */
  async bars(chart: BarChart, finding: string | ((top: TopBars) => string), note: string): Promise<void> {
    const fmt = chart.formatValue ?? ((b) => formatRange(b));
    const top = largestBars(chart.bars, (low, high) => fmt({ low, high }));
    if (emptyBars(chart) || top === null) return void this.body.push(noData(chart.title, note));
    const caption = typeof finding === 'string' ? finding : finding({ ...top, names: listWords(top.labels) });
    this.charts += 1;
    const [svg, narrowSvg] = await Promise.all([barChartSvg(chart), barChartSvg({ ...chart, narrow: true })]);
    this.body.push({ svg, narrowSvg, caption, summary: barSummary(chart), note, n: this.charts });
  }

  /** A drawing made here (the tile map), with its finding, its values as text and its note. */
  map(svg: string, caption: string, summary: string, note: string): void {
    this.charts += 1;
    this.body.push({ svg, narrowSvg: svg, caption, summary, note, n: this.charts });
  }

  /** A line chart whose title is a one-sentence finding from the values it draws. */
  async line(chart: LineChart, caption: string, note: string): Promise<void> {
    if (emptyLines(chart)) return void this.body.push(noData(chart.title, note));
    this.charts += 1;
    const [svg, narrowSvg] = await Promise.all([lineChartSvg(chart), lineChartSvg({ ...chart, narrow: true })]);
    this.body.push({ svg, narrowSvg, caption, summary: lineSummary(chart), note, n: this.charts });
  }

  /** A table in the page, in tables.xlsx and as tables/<name>.csv; `counts` is kept for the back test. */
  table(t: DataTable, counts?: PublicTable): void {
    if (this.tables.some((x) => x.name === t.name))
      throw new Error(`table name "${t.name}" is used twice in section ${this.id}`);
    this.body.push({ table: t.name });
    this.body.push(
      tableHtml({ caption: t.title, name: t.name, columns: t.columns, rows: t.rows, notes: t.notes ?? [] }),
    );
    this.tables.push(t);
    if (counts) this.publicTables[t.name] = counts;
  }

  out(): SectionOut {
    const body: Html[] = [];
    this.body.forEach((item, i) => {
      if (typeof item === 'string') body.push(item);
      else if ('svg' in item) {
        const next = this.body.slice(i + 1).find((x): x is { table: string } => typeof x === 'object' && 'table' in x);
        body.push(figureHtml({ ...item, id: `${this.id}-chart-${item.n}`, ...(next ? { table: next.table } : {}) }));
      }
    });
    return {
      id: this.id,
      heading: this.heading,
      body,
      figures: this.figures,
      tables: this.tables,
      publicTables: this.publicTables,
      definitions: this.definitions,
      charts: this.charts,
    };
  }
}
