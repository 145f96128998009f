/**
 * report.html building blocks: one self-contained file (inline styles and SVG, no scripts, no
 * network: a Content-Security-Policy forbids any fetch), readable in black and white and in print.
 * Fragments are typed `Html` so text can only enter through `escapeHtml`.
 */
import type { Column, Row } from './csv.ts';
import { formatCell, type PublicCell } from './disclosure.ts';
import { formatNumber, formatRange } from './format.ts';
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
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; line-height: 1.45; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 2px solid #111; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; margin-top: 0.5rem; }
p.note { font-size: 0.9rem; margin: 0.25rem 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.4rem; }
th, td { border: 1px solid #111; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
thead th { border-bottom-width: 2px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  @page { size: A4; margin: 15mm; }
  h2 { break-after: avoid; }
  figure, table { break-inside: avoid; }
}
`.trim();

/** The whole document; `lang` defaults to British English to match the number format. */
export function page(input: {
  title: string;
  intro?: readonly string[];
  sections: readonly Html[];
  lang?: string;
}): string {
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
${join([...intro, ...input.sections])}
</main>
</body>
</html>
`;
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

/**
 * A chart with its caption and the note report.md asks for under every figure (denominator and
 * how ranges arose). The SVG comes from charts.ts; anything else is refused rather than inlined.
 */
export function figure(input: { svg: string; caption: string; note: string }): Html {
  const svg = input.svg.trim();
  if (!svg.startsWith('<svg') || !svg.endsWith('</svg>'))
    throw new TypeError('figure expects a single <svg> element from charts.ts');
  const labelled = svg.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(input.caption)}"`);
  return trusted(
    `<figure>\n${labelled}\n<figcaption>${escapeHtml(input.caption)}</figcaption>\n</figure>\n${paragraph(input.note, 'note')}`,
  );
}

const isPublicCell = (v: object): v is PublicCell => 'value' in v;

function cellText(v: Row[string], column: Column, digits: number): string {
  if (v === null || v === undefined) return column.kind === 'text' ? '' : '[x]';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v, digits);
  return isPublicCell(v) ? formatCell(v, digits) : formatRange(v as Bounds, digits);
}

/** A table with caption and notes; a range shows as one cell ("4,400 to 6,500"), numbers right-aligned. */
export function table(input: {
  caption: string;
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
  return trusted(
    [
      '<table>',
      `<caption>${escapeHtml(input.caption)}</caption>`,
      `<thead><tr>${head}</tr></thead>`,
      `<tbody>\n${body.join('\n')}\n</tbody>`,
      '</table>',
      ...notes,
    ].join('\n'),
  );
}
