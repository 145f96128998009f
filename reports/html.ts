/**
 * report.html building blocks: one self-contained file (inline styles and SVG, no scripts, no
 * network: a Content-Security-Policy forbids any fetch), readable in black and white and in print.
 * Fragments are typed `Html` so text can only enter through `escapeHtml`.
 */
import type { Column, Row } from './csv.ts';
import { formatCell, type PublicCell } from './disclosure.ts';
import { formatNumber, formatPercentNumber, formatRange } from './format.ts';
import type { Bounds } from './intervals.ts';

declare const htmlBrand: unique symbol;
export type Html = string & { readonly [htmlBrand]: true };

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Marks markup this program generated itself as safe; never pass it outside text. */
function trusted(markup: string): Html {
  return markup as Html;
}

const join = (parts: readonly Html[]): Html => parts.join('\n') as Html;

const STYLE = `
:root { color: #111; background: #fff; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; line-height: 1.45; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: break-word; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 2px solid #111; }
a { color: #1d4f91; } a:focus, .scroll:focus { outline: 3px solid #b35900; outline-offset: 2px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0 0 1.5rem; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
.main-points { border-left: 6px solid #111; padding: 0.25rem 1rem; background: #f3f3f3; }
figure { margin: 1.5rem 0; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll > svg { display: block; width: 100%; height: auto; }
.scroll > svg.narrow { display: none; }
figcaption { font-weight: bold; margin-top: 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
p.note { font-size: 0.9rem; margin: 0.25rem 0 1rem; }
p.no-data { border: 1px dashed #111; padding: 0.5rem 1rem; }
table { border-collapse: collapse; margin: 0; font-size: 0.95rem; }
.table-wrap { margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.4rem; }
th, td { border: 1px solid #111; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
thead th { border-bottom-width: 2px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
@media (max-width: 40rem) {
  .scroll > svg.wide { display: none; } .scroll > svg.narrow { display: block; }
  body { margin: 1rem auto; padding: 0 0.75rem; } h1 { font-size: 1.45rem; } h2 { font-size: 1.2rem; }
  table { font-size: 0.875rem; }
}
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  @page { size: A4; margin: 15mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
  .scroll { overflow: visible; } .scroll > svg { min-width: 0 !important; }
  .scroll > svg.wide { display: block; } .scroll > svg.narrow { display: none; }
  h2 { break-after: avoid; }
  figure, table, .table-wrap { break-inside: avoid; }
  thead { display: table-header-group; } tr, th, td { break-inside: avoid; }
  a[href^="#"] { color: inherit; text-decoration: none; }
}
`.trim();

/** The whole document; `lang` defaults to British English to match the number format. */
export function page(input: {
  title: string;
  /** Label and value pairs under the title: release date, data period, edition. */
  meta?: readonly (readonly [string, string])[];
  intro?: readonly string[];
  /** "Main points": sentences computed from published figures, shown first. */
  mainPoints?: readonly string[];
  /** Section ids and headings for the contents list (none: no contents list). */
  contents?: readonly { id: string; heading: string }[];
  sections: readonly Html[];
  lang?: string;
}): string {
  const meta =
    input.meta && input.meta.length > 0
      ? [
          trusted(
            `<dl class="meta">\n${input.meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}\n</dl>`,
          ),
        ]
      : [];
  const points =
    input.mainPoints && input.mainPoints.length > 0
      ? [
          trusted(
            `<section id="main-points" class="main-points" aria-labelledby="main-points-h">\n<h2 id="main-points-h">Main points</h2>\n<ul>\n${input.mainPoints.map((p) => `<li>${escapeHtml(p)}</li>`).join('\n')}\n</ul>\n</section>`,
          ),
        ]
      : [];
  const contents =
    input.contents && input.contents.length > 0
      ? [
          trusted(
            `<nav aria-labelledby="contents-h">\n<h2 id="contents-h">Contents</h2>\n<ol>\n${input.contents.map((c) => `<li><a href="#${escapeHtml(c.id)}">${escapeHtml(c.heading)}</a></li>`).join('\n')}\n</ol>\n</nav>`,
          ),
        ]
      : [];
  const intro = (input.intro ?? []).map((p) => paragraph(p));
  return `<!DOCTYPE html>
<html lang="${escapeHtml(input.lang ?? 'en-GB')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(input.title)}</h1>
${join([...meta, ...points, ...intro, ...contents, ...input.sections])}
</main>
</body>
</html>
`;
}

