import { ISSUE_CODES, type IssueCodeEntry } from '../../../schemas/issue-codes.ts';
import { listIssues, type IssueListing } from '../../db/issue-rows.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { previewHtml, previewsOf, type Preview } from '../evidence.ts';
import { h, table, tag, type Html } from '../html.ts';

/**
 * The data issues of a wave by file, as `census issues` lists them (same function, same order): code,
 * severity, location, question and message, with what to do from the issue-code catalogue. The raw
 * text an issue carries is never shown (it may be a respondent's own words); files are named in the
 * URL by their sha256, never by their name. Each issue shows a preview of its evidence (evidence.ts:
 * the sheet region around its cell, personal answers withheld, or the lines quoted at its page and
 * line); a page load reads at most MAX_PREVIEW_FILES files for previews (the rest: "only this file").
 * Issues can be shown by team (the team of the file's returns) or by file.
 */

const MAX_PREVIEW_FILES = 8;
const MAX_PREVIEWS_PER_FILE = 60;

const SEVERITIES = ['error', 'warning', 'info'] as const;
const COLOUR = { error: 'red', warning: 'yellow', info: 'grey' } as const;

const actionOf = (code: string): string => (ISSUE_CODES as Record<string, IssueCodeEntry>)[code]?.action ?? '';

interface FileGroup {
  key: string;
  file: string;
  issues: IssueListing[];
  team: { id: string; name: string } | null;
}

function byFile(rows: readonly IssueListing[]): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  for (const r of rows) {
    const key = r.sha256 ?? `name:${r.file}`;
    const g = groups.get(key) ?? { key, file: r.file, issues: [], team: null };
    g.issues.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The team of each file's returns in the wave (the latest return of the file that names a team). */
async function teamsOfFiles(ctx: Ctx, wave: number): Promise<Map<string, { id: string; name: string }>> {
  const rows = await ctx.db
    .selectFrom('questionnaire_return as r')
    .innerJoin('team as t', 't.id', 'r.team_id')
    .select(['r.sha256', 't.id', 't.name'])
    .where('r.wave', '=', wave)
    .orderBy('r.id')
    .execute();
  return new Map(rows.map((r) => [r.sha256, { id: String(r.id), name: r.name }]));
}

export async function issuesPage(
  ctx: Ctx,
  wave: number,
  filter: { file?: string; severity?: string; team?: string },
): Promise<{ title: string; body: Html }> {
  const severity = SEVERITIES.find((s) => s === filter.severity);
  const all = byFile(await listIssues(ctx.db, wave, severity));
  const teams = await teamsOfFiles(ctx, wave);
  for (const g of all) g.team = teams.get(g.key) ?? null;
  const teamList = [...new Map(all.filter((g) => g.team).map((g) => [g.team!.id, g.team!])).values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const file = filter.file && /^[0-9a-f]{6,64}$/.test(filter.file) ? filter.file : undefined;
  const team = teamList.find((t) => t.id === filter.team);
  const groups = all.filter((g) => (!file || g.key.startsWith(file)) && (!team || g.team?.id === team.id));
  const previews = new Map<FileGroup, Preview[]>();
  for (const g of groups.slice(0, MAX_PREVIEW_FILES))
    previews.set(
      g,
      await previewsOf(ctx, {
        sha256: g.key.startsWith('name:') ? null : g.key,
        wave,
        places: g.issues.slice(0, MAX_PREVIEWS_PER_FILE).map((i) => i.where),
      }),
    );
  const filterForm = h`<form method="get" action="/waves/${wave}/issues" class="govuk-!-margin-bottom-6">
<div class="govuk-form-group">
<label class="govuk-label" for="severity">Severity</label>
<select class="govuk-select" id="severity" name="severity">
<option value=""${severity ? '' : ' selected'}>all</option>
${SEVERITIES.map((s) => h`<option value="${s}"${severity === s ? ' selected' : ''}>${s}</option>`)}
</select>
</div>
${
  teamList.length
    ? h`<div class="govuk-form-group">
<label class="govuk-label" for="team">Team</label>
<select class="govuk-select" id="team" name="team">
<option value=""${team ? '' : ' selected'}>all teams and files</option>
${teamList.map((t) => h`<option value="${t.id}"${team?.id === t.id ? ' selected' : ''}>${t.name}</option>`)}
</select>
</div>`
    : ''
}
${file ? h`<input type="hidden" name="file" value="${file}">` : ''}
<button type="submit" class="govuk-button govuk-button--secondary">Filter</button>
</form>`;
  const count = groups.reduce((n, g) => n + g.issues.length, 0);
  return {
    title: `Issues, wave ${wave}`,
    body: h`<h1 class="govuk-heading-xl">Issues by file, wave ${wave}</h1>
${filterForm}
<p class="govuk-body">${count} issue(s)${severity ? ` of severity ${severity}` : ''} in ${groups.length} file(s)${
      team ? ` of ${team.name}` : ''
    }${file || team ? h` – <a class="govuk-link" href="/waves/${wave}/issues">all files</a>` : ''}.</p>
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
${g.team ? h`<p class="govuk-body-s desk-compact">Team: <a class="govuk-link" href="/waves/${wave}/issues?team=${g.team.id}">${g.team.name}</a></p>` : ''}
${g.key.startsWith('name:') ? '' : h`<p class="govuk-body-s">sha256 <code class="desk-code">${g.key.slice(0, 12)}</code> – <a class="govuk-link" href="/waves/${wave}/issues?file=${g.key.slice(0, 16)}">only this file</a></p>`}
${table({
  caption: `Issues in ${g.file}`,
  head: ['Severity', 'Code', 'Location', 'Question', 'Message', 'What to do', 'Evidence'],
  rows: g.issues.map((i, n) => {
    const p = previews.get(g)?.[n];
    return [
      tag(i.severity, COLOUR[i.severity as keyof typeof COLOUR] ?? 'blue'),
      h`<code class="desk-code">${i.code}</code>`,
      i.location,
      i.questionId ?? '',
      i.message,
      actionOf(i.code),
      p
        ? previewHtml(p, i.location || 'The file')
        : g.key.startsWith('name:')
          ? ''
          : h`<a class="govuk-link" href="/waves/${wave}/issues?file=${g.key.slice(0, 16)}#file-1">Show the evidence</a>`,
    ];
  }),
})}
</section>`,
)}`,
  };
}
