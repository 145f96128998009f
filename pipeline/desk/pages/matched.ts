import { foiReference, isFoiWave } from '../../foi/wave.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, table, type Html } from '../html.ts';
import { askNameFirst } from './name.ts';

/**
 * The FOI replies of a wave matched to a request, each with how it was matched (and by whom, when by
 * hand), and two forms that undo a wrong match: match it to another trust (POST .../unmatched/match,
 * matchByHand, the function behind `census foi match`) or send it back to the queue of unmatched
 * replies (POST .../matched/unmatch, unmatchByHand). Both are recorded under the session's name.
 */
const METHOD: Record<string, string> = {
  our_ref: 'our reference',
  their_ref: "the trust's reference",
  ods: 'ODS code',
  name: 'trust name',
  successor: "a former trust's name",
  email: 'the e-mail it came with',
  domain: 'e-mail domain',
  manual: 'by hand',
};

export async function matchedPage(
  ctx: Ctx,
  wave: number,
  opts: { csrf: string; person: string | null; trust?: string },
): Promise<{ title: string; body: Html }> {
  const title = `Matched FOI replies, wave ${wave}`;
  if (!isFoiWave(wave, ctx.workspace.wavesDir))
    return {
      title,
      body: h`<h1 class="govuk-heading-xl">${title}</h1><p class="govuk-body">Wave ${wave} has no FOI request list.</p>`,
    };
  const { trusts } = foiReference(wave, ctx.workspace.wavesDir);
  const trustName = (ods: string) => trusts.byOds.get(ods)?.name ?? ods;
  const rows = await ctx.db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .select([
      'foi_response.sha256',
      'foi_response.trust_ods',
      'foi_response.joint_ods',
      'foi_response.parent_sha256',
      'foi_response.match_method',
      'foi_response.match_detail',
      'foi_response.matched_by',
      'file_receipt.original_name',
    ])
    .where('foi_response.wave', '=', wave)
    .where('foi_response.state', '=', 'matched')
    .orderBy('foi_response.trust_ods')
    .orderBy('file_receipt.original_name')
    .orderBy('foi_response.sha256')
    .execute();
  // One line per file: a joint reply's parts (sql/022) are the same file, matched to each trust.
  const files = new Map<string, { row: (typeof rows)[number]; trusts: string[] }>();
  for (const r of rows) {
    const f = files.get(r.sha256);
    if (!f) files.set(r.sha256, { row: r, trusts: [r.trust_ods!] });
    else {
      f.trusts.push(r.trust_ods!);
      // The file's own row (not a joint part) says how it was matched.
      if (r.joint_ods === null) f.row = r;
    }
  }
  const all = [...files.values()];
  const shown = opts.trust ? all.filter((f) => f.trusts.includes(opts.trust!)) : all;
  const requests = (
    await ctx.db.selectFrom('foi_request').select('trust_ods').where('wave', '=', wave).orderBy('trust_ods').execute()
  ).map((r) => r.trust_ods);
  const here = `/waves/${wave}/foi/matched`;
  const filter = h`<form method="get" action="${here}" class="govuk-!-margin-bottom-6"><div class="govuk-form-group"><label class="govuk-label" for="trust">Trust</label><select class="govuk-select" id="trust" name="trust"><option value="">every trust</option>${[
    ...new Set(all.flatMap((f) => f.trusts)),
  ]
    .sort()
    .map(
      (t) => h`<option value="${t}"${t === opts.trust ? ' selected' : ''}>${t} ${trustName(t)}</option>`,
    )}</select> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Show</button></div></form>`;
  const forms = (f: (typeof all)[number], i: number) => {
    const id = `matched-${i}`;
    const hidden = h`<input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="file" value="${f.row.sha256}">`;
    const others = requests.filter((o) => !f.trusts.includes(o));
    return h`<form method="post" action="/waves/${wave}/foi/unmatched/match" class="desk-inline-form">${hidden}<input type="hidden" name="from" value="matched"><label class="govuk-label govuk-visually-hidden" for="${id}-trust">Another trust for ${f.row.original_name}</label><select class="govuk-select" id="${id}-trust" name="trust">${others.map(
      (o) => h`<option value="${o}">${o} ${trustName(o)}</option>`,
    )}</select> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button" aria-describedby="${id}">Match to this trust</button></form>
<form method="post" action="${here}/unmatch" class="desk-inline-form">${hidden}<button type="submit" class="govuk-button govuk-button--warning desk-small-button" aria-describedby="${id}">Back to the queue</button></form>`;
  };
  return {
    title,
    body: h`<h1 class="govuk-heading-xl">${title}</h1>
<p class="govuk-body">Each reply matched to a request, and how. A wrong match is undone here: matching it to another trust is the same as <code class="desk-code">census foi match --file SHA256 --trust ODS --by "Your Name" --wave ${wave}</code>; sending it back puts it in the <a class="govuk-link" href="/waves/${wave}/foi/unmatched">queue of unmatched replies</a>, where it stays through later ingests until a person matches it. Either way its values follow it, and it is recorded under your name.</p>
${opts.person ? '' : askNameFirst(here)}
${all.length === 0 ? insetText(`No matched replies in wave ${wave}.`) : filter}
${
  shown.length === 0
    ? ''
    : table({
        caption: `Matched replies (${shown.length})`,
        head: ['Reply', 'Trust', 'Matched by', 'Change the match'],
        rows: shown.map((f, i) => [
          h`<span id="matched-${i}">${f.row.original_name}</span> <code class="desk-code">${f.row.sha256.slice(0, 12)}</code>${
            f.row.parent_sha256
              ? h` (attachment of <code class="desk-code">${f.row.parent_sha256.slice(0, 12)}</code>)`
              : ''
          }`,
          f.trusts.map((t) => `${t} ${trustName(t)}`).join('; '),
          h`${METHOD[f.row.match_method ?? ''] ?? f.row.match_method ?? ''}${f.row.matched_by ? `, ${f.row.matched_by}` : ''}${
            f.row.match_detail && f.row.match_method !== 'manual'
              ? h`<br><span class="govuk-body-s">${f.row.match_detail}</span>`
              : ''
          }`,
          forms(f, i),
        ]),
      })
}`,
  };
}
