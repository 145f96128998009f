import { isFoiWave } from '../../foi/wave.ts';
import { listUnmatched } from '../../foi/unmatched.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, table, type Html } from '../html.ts';

/**
 * The FOI replies of a wave matched to no request (`census foi unmatched`), read-only for now. Of a
 * reply's hints only those about the trust are shown (ODS code, trust names, e-mail domain): the
 * sender's address, subject and reference lines can name a person.
 */
const SHOWN_HINTS: Record<string, string> = {
  ods: 'ODS code',
  name: 'trust named',
  names: 'all trust names',
  emailDomain: 'e-mail domain',
};

function hints(hint: Record<string, unknown>): Html {
  const items = Object.entries(SHOWN_HINTS).flatMap(([k, label]) => {
    const v = hint[k];
    if (v === undefined || v === null || v === '') return [];
    return [h`<li>${label}: ${Array.isArray(v) ? v.join('; ') : String(v)}</li>`];
  });
  return items.length ? h`<ul class="govuk-list govuk-list--bullet desk-compact">${items}</ul>` : h`none`;
}

export async function unmatchedPage(ctx: Ctx, wave: number): Promise<{ title: string; body: Html }> {
  const title = `Unmatched FOI replies, wave ${wave}`;
  if (!isFoiWave(wave, ctx.workspace.wavesDir))
    return {
      title,
      body: h`<h1 class="govuk-heading-xl">${title}</h1><p class="govuk-body">Wave ${wave} has no FOI request list.</p>`,
    };
  const rows = await listUnmatched(wave, ctx);
  return {
    title,
    body: h`<h1 class="govuk-heading-xl">${title}</h1>
${
  rows.length === 0
    ? insetText(`No unmatched replies in wave ${wave}.`)
    : h`<p class="govuk-body">${rows.length} repl(ies) wait for a person. Match one with <code class="desk-code">census foi match --file SHA256 --trust ODS --by "Your Name" --wave ${wave}</code>.</p>
${table({
  caption: `Replies matched to no request (${rows.length})`,
  head: ['sha256', 'File', 'Kind', 'Why', 'What it says about the trust', 'Coding'],
  rows: rows.map((r) => [
    h`<code class="desk-code">${r.sha256.slice(0, 12)}</code>`,
    r.file,
    r.parent ? `${r.kind} (attachment of ${r.parent.slice(0, 12)})` : r.kind,
    r.why,
    hints(r.hint),
    r.needsManualCoding ? 'by hand' : 'automatic',
  ]),
})}`
}`,
  };
}
