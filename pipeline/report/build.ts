import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../ctx.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { toCsvBytes, headerFields, rowFields, type DataTable } from '../../reports/csv.ts';
import { teamsByNationStatus } from './teams-table.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function htmlTable(t: DataTable): string {
  const head = headerFields(t.columns).map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${rowFields(t.columns, r).map((f, i) => (i === 0 ? `<th scope="row">${esc(String(f))}</th>` : `<td>${esc(String(f))}</td>`)).join('')}</tr>`).join('\n');
  const notes = (t.notes ?? []).map((n) => `<p class="note">${esc(n)}</p>`).join('');
  return `<table><caption>${esc(t.title)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${notes}`;
}

/** Builds the wave's report folder: report.html and tables/*.csv. Outputs depend only on the database content. */
export async function buildReport(input: { wave: number; list: QuestionList; out: string }, ctx: Ctx): Promise<{ files: string[] }> {
  const tables = [await teamsByNationStatus(ctx, input.wave, input.list)];
  mkdirSync(join(input.out, 'tables'), { recursive: true });
  const files: string[] = [];
  for (const t of tables) {
    writeFileSync(join(input.out, 'tables', `${t.name}.csv`), toCsvBytes(t));
    files.push(`tables/${t.name}.csv`);
  }
  const html = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Parent-infant relationship teams: wave ${input.wave}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#111}table{border-collapse:collapse}th,td{border:1px solid #444;padding:.25rem .5rem;text-align:right}th[scope=row],caption{text-align:left}caption{font-weight:bold;margin-bottom:.5rem}.note{font-size:.9rem}</style>
</head><body>
<h1>Parent-infant relationship teams: wave ${input.wave}</h1>
${tables.map(htmlTable).join('\n')}
</body></html>
`;
  writeFileSync(join(input.out, 'report.html'), html);
  files.push('report.html');
  return { files: files.sort() };
}
