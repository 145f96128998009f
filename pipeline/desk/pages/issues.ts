import { ISSUE_CODES, type IssueCodeEntry } from '../../../schemas/issue-codes.ts';
import { listIssues, type IssueListing } from '../../db/issue-rows.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, table, tag, type Html } from '../html.ts';

/**
 * The data issues of a wave by file, as `census issues` lists them (same function, same order): code,
 * severity, location, question and message, with what to do from the issue-code catalogue. The raw
 * text an issue carries is never shown (it may be a respondent's own words); files are named in the
 * URL by their sha256, never by their name.
 */

const SEVERITIES = ['error', 'warning', 'info'] as const;
const COLOUR = { error: 'red', warning: 'yellow', info: 'grey' } as const;

const actionOf = (code: string): string => (ISSUE_CODES as Record<string, IssueCodeEntry>)[code]?.action ?? '';

interface FileGroup {
  key: string;
  file: string;
  issues: IssueListing[];
}

function byFile(rows: readonly IssueListing[]): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  for (const r of rows) {
    const key = r.sha256 ?? `name:${r.file}`;
    const g = groups.get(key) ?? { key, file: r.file, issues: [] };
    g.issues.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export async function issuesPage(
  ctx: Ctx,
  wave: number,
  filter: { file?: string; severity?: string },
): Promise<{ title: string; body: Html }> {
  const severity = SEVERITIES.find((s) => s === filter.severity);
  const all = byFile(await listIssues(ctx.db, wave, severity));
  const file = filter.file && /^[0-9a-f]{6,64}$/.test(filter.file) ? filter.file : undefined;
  const groups = file ? all.filter((g) => g.key.startsWith(file)) : all;
  const filterForm = h`<form method="get" action="/waves/${wave}/issues" class="govuk-!-margin-bottom-6">
<div class="govuk-form-group">
<label class="govuk-label" for="severity">Severity</label>
<select class="govuk-select" id="severity" name="severity">
<option value=""${severity ? '' : ' selected'}>all</option>
${SEVERITIES.map((s) => h`<option value="${s}"${severity === s ? ' selected' : ''}>${s}</option>`)}
</select>
</div>
${file ? h`<input type="hidden" name="file" value="${file}">` : ''}
<button type="submit" class="govuk-button govuk-button--secondary">Filter</button>
</form>`;
  const count = groups.reduce((n, g) => n + g.issues.length, 0);
  return {
    title: `Issues, wave ${wave}`,
    body: h`<h1 class="govuk-heading-xl">Issues by file, wave ${wave}</h1>
${filterForm}
<p class="govuk-body">${count} issue(s)${severity ? ` of severity ${severity}` : ''} in ${groups.length} file(s)${
      file ? h` – <a class="govuk-link" href="/waves/${wave}/issues">all files</a>` : ''
    }.</p>
${
  groups.length > 1
    ? h`<ul class="govuk-list">${groups.map(
        (g, i) => h`<li><a class="govuk-link" href="#file-${i + 1}">${g.file}</a> (${g.issues.length})</li>`,
      )}</ul>`
    : ''
}
${groups.map(
  (g, i) => h`<section id="file-${i + 1}" class="govuk-!-margin-top-6">
<h2 class="govuk-heading-m">${g.file}</h2>
${g.key.startsWith('name:') ? '' : h`<p class="govuk-body-s">sha256 <code class="desk-code">${g.key.slice(0, 12)}</code> – <a class="govuk-link" href="/waves/${wave}/issues?file=${g.key.slice(0, 16)}">only this file</a></p>`}
${table({
  caption: `Issues in ${g.file}`,
  head: ['Severity', 'Code', 'Location', 'Question', 'Message', 'What to do'],
  rows: g.issues.map((i) => [
    tag(i.severity, COLOUR[i.severity as keyof typeof COLOUR] ?? 'blue'),
    h`<code class="desk-code">${i.code}</code>`,
    i.location,
    i.questionId ?? '',
    i.message,
    actionOf(i.code),
  ]),
})}
</section>`,
)}`,
  };
}
