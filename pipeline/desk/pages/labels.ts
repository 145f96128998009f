import { unmatchedLabels } from '../../ingest/questionnaire/label-map.ts';
import { mapLabels } from '../../ingest/questionnaire/reread.ts';
import { CensusError } from '../../../schemas/fault.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { hasQuestionnaireWave, questionListFor } from '../../runtime/waves.ts';
import { h, insetText, type Html } from '../html.ts';
import { askNameFirst } from './name.ts';

/**
 * Label mapping for hand-made workbooks: each label of the wave's files that matched no question
 * (unmatchedLabels, as `census questions unmatched` lists them), with the files it is in and its best
 * candidate questions, mapped in one click through mapLabels, the function behind `census questions
 * map` (stored, audit-logged, and the files it affects read again). The example answer is not shown:
 * a free-text answer can name a person.
 */
export async function labelsPage(
  ctx: Ctx,
  wave: number,
  opts: { csrf: string; person: string | null; mapped?: { reread: number } | null },
): Promise<{ title: string; body: Html }> {
  const title = `Labels to map, wave ${wave}`;
  if (!hasQuestionnaireWave(wave, ctx.workspace.wavesDir))
    return {
      title,
      body: h`<h1 class="govuk-heading-xl">${title}</h1><p class="govuk-body">Wave ${wave} has no questionnaire.</p>`,
    };
  const list = questionListFor(wave, ctx.workspace.wavesDir);
  const labels = await unmatchedLabels(ctx.db, list);
  const here = `/waves/${wave}/labels`;
  const banner = opts.mapped
    ? h`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="mapped-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="mapped-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Mapping stored; ${opts.mapped.reread} file(s) read again.</p></div></div>`
    : '';
  const form = (label: string, inner: Html, inline = true) =>
    h`<form method="post" action="${here}/map"${inline ? h` class="desk-inline-form"` : ''}><input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="label" value="${label}">${inner}</form>`;
  const card = (l: (typeof labels)[number], i: number) => {
    const id = `label-${i}`;
    return h`<div class="govuk-summary-card">
<div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title" id="${id}">${l.label}</h2></div>
<div class="govuk-summary-card__content">
<p class="govuk-body">In ${l.files.join(', ')}${l.where ? ` (first at ${l.where})` : ''}.</p>
<ul class="govuk-list desk-candidates">${l.candidates.map(
      (c) =>
        h`<li class="desk-candidate">${form(l.label, h`<button type="submit" name="question" value="${c.questionId}" class="govuk-button govuk-button--secondary desk-small-button" aria-describedby="${id}">Map to ${c.questionId}</button>`)} <span class="govuk-body-s">${c.label} (similarity ${c.score.toFixed(2)})</span></li>`,
    )}<li class="desk-candidate">${form(l.label, h`<button type="submit" name="question" value="ignore" class="govuk-button govuk-button--warning desk-small-button" aria-describedby="${id}">Ignore this label</button>`)}</li></ul>
${form(
  l.label,
  h`<div class="govuk-form-group"><label class="govuk-label" for="${id}-other">Another question</label><select class="govuk-select" id="${id}-other" name="question">${list.questions.map(
    (q) => h`<option value="${q.id}">${q.id}: ${q.label}</option>`,
  )}</select> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Map</button></div>`,
  false,
)}
</div></div>`;
  };
  return {
    title,
    body: h`${banner}<h1 class="govuk-heading-xl">${title}</h1>
${
  labels.length === 0
    ? insetText(`No unmatched labels in wave ${wave}.`)
    : h`<p class="govuk-body">${labels.length} label(s) of hand-made workbooks matched no question. Mapping one here is the same as filling its row of <code class="desk-code">census questions unmatched --wave ${wave} --out map.xlsx</code> and loading it with <code class="desk-code">census questions map</code>: the mapping is kept and the files it affects are read again.</p>
${opts.person ? '' : askNameFirst(here)}
${labels.map(card)}`
}`,
  };
}

/** Maps one label (a question id of the wave, or "ignore") through mapLabels; the number of files read again. */
export async function mapOneLabel(input: { wave: number; label: string; question: string }, ctx: Ctx): Promise<number> {
  const list = questionListFor(input.wave, ctx.workspace.wavesDir);
  const q = input.question === 'ignore' ? null : (list.questions.find((x) => x.id === input.question)?.id ?? undefined);
  if (q === undefined)
    throw new CensusError(
      'usage',
      `"${input.question}" is not a question of wave ${input.wave}.`,
      'Choose one from the list.',
    );
  const out = await mapLabels(ctx, list, [{ label: input.label, questionId: q }]);
  return out.affected.length;
}
