import {
  correctionProblems,
  recordCorrection,
  type CorrectionField,
  type CorrectionInput,
  type CorrectionProblem,
} from '../../audit/corrections.ts';
import { typedInterval } from '../../audit/corrections-file.ts';
import { isFoiWave } from '../../foi/wave.ts';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../../schemas/db.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, type Html } from '../html.ts';
import { askNameFirst } from './name.ts';

/**
 * Corrections with reasons: the FOI counts of one trust that feed the report (report_foi_value), each
 * with its quote and a form that corrects it through recordCorrection, the function behind
 * `census correct --value ID` (a new row kept beside the value, never an edit; its reason and the
 * person's name kept with it).
 */
export async function correctionsPage(
  ctx: Ctx,
  wave: number,
  opts: {
    csrf: string;
    person: string | null;
    trust?: string;
    corrected?: string | null;
    /** A form the rule refused: shown again with what was typed and each problem on its field. */
    refused?: RefusedCorrection | null;
  },
): Promise<{ title: string; body: Html }> {
  const title = `Correct FOI values, wave ${wave}`;
  // The counts census correct takes: a number or interval, or a count coded missing (not held,
  // withheld...), which a correction replaces with a number.
  const correctable = (eb: ExpressionBuilder<Database, 'report_foi_value'>) =>
    eb.and([
      eb('period_start', 'is not', null),
      eb.or([eb('low', 'is not', null), eb('missing_reason', 'is not', null)]),
    ]);
  if (!isFoiWave(wave, ctx.workspace.wavesDir))
    return {
      title,
      body: h`<h1 class="govuk-heading-xl">${title}</h1><p class="govuk-body">Wave ${wave} has no FOI request list.</p>`,
    };
  const trusts = (
    await ctx.db
      .selectFrom('report_foi_value')
      .select('trust_ods')
      .distinct()
      .where('wave', '=', wave)
      .where(correctable)
      .orderBy('trust_ods')
      .execute()
  ).map((r) => r.trust_ods);
  const trust = opts.trust && trusts.includes(opts.trust) ? opts.trust : undefined;
  const values = trust
    ? await ctx.db
        .selectFrom('report_foi_value')
        .select(['value_id', 'question_id', 'period_label', 'basis', 'low', 'high', 'flags', 'quote', 'missing_reason'])
        .where('wave', '=', wave)
        .where('trust_ods', '=', trust)
        .where(correctable)
        .orderBy('question_id')
        .orderBy('period_start')
        .orderBy('value_id')
        .execute()
    : [];
  const here = `/waves/${wave}/foi/corrections`;
  const banner = opts.corrected
    ? h`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="corrected-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="corrected-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Value ${opts.corrected} corrected; rebuild the report to apply it.</p></div></div>`
    : '';
  const filter = h`<form method="get" action="${here}" class="govuk-!-margin-bottom-6"><div class="govuk-form-group"><label class="govuk-label" for="trust">Trust</label><select class="govuk-select" id="trust" name="trust">${trusts.map(
    (t) => h`<option value="${t}"${t === trust ? ' selected' : ''}>${t}</option>`,
  )}</select> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Show</button></div></form>`;
  const num = (v: unknown) => (v === null || v === undefined ? 'open' : String(Number(v)));
  const refused = opts.refused ?? null;
  const card = (v: (typeof values)[number]) => {
    const id = `value-${v.value_id}`;
    const mine = refused && refused.valueId === String(v.value_id) ? refused : null;
    const field = (name: 'low' | 'high' | 'reason', label: string, width: string, extra: Html | '' = '') => {
      const err = mine?.problems.find((p) => p.field === name);
      const fid = `${id}-${name}`;
      return h`<div class="govuk-form-group desk-field${err ? ' govuk-form-group--error' : ''}"><label class="govuk-label" for="${fid}">${label}</label>${
        err
          ? h`<p id="${fid}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${err.message}</p>`
          : ''
      }<input class="govuk-input ${width}${err ? ' govuk-input--error' : ''}" id="${fid}" name="${name}" type="text"${extra} spellcheck="false" value="${mine?.typed[name] ?? ''}"${
        err ? h` aria-describedby="${fid}-error"` : ''
      }></div>`;
    };
    return h`<div class="govuk-summary-card">
<div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title" id="${id}">${v.question_id}, ${v.period_label}${v.basis ? ` (${v.basis})` : ''}: ${v.low === null && v.missing_reason ? `missing (${v.missing_reason})` : `${num(v.low)} to ${num(v.high)}`}</h2></div>
<div class="govuk-summary-card__content">
<p class="govuk-body">Value ${v.value_id}${v.flags.length ? `, flags ${v.flags.join(', ')}` : ''}. Quoted: <span class="desk-code">${v.quote ?? 'no quote'}</span></p>
<form method="post" action="${here}/correct" novalidate><input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="value" value="${String(v.value_id)}"><input type="hidden" name="trust" value="${trust ?? ''}">
<fieldset class="govuk-fieldset" aria-describedby="${id}"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Correct it</legend>
<div class="desk-fields">
${field('low', 'Low', 'govuk-input--width-5', h` inputmode="numeric"`)}
${field('high', 'High (blank = low, or open)', 'govuk-input--width-5')}
${field('reason', 'Reason', 'govuk-input--width-30')}
</div></fieldset>
<button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Correct</button>
</form>
</div></div>`;
  };
  const summary = refused
    ? h`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><p class="govuk-body">Value ${refused.valueId} was not corrected.</p><ul class="govuk-list govuk-error-summary__list">${refused.problems.map(
        (p) =>
          h`<li><a href="#value-${refused.valueId}${p.field === 'low' || p.field === 'high' || p.field === 'reason' ? `-${p.field}` : ''}">${p.message}</a></li>`,
      )}</ul></div></div></div>`
    : '';
  return {
    title,
    body: h`${summary}${banner}<h1 class="govuk-heading-xl">${title}</h1>
<p class="govuk-body">The counts that feed the report, by trust. A correction here is the same as <code class="desk-code">census correct --wave ${wave} --value ID --low N --high N --by "Your Name" --reason "why"</code>: it is kept beside the value, with its reason, and applies from the next report build.</p>
${opts.person ? '' : askNameFirst(here)}
${trusts.length === 0 ? insetText(`No FOI counts in wave ${wave} yet.`) : filter}
${values.map(card)}`,
  };
}

/** A correction form the rule refused: what was typed, and each problem with its field. */
export interface RefusedCorrection {
  valueId: string;
  typed: Record<'low' | 'high' | 'reason', string>;
  problems: CorrectionProblem[];
}

/** The form's labels, which the rule's messages name (the command line names its options instead). */
const FORM_NAMES: Record<CorrectionField, string> = {
  low: 'Low',
  high: 'High',
  flags: 'Flags',
  by: 'Your name',
  reason: 'Reason',
};

/**
 * The form's fields as census correct reads its options (high blank = low; "open" = no upper bound),
 * checked by the rule recordCorrection applies (correctionProblems), so a refused form comes back
 * with every problem in the form's own words and nothing recorded.
 */
export async function correctFromForm(
  input: { wave: number; body: Record<string, unknown>; by: string },
  ctx: Ctx,
): Promise<{ valueId: string } | { refused: RefusedCorrection }> {
  const str = (k: string) => (typeof input.body[k] === 'string' ? (input.body[k] as string).trim() : '');
  const typed = { low: str('low'), high: str('high'), reason: str('reason') };
  const correction: CorrectionInput = {
    wave: input.wave,
    valueId: str('value'),
    ...typedInterval(typed.low, typed.high),
    by: input.by,
    reason: typed.reason,
  };
  const problems = correctionProblems(correction, FORM_NAMES);
  if (problems.length > 0) return { refused: { valueId: correction.valueId, typed, problems } };
  const r = await recordCorrection(correction, ctx);
  return { valueId: r.valueId };
}
