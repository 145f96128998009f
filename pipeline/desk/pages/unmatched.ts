import { isFoiWave, foiReference } from '../../foi/wave.ts';
import { listUnmatched } from '../../foi/unmatched.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, tag, type Html } from '../html.ts';
import { askNameFirst } from './name.ts';

/**
 * The FOI replies of a wave matched to no request (`census foi unmatched`), each with its candidate
 * trusts and why, and a button per candidate that matches it in one click (POST .../match, through
 * matchByHand, the function behind `census foi match`). Of a reply's hints only those about the trust
 * are shown (ODS code, trust names, e-mail domain): the sender's address, subject and reference
 * lines can name a person.
 */
const SHOWN_HINTS: Record<string, string> = {
  ods: 'ODS code',
  name: 'trust named',
  names: 'all trust names',
  emailDomain: 'e-mail domain',
};

/** Candidates offered as one-click buttons; the rest of the wave's requests are in a list below them. */
const BUTTONS = 5;

function hints(hint: Record<string, unknown>): Html {
  const items = Object.entries(SHOWN_HINTS).flatMap(([k, label]) => {
    const v = hint[k];
    if (v === undefined || v === null || v === '') return [];
    return [h`<li>${label}: ${Array.isArray(v) ? v.join('; ') : String(v)}</li>`];
  });
  return items.length ? h`<ul class="govuk-list govuk-list--bullet desk-compact">${items}</ul>` : h`none`;
}

export interface MatchedNote {
  file: string;
  sha256: string;
  /** One trust, or each trust of a joint reply. */
  trusts: string[];
  attachments: number;
}

export async function unmatchedPage(
  ctx: Ctx,
  wave: number,
  opts: {
    csrf: string;
    person: string | null;
    matched?: MatchedNote | null;
    /** A reply a person has just sent back to the queue (from the matched replies' page). */
    sentBack?: { file: string; sha256: string } | null;
  },
): Promise<{ title: string; body: Html }> {
  const title = `Unmatched FOI replies, wave ${wave}`;
  if (!isFoiWave(wave, ctx.workspace.wavesDir))
    return {
      title,
      body: h`<h1 class="govuk-heading-xl">${title}</h1><p class="govuk-body">Wave ${wave} has no FOI request list.</p>`,
    };
  const rows = await listUnmatched(wave, ctx);
  const { trusts } = foiReference(wave, ctx.workspace.wavesDir);
  const trustName = (ods: string) => trusts.byOds.get(ods)?.name ?? ods;
  const requests = (
    await ctx.db.selectFrom('foi_request').select('trust_ods').where('wave', '=', wave).orderBy('trust_ods').execute()
  ).map((r) => r.trust_ods);
  const here = `/waves/${wave}/foi/unmatched`;
  const action = `${here}/match`;
  const m = opts.matched;
  const banner = m
    ? h`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="matched-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="matched-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${m.file} (${m.sha256.slice(0, 12)}) is matched to ${m.trusts.map((t) => `${t}, ${trustName(t)}`).join('; ')}${m.attachments ? `, with ${m.attachments} attachment(s)` : ''}.</p></div></div>`
    : opts.sentBack
      ? h`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="matched-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="matched-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${opts.sentBack.file} (${opts.sentBack.sha256.slice(0, 12)}) is back in the queue, matched to no request.</p></div></div>`
      : '';
  const form = (sha256: string, inner: Html, inline = true) =>
    h`<form method="post" action="${action}"${inline ? h` class="desk-inline-form"` : ''}><input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="file" value="${sha256}">${inner}</form>`;
  const card = (r: (typeof rows)[number], i: number) => {
    const top = r.candidates.slice(0, BUTTONS).filter((c) => requests.includes(c.ods));
    const others = requests.filter((o) => !top.some((c) => c.ods === o));
    const id = `reply-${i}`;
    return h`<div class="govuk-summary-card">
<div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title" id="${id}">${r.file} <code class="desk-code">${r.sha256.slice(0, 12)}</code></h2></div>
<div class="govuk-summary-card__content">
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Kind</dt><dd class="govuk-summary-list__value">${r.parent ? `${r.kind} (attachment of ${r.parent.slice(0, 12)})` : r.kind}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Why it waits</dt><dd class="govuk-summary-list__value">${r.why}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">What it says about the trust</dt><dd class="govuk-summary-list__value">${hints(r.hint)}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Coding</dt><dd class="govuk-summary-list__value">${r.needsManualCoding ? 'by hand' : 'automatic'}</dd></div>
</dl>
<h3 class="govuk-heading-s">Candidate trusts</h3>
${
  top.length === 0
    ? h`<p class="govuk-body">No candidate from the reply's evidence.</p>`
    : h`<ul class="govuk-list desk-candidates">${top.map(
        (c) =>
          h`<li class="desk-candidate">${form(
            r.sha256,
            h`<button type="submit" name="trust" value="${c.ods}" class="govuk-button govuk-button--secondary desk-small-button" aria-describedby="${id}">Match to ${c.ods}</button>`,
          )} <span class="govuk-body-s">${trustName(c.ods)}: ${c.why}${c.score > 0 ? h` ${tag(`score ${c.score.toFixed(2)}`, 'grey')}` : ''}</span></li>`,
      )}</ul>`
}
${
  others.length === 0
    ? ''
    : form(
        r.sha256,
        h`<div class="govuk-form-group"><label class="govuk-label" for="${id}-other">Another trust asked in wave ${wave}</label><select class="govuk-select" id="${id}-other" name="trust">${others.map(
          (o) => h`<option value="${o}">${o} ${trustName(o)}</option>`,
        )}</select> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Match</button></div>`,
        false,
      )
}
${form(
  r.sha256,
  h`<div class="govuk-form-group"><label class="govuk-label" for="${id}-joint">Several trusts: a joint reply from a shared FOI office</label><div class="govuk-hint" id="${id}-joint-hint">ODS codes separated by commas, e.g. RTQ, R1A. Each trust gets its own rows, as with <code class="desk-code">census foi match --trust RTQ,R1A</code>.</div><input class="govuk-input govuk-input--width-20" id="${id}-joint" name="trusts" type="text" spellcheck="false" autocomplete="off" aria-describedby="${id}-joint-hint"> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Match to these trusts</button></div>`,
  false,
)}
</div>
</div>`;
  };
  return {
    title,
    body: h`${banner}<h1 class="govuk-heading-xl">${title}</h1>
${
  rows.length === 0
    ? insetText(`No unmatched replies in wave ${wave}.`)
    : h`<p class="govuk-body">${rows.length} repl(ies) wait for a person. Matching one here is the same as <code class="desk-code">census foi match --file SHA256 --trust ODS --by "Your Name" --wave ${wave}</code>: unmatched attachments of the same e-mail follow it, and the match is kept through later ingests.</p>
${opts.person ? '' : askNameFirst(here)}
${rows.map(card)}`
}
<p class="govuk-body"><a class="govuk-link" href="/waves/${wave}/foi/matched">Replies already matched</a>: a wrong match is undone there.</p>`,
  };
}
