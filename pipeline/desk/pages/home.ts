import { sql } from 'kysely';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, type Html } from '../html.ts';

/** The waves the workspace holds anything for: files received (returns or FOI replies) or FOI requests sent. */
export async function wavesPresent(ctx: Ctx): Promise<number[]> {
  const rows = await sql<{ wave: number }>`
    select wave from file_receipt union select wave from foi_request order by wave desc`.execute(ctx.db);
  return rows.rows.map((r) => Number(r.wave));
}

export async function homePage(ctx: Ctx): Promise<{ title: string; body: Html }> {
  const waves = await wavesPresent(ctx);
  return {
    title: 'Waves',
    body: h`<h1 class="govuk-heading-xl">Census review desk</h1>
<p class="govuk-body">Workspace <code class="desk-code">${ctx.workspace.dir}</code>.</p>
<h2 class="govuk-heading-m">Waves</h2>
${
  waves.length === 0
    ? h`<p class="govuk-body">Nothing has been received yet. Load returns or FOI replies with <code class="desk-code">census ingest</code>, or send the FOI requests with <code class="desk-code">census foi send</code>.</p>`
    : h`<ul class="govuk-list">${waves.map((w) => h`<li><a class="govuk-link" href="/waves/${w}">Wave ${w}</a></li>`)}</ul>`
}
<form method="get" action="/wave" class="govuk-!-margin-top-6">
<div class="govuk-form-group">
<label class="govuk-label" for="wave">Open another wave</label>
<div class="govuk-hint" id="wave-hint">A year such as 2025.</div>
<input class="govuk-input govuk-input--width-4" id="wave" name="wave" type="text" inputmode="numeric" aria-describedby="wave-hint">
</div>
<button type="submit" class="govuk-button govuk-button--secondary">Open</button>
</form>
<p class="govuk-body"><a class="govuk-link" href="/reports">Report builds in this workspace</a></p>`,
  };
}
