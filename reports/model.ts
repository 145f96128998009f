import { barChartSvg, lineChartSvg, type BarChart, type LineChart } from './charts.ts';
import type { DataTable } from './csv.ts';
import type { PublicTable } from './disclosure.ts';
import type { Denominator, Figure } from './figures.ts';
import { formatDenominator, TEAMS, TRUSTS } from './format.ts';
import { figure as figureHtml, paragraph, table as tableHtml, type Html } from './html.ts';
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
export class Section {
  private readonly body: Html[] = [];
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

  async bars(chart: BarChart, caption: string, note: string): Promise<void> {
    this.body.push(figureHtml({ svg: await barChartSvg(chart), caption, note }));
    this.charts += 1;
  }

  async line(chart: LineChart, caption: string, note: string): Promise<void> {
    this.body.push(figureHtml({ svg: await lineChartSvg(chart), caption, note }));
    this.charts += 1;
  }

  /** A table in the page, in tables.xlsx and as tables/<name>.csv; `counts` is kept for the back test. */
  table(t: DataTable, counts?: PublicTable): void {
    if (this.tables.some((x) => x.name === t.name))
      throw new Error(`table name "${t.name}" is used twice in section ${this.id}`);
    this.body.push(tableHtml({ caption: t.title, columns: t.columns, rows: t.rows, notes: t.notes ?? [] }));
    this.tables.push(t);
    if (counts) this.publicTables[t.name] = counts;
  }

  out(): SectionOut {
    return {
      id: this.id,
      heading: this.heading,
      body: this.body,
      figures: this.figures,
      tables: this.tables,
      publicTables: this.publicTables,
      definitions: this.definitions,
      charts: this.charts,
    };
  }
}
