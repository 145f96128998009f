import { toCsvBytes, type DataTable } from './csv.ts';
import type { PublicTable } from './disclosure.ts';
import { figuresJson } from './figures.ts';
import { glossarySection, mainPoints, methodsSection } from './bulletin.ts';
import { link, linkParagraph, page, paragraph, section as sectionHtml, table as tableHtml, type Html } from './html.ts';
import type { ReportParams } from '../schemas/report-params.ts';
import { writeWorkbook } from './xlsx.ts';
import { longDate } from './format.ts';
import type { SectionOut } from './model.ts';

export const REPORT_HTML = 'report.html';
const ANNEX_HTML = 'annex.html';
const TABLES_XLSX = 'tables.xlsx';
export const FIGURES_JSON = 'figures.json';

/**
 * Every output of a build except the manifest, as bytes by relative path, from the sections' content.
 * Nothing here reads the clock: the workbook is dated with the data's date.
 */
export async function renderOutputs(input: {
  wave: number;
  publicBuild: boolean;
  title: string;
  intro: readonly string[];
  notes: readonly string[];
  date: Date;
  sections: readonly SectionOut[];
  params: ReportParams;
  /** Waves whose data the report shows (over time). */
  waves: readonly number[];
  /** "Survey wave 2025; FOI requests of 2024": what the figures describe. */
  dataPeriod: string;
  /** The source line of the tables. */
  source: string;
  /** Who answers questions about the release. */
  contact: string;
  /** YYYY-MM-DD, a build parameter (never the clock). */
  releaseDate: string;
}): Promise<Map<string, Buffer>> {
  const tables: DataTable[] = input.sections.flatMap((s) => s.tables);
  const names = new Set<string>();
  for (const t of tables) {
    if (names.has(t.name))
      throw new Error(
        `table name "${t.name}" is used by two sections; table names are file and sheet names and must be unique`,
      );
    names.add(t.name);
  }
  const out = new Map<string, Buffer>();
  const figures = input.sections.flatMap((s) => s.figures);
  const sections = input.sections.map((s) => sectionHtml({ id: s.id, heading: s.heading, body: s.body }));
  sections.push(
    methodsSection({
      wave: input.wave,
      waves: input.waves,
      figures,
      params: input.params,
      publicBuild: input.publicBuild,
    }),
    glossarySection(),
  );
  const edition = input.publicBuild ? 'Public edition' : 'Internal edition (not for publication)';
  const meta: [string, string][] = [
    ['Release date', longDate(input.releaseDate)],
    ['Data period', input.dataPeriod],
    ['Edition', edition],
    ['Source', input.source],
    ['Contact', input.contact],
    ['Data tables', 'tables.xlsx, tables/*.csv and figures.json beside this file'],
  ];
  const intro: Html[] = input.publicBuild
    ? []
    : [
        linkParagraph(
          'Where each figure comes from, and the command that lists the values behind it, is in the ',
          link(ANNEX_HTML, 'audit annex'),
          '.',
        ),
      ];
  const contents = [
    ...input.sections.map((s) => ({ id: s.id, heading: s.heading })),
    { id: 'methods', heading: 'Methods and quality' },
    { id: 'glossary', heading: 'Glossary' },
  ];
  const html = page({
    title: input.title,
    meta,
    mainPoints: mainPoints(figures, input.params),
    contents,
    sections: [...intro, ...input.intro.map((p) => paragraph(p, 'note')), ...sections],
  });
  out.set(REPORT_HTML, Buffer.from(html, 'utf8'));
  if (!input.publicBuild) {
    const annex = page({
      title: `${input.title}: audit annex`,
      meta: [...meta, ['Report', 'report.html']],
      sections: [
        linkParagraph('Back to ', link(REPORT_HTML, 'the report'), '.'),
        figureIndex(input.wave, input.sections),
      ],
    });
    out.set(ANNEX_HTML, Buffer.from(annex, 'utf8'));
  }
  out.set(
    TABLES_XLSX,
    await writeWorkbook({
      tables,
      notes: input.notes,
      date: input.date,
      cover: {
        title: input.title,
        about: `The tables of the report (${input.publicBuild ? 'public edition, with disclosure control' : 'internal edition, not for publication'}), one per sheet, in the order of the report; report.html explains the figures and their methods.`,
        dataPeriod: input.dataPeriod,
        releaseDate: longDate(input.releaseDate),
        source: input.source,
        contact: input.contact,
      },
    }),
  );
  for (const t of tables) out.set(`tables/${t.name}.csv`, toCsvBytes(t));
  const publicTables: Record<string, PublicTable> = Object.assign({}, ...input.sections.map((s) => s.publicTables));
  out.set(
    FIGURES_JSON,
    Buffer.from(
      figuresJson({
        wave: input.wave,
        build: input.publicBuild ? 'public' : 'internal',
        figures: input.sections.flatMap((s) => s.figures),
        definitions: Object.assign({}, ...input.sections.map((s) => s.definitions)),
        tables: input.publicBuild ? publicTables : {},
      }),
      'utf8',
    ),
  );
  return out;
}

/**
 * Internal builds end with every printed figure, its id and the one command that lists the values
 * behind it with their quoted PDF lines and cells (census audit figure). Public builds leave it out:
 * their figures.json carries no record ids to audit.
 */
function figureIndex(wave: number, sections: readonly SectionOut[]): Html {
  const rows = sections
    .flatMap((s) => s.figures)
    .map((f) => ({ id: f.id, label: f.label, value: f.text, audit: `census audit figure ${f.id} --wave ${wave}` }));
  return sectionHtml({
    id: 'figure-index',
    heading: 'Where each figure comes from',
    body: [
      paragraph(
        'Run the command beside a figure to list every value behind it: trust or team, interval, flags, source file, page and line or sheet and cell, the quoted text, how it was coded and any correction.',
      ),
      tableHtml({
        caption: 'Figures of this report and their audit commands',
        columns: [
          { key: 'id', header: 'Figure id', kind: 'text' },
          { key: 'label', header: 'Figure', kind: 'text' },
          { key: 'value', header: 'Value', kind: 'text' },
          { key: 'audit', header: 'Audit command', kind: 'text' },
        ],
        rows,
      }),
    ],
  });
}
