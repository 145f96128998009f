import { barChartSvg, lineChartSvg, type BarChart, type LineChart } from './charts.ts';
import type { DataTable } from './csv.ts';
import type { PublicTable } from './disclosure.ts';
import type { Denominator, Figure } from './figures.ts';
import { formatDenominator, TEAMS, TRUSTS } from './format.ts';
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
  return formatDenominator(d.answered, d.notAnswered, d.of === 'trusts' ? TRUSTS : TEAMS);
}

/**
 * Collects one section's HTML, figures, tables and definitions in the order they are added, so the
 * report, figures.json, tables.xlsx and tables/*.csv list them in the same order.
 */
interface PendingChart {
  readonly svg: string;
  readonly narrowSvg: string;
  readonly caption: string;
  readonly note: string;
  readonly n: number;
}

/** A bar or line chart with nothing to draw (every value missing, withheld or not applicable). */
const emptyBars = (c: BarChart): boolean => c.bars.every((b) => b.value === null);
const emptyLines = (c: LineChart): boolean => c.series.every((s) => s.points.length === 0);

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

  /** A bar chart; with no value to draw, a "no data" sentence instead (never an empty axis). */
  async bars(chart: BarChart, caption: string, note: string): Promise<void> {
    if (emptyBars(chart)) return void this.body.push(noData(caption, note));
    this.charts += 1;
    const [svg, narrowSvg] = await Promise.all([barChartSvg(chart), barChartSvg({ ...chart, narrow: true })]);
    this.body.push({ svg, narrowSvg, caption, note, n: this.charts });
  }

  async line(chart: LineChart, caption: string, note: string): Promise<void> {
    if (emptyLines(chart)) return void this.body.push(noData(caption, note));
    this.charts += 1;
    const [svg, narrowSvg] = await Promise.all([lineChartSvg(chart), lineChartSvg({ ...chart, narrow: true })]);
    this.body.push({ svg, narrowSvg, caption, note, n: this.charts });
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