/** A link to a file of the same build or to an anchor of the page. */
export function link(href: string, text: string): Html {
  if (!/^(#[a-z][a-z0-9_-]*|[a-z][a-z0-9_-]*\.(html|xlsx|json|csv))$/.test(href))
    throw new RangeError(`link "${href}" must be an anchor or a file of the build`);
  return trusted(`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`);
}

/** A paragraph of text around one link: the text is escaped, the link comes from `link`. */
export function linkParagraph(before: string, a: Html, after: string, className?: string): Html {
  const cls = className ? ` class="${escapeHtml(className)}"` : '';
  return trusted(`<p${cls}>${escapeHtml(before)}${a}${escapeHtml(after)}</p>`);
}

export function paragraph(text: string, className?: string): Html {
  const cls = className ? ` class="${escapeHtml(className)}"` : '';
  return trusted(`<p${cls}>${escapeHtml(text)}</p>`);
}

export function section(input: { id: string; heading: string; body: readonly Html[] }): Html {
  if (!/^[a-z][a-z0-9-]*$/.test(input.id))
    throw new RangeError(`section id "${input.id}" must be lowercase letters, digits and hyphens`);
  return trusted(`<section id="${input.id}">\n<h2>${escapeHtml(input.heading)}</h2>\n${join(input.body)}\n</section>`);
}

/** The element id of a table's box in report.html, which a chart's "data table" link points to. */
const tableAnchor = (name: string): string => `table-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/**
 * A chart with its caption (a one-sentence finding), the note report.md asks for under every figure
 * (denominator and how ranges arose), which is also the chart's description for screen readers, and
 * a link to its data table. The SVG comes from charts.ts; anything else is refused rather than inlined.
 * The SVG scales to the width of the page (viewBox, width 100%) down to 80% of its drawn size, so its
 * text stays readable; below that its box scrolls sideways.
 */
export function figure(input: {
  svg: string;
  /** The same chart drawn for a phone screen, shown instead of `svg` below 40rem. */
  narrowSvg?: string;
  caption: string;
  note: string;
  /** Every value drawn, as text: read by screen readers with the note (visually hidden). */
  summary?: string;
  table?: string;
  id?: string;
}): Html {
  const id = input.id ?? `figure-${tableAnchor(input.caption).slice(6, 40).replace(/-+$/, '')}`;
  if (!/^[a-z][a-z0-9-]*$/.test(id))
    throw new RangeError(`figure id "${id}" must be lowercase letters, digits and hyphens`);
  const described = input.summary ? `${id}-summary ${id}-note` : `${id}-note`;
  const label = `role="img" aria-label="${escapeHtml(input.caption)}" aria-describedby="${described}"`;
  const summary = input.summary
    ? `\n<p class="visually-hidden" id="${id}-summary">${escapeHtml(input.summary)}</p>`
    : '';
  const svgs = input.narrowSvg
    ? [scalable(input.svg, label, 'wide'), scalable(input.narrowSvg, label, 'narrow')]
    : [scalable(input.svg, label)];
  const dataLink = input.table
    ? `\n${linkParagraph('', link(`#${tableAnchor(input.table)}`, 'Data for this chart (table)'), '', 'note')}`
    : '';
  return trusted(
    `<figure id="${id}">\n<figcaption>${escapeHtml(input.caption)}</figcaption>\n<div class="scroll" role="region" tabindex="0" aria-label="Chart: ${escapeHtml(input.caption)}">\n${svgs.join('\n')}\n</div>\n</figure>\n<p class="note" id="${id}-note">${escapeHtml(input.note)}</p>${summary}${dataLink}`,
  );
}

/** An SVG of charts.ts that scales with its box (viewBox, width 100%), down to 80% of its drawn size. */
function scalable(raw: string, label: string, cls?: string): string {
  const svg = raw.trim();
  if (!svg.startsWith('<svg') || !svg.endsWith('</svg>'))
    throw new TypeError('figure expects a single <svg> element from charts.ts');
  const root = /^<svg\b[^>]*>/.exec(svg)![0];
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1] ?? NaN);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1] ?? NaN);
  let open = root.replace(/^<svg\b/, `<svg ${label}`);
  if (cls)
    open = /\sclass="/.test(open)
      ? open.replace(/\sclass="/, ` class="${cls} `)
      : open.replace(/>$/, ` class="${cls}">`);
  if (Number.isFinite(width) && Number.isFinite(height)) {
    if (!/\sviewBox=/.test(open)) open = open.replace(/>$/, ` viewBox="0 0 ${width} ${height}">`);
    open = open
      .replace(/\swidth="[\d.]+"/, ' width="100%"')
      .replace(/\sheight="[\d.]+"/, '')
      .replace(/>$/, ` style="max-width:${width}px;min-width:${Math.round(width * 0.8)}px">`);
  }
  return open + svg.slice(root.length);
}

/** What a chart with no value to draw shows instead: a sentence, never an empty axis. */
export function noData(caption: string, note: string): Html {
  return trusted(
    `<p class="no-data"><strong>${escapeHtml(caption)}</strong>: no data to chart (every value is missing, not applicable or withheld; see the table).</p>\n${paragraph(note, 'note')}`,
  );
}

const isPublicCell = (v: object): v is PublicCell => 'value' in v;

/** A column of percentages ("Reached (%)") prints one decimal below 10%, like the sentences. */
const isPercent = (c: Column): boolean => c.kind !== 'text' && /\(%\)\s*$/.test(c.header);

function cellText(v: Row[string], column: Column, digits: number): string {
  if (v === null || v === undefined) return column.kind === 'text' ? '' : '[x]';
  if (typeof v === 'string') return v;
  if (isPercent(column)) {
    if (typeof v === 'number') return formatPercentNumber(v, digits);
    if (!isPublicCell(v)) return formatPercentNumber(v as Bounds, digits);
    if (v.value === null || v.status === 'c' || v.status === 'x' || v.status === 'z') return formatCell(v, digits);
    return `${formatPercentNumber(v.value, digits)}${v.status === 'u' ? ' [u]' : ''}`;
  }
  if (typeof v === 'number') return formatNumber(v, digits);
  return isPublicCell(v) ? formatCell(v, digits) : formatRange(v as Bounds, digits);
}

/** A table with caption and notes; a range shows as one cell ("4,400 to 6,500"), numbers right-aligned. */
export function table(input: {
  caption: string;
  /** The table's name in tables.xlsx and tables/*.csv: the box gets the id charts link to. */
  name?: string;
  columns: readonly Column[];
  rows: readonly Row[];
  notes?: readonly string[];
  digits?: number;
}): Html {
  const digits = input.digits ?? 0;
  const cls = (c: Column): string => (c.kind === 'text' ? '' : ' class="num"');
  const head = input.columns.map((c) => `<th scope="col"${cls(c)}>${escapeHtml(c.header)}</th>`).join('');
  const body = input.rows.map((row) => {
    const cells = input.columns.map((c, i) => {
      const text = escapeHtml(cellText(row[c.key], c, c.digits ?? digits));
      return i === 0 && c.kind === 'text' ? `<th scope="row">${text}</th>` : `<td${cls(c)}>${text}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  // An empty table says so, never bare headers.
  if (body.length === 0) body.push(`<tr><td colspan="${input.columns.length}">none</td></tr>`);
  const notes = (input.notes ?? []).map((n) => paragraph(n, 'note'));
  // The table scrolls sideways in its own box on a narrow screen; the box is focusable so a
  // keyboard user can scroll it (axe scrollable-region-focusable) and named for screen readers.
  const id = input.name ? ` id="${tableAnchor(input.name)}"` : '';
  return trusted(
    [
      `<div class="table-wrap scroll"${id} role="region" tabindex="0" aria-label="Table: ${escapeHtml(input.caption)}">`,
      '<table>',
      `<caption>${escapeHtml(input.caption)}</caption>`,
      `<thead><tr>${head}</tr></thead>`,
      `<tbody>\n${body.join('\n')}\n</tbody>`,
      '</table>',
      '</div>',
      ...notes,
    ].join('\n'),
  );
}
