import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fillCodingRow,
  MISSING_REASONS,
  writeCodingSheet,
  type CodingRow,
  type FilledRow,
} from '../../../sources/foi/coding-sheet.ts';
import { codingRows } from '../../foi/coding-rows.ts';
import { loadCodingSheet, type CodingLoad } from '../../foi/coding-sheet.ts';
import { parseKey } from '../../foi/coding-value.ts';
import { foiWave, isFoiWave } from '../../foi/wave.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, type Html } from '../html.ts';
import { askNameFirst } from './name.ts';

/**
 * The coding queue: the rows `census foi coding-sheet` would write (codingRows), each with what was
 * found in the reply and where, beside a form for its answer; the automatic suggestion (the confidence
 * gate) can be confirmed in one click or replaced. A sent form is typed into a one-row coding sheet
 * made by the same writer and loaded by loadCodingSheet, the function behind `census foi coding-sheet
 * load`: the same checks, the same values, corrections and audit entry, and the sheet kept in the
 * store as the source of what was coded.
 */

/** Form fields: the answer cells of the coding sheet the desk offers. */
const FIELDS = [
  'low',
  'high',
  'yesNo',
  'text',
  'missingReason',
  'exemptions',
  'page',
  'quote',
  'acceptBand',
  'confirm',
  'note',
] as const;
type Field = (typeof FIELDS)[number];

const PAGE_SIZE = 25;
/** The command a joint reply's suggestion names: `census foi match --trust RTQ,R1A`. */
const JOINT_SUGGESTION = /census foi match --trust ([A-Z0-9]{3,5}(?:,[A-Z0-9]{3,5})+)/;

export async function codingPage(
  ctx: Ctx,
  wave: number,
  opts: { csrf: string; person: string | null; trust?: string; done?: { recorded: number; corrected: number } | null },
): Promise<{ title: string; body: Html }> {
  const title = `FOI coding queue, wave ${wave}`;
  if (!isFoiWave(wave, ctx.workspace.wavesDir))
    return {
      title,
      body: h`<h1 class="govuk-heading-xl">${title}</h1><p class="govuk-body">Wave ${wave} has no FOI request list.</p>`,
    };
  const all = await codingRows(wave, foiWave(wave, ctx.workspace.wavesDir), ctx);
  const trusts = [...new Set(all.map((r) => r.trustOds ?? ''))];
  const trust = opts.trust !== undefined && trusts.includes(opts.trust) ? opts.trust : undefined;
  const rows = (trust === undefined ? all : all.filter((r) => (r.trustOds ?? '') === trust)).slice(0, PAGE_SIZE);
  const here = `/waves/${wave}/foi/coding`;
  const done = opts.done;
  const banner = done
    ? h`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="coded-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="coded-title">Success</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Recorded ${done.recorded} value(s)${done.corrected ? `, corrected ${done.corrected}` : ''}.</p></div></div>`
    : '';
  const filter = h`<form method="get" action="${here}" class="govuk-!-margin-bottom-6"><div class="govuk-form-group"><label class="govuk-label" for="trust">Trust</label><select class="govuk-select" id="trust" name="trust"><option value="">All trusts</option>${trusts.map(
    (t) => h`<option value="${t}"${t === trust ? ' selected' : ''}>${t || 'matched to no trust'}</option>`,
  )}</select> <button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Show</button></div></form>`;
  const input = (id: string, name: Field, label: string, width = 'govuk-input--width-5') =>
    h`<div class="govuk-form-group desk-field"><label class="govuk-label" for="${id}-${name}">${label}</label><input class="govuk-input ${width}" id="${id}-${name}" name="${name}" type="text" spellcheck="false"></div>`;
  const select = (id: string, name: Field, label: string, items: readonly string[]) =>
    h`<div class="govuk-form-group desk-field"><label class="govuk-label" for="${id}-${name}">${label}</label><select class="govuk-select" id="${id}-${name}" name="${name}"><option value=""></option>${items.map((i) => h`<option value="${i}">${i}</option>`)}</select></div>`;
  const card = (r: CodingRow, i: number) => {
    const id = `row-${i}`;
    // What the page showed of the reading: a one-click confirm or accept records it only while the reply
    // still reads so (codeOneRow checks it against the row as read now).
    const hidden = h`<input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="key" value="${r.key}"><input type="hidden" name="seen" value="${seenOf(r)}">`;
    // A reply read as one trust's whose summed rows each name another trust (sources/foi/joint.ts): its
    // doubt (beside the suggested value) names the census foi match command that gives each trust its
    // rows: offered as a button.
    const joint = JOINT_SUGGESTION.exec(`${r.extracted} ${r.suggestion ?? ''}`)?.[1];
    const jointForm = joint
      ? h`<form method="post" action="/waves/${wave}/foi/unmatched/match" class="govuk-!-margin-bottom-4"><input type="hidden" name="csrf" value="${opts.csrf}"><input type="hidden" name="file" value="${r.sha256}"><input type="hidden" name="trusts" value="${joint}"><button type="submit" class="govuk-button govuk-button--secondary desk-small-button" aria-describedby="${id}">Match the reply to ${joint.split(',').join(', ')} (a joint reply)</button></form>`
      : '';
    return h`<div class="govuk-summary-card">
<div class="govuk-summary-card__title-wrapper"><h2 class="govuk-summary-card__title" id="${id}">${r.trustOds ?? 'no trust'} ${r.trustName ?? ''}: ${r.questionId}, ${r.periodLabel}${r.basis ? ` (${r.basis})` : ''}</h2></div>
<div class="govuk-summary-card__content">
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Question</dt><dd class="govuk-summary-list__value">${r.question}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Reply</dt><dd class="govuk-summary-list__value">${r.file} <code class="desk-code">${r.sha256.slice(0, 12)}</code> <a class="govuk-link" href="/waves/${wave}/foi/replies/${r.sha256}">Open the reply<span class="govuk-visually-hidden"> ${r.file}</span></a></dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Found in the reply</dt><dd class="govuk-summary-list__value"><pre class="desk-quote">${r.extracted || 'nothing'}</pre>${r.location ? h`<p class="govuk-body-s">Where: ${r.location}</p>` : ''}</dd></div>
${r.suggestion ? h`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Suggestion</dt><dd class="govuk-summary-list__value">${r.suggestion}</dd></div>` : ''}
</dl>
${
  r.reason === 'suggestion' && r.suggestion
    ? h`<form method="post" action="${here}/code" class="govuk-!-margin-bottom-4">${hidden}<input type="hidden" name="confirm" value="yes"><button type="submit" class="govuk-button desk-small-button" aria-describedby="${id}">Confirm the suggestion</button></form>`
    : ''
}${jointForm}
<form method="post" action="${here}/code">${hidden}
<fieldset class="govuk-fieldset" aria-describedby="${id}"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${r.reason === 'suggestion' ? 'Or code it' : r.reason === 'band_mismatch' ? 'Accept the other age band, or code it' : 'Code it'}</legend>
<div class="desk-fields">
${input(id, 'low', 'Low')}${input(id, 'high', 'High (blank = low)')}${select(id, 'missingReason', 'Missing reason', MISSING_REASONS)}${input(id, 'exemptions', 'Exemptions')}${select(id, 'yesNo', 'Yes/No', ['yes', 'no'])}${r.reason === 'band_mismatch' ? select(id, 'acceptBand', 'Accept band', ['yes', 'no']) : ''}
</div>
<div class="desk-fields">${input(id, 'text', 'Text answer', 'govuk-input--width-20')}${input(id, 'page', 'Page', 'govuk-input--width-3')}${input(id, 'quote', 'Quote as read', 'govuk-input--width-20')}${input(id, 'note', 'Note or reason', 'govuk-input--width-20')}</div>
</fieldset>
<button type="submit" class="govuk-button govuk-button--secondary desk-small-button">Record</button>
</form>
</div>
</div>`;
  };
  const shown = trust === undefined ? all.length : all.filter((r) => (r.trustOds ?? '') === trust).length;
  return {
    title,
    body: h`${banner}<h1 class="govuk-heading-xl">${title}</h1>
${
  all.length === 0
    ? insetText(`Nothing to code in wave ${wave}.`)
    : h`<p class="govuk-body">${all.length} answer(s) wait for a person${trust !== undefined ? `, ${shown} of them for ${trust || 'no trust'}` : ''}${shown > PAGE_SIZE ? `; the first ${PAGE_SIZE} are shown` : ''}. Recording one here is the same as filling its row of <code class="desk-code">census foi coding-sheet --wave ${wave}</code> and loading it back.</p>
${opts.person ? '' : askNameFirst(here)}
${filter}
${rows.map(card)}`
}`,
  };
}

/** The answers of a sent form, as the cells of its coding-sheet row. */
export function formAnswers(body: Record<string, unknown>): Partial<Omit<FilledRow, 'row' | 'key'>> {
  const out: Partial<Record<Field, string>> = {};
  for (const f of FIELDS) {
    const v = body[f];
    if (typeof v === 'string' && v.trim() !== '') out[f] = v;
  }
  return out;
}

/** What a row shows of its reading: the suggestion, else what was found (a band to accept). */
function seenOf(r: CodingRow): string {
  return `${r.suggestion ?? ''} || ${r.extracted}`;
}

/** The answer was not recorded because the reading is not what the page showed. */
export class ReadingChanged extends Error {
  constructor(readonly now: string) {
    super('the reading changed');
  }
}

/**
 * Records one row: a one-row coding sheet, written and filled as a person would, loaded by
 * loadCodingSheet. Null when the row no longer waits (coded meanwhile). With `seen` (what the page
 * showed of the reading), a confirm or an accept of the reading is refused (ReadingChanged, nothing
 * recorded) when the row as read now shows something else: the reply read again since, or a form
 * changed in the browser; what is stored is always the reading the database holds.
 */
export async function codeOneRow(
  input: {
    wave: number;
    key: string;
    answers: Partial<Omit<FilledRow, 'row' | 'key'>>;
    by: string;
    seen?: string;
  },
  ctx: Ctx,
): Promise<CodingLoad | null> {
  const row = (await codingRows(input.wave, foiWave(input.wave, ctx.workspace.wavesDir), ctx)).find(
    (r) => r.key === input.key,
  );
  if (!row) return null;
  const accepts = input.answers.confirm !== undefined || input.answers.acceptBand !== undefined;
  // A browser sends the line breaks of a field as CRLF (HTML form submission): compared without them.
  const lines = (t: string) => t.replace(/\r\n?/g, '\n');
  if (accepts && input.seen !== undefined && lines(input.seen) !== lines(seenOf(row)))
    throw new ReadingChanged(row.suggestion ?? row.extracted);
  const wb = writeCodingSheet([row], { wave: input.wave, created: ctx.clock.now() });
  fillCodingRow(wb, 2, input.answers);
  const dir = mkdtempSync(join(tmpdir(), 'census-desk-'));
  try {
    const path = join(dir, `desk-coding-${input.wave}-${row.sha256.slice(0, 12)}.xlsx`);
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return await loadCodingSheet({ path, wave: input.wave, by: input.by }, ctx);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Why a sent form's row is not in the queue, in words: coded meanwhile (a coded value carries its key), or a
 * key that names no row of the queue: the reply read again since the page was shown, or the form changed in
 * the browser (another band, reply or kind than the queue offers). Either way nothing is recorded: the value
 * a form accepts is always the one the database holds for a row of the queue, never one the form carries.
 */
export async function whyNotWaiting(wave: number, key: string, ctx: Ctx): Promise<string> {
  const parsed = parseKey(key);
  if (parsed !== null) {
    const coded = await ctx.db
      .selectFrom('foi_value')
      .select('id')
      .where('method', '=', 'coded')
      .where('coding_key', '=', key)
      .limit(1)
      .executeTakeFirst();
    if (coded) return 'That answer no longer waits for a person (it was coded meanwhile).';
  }
  return `That answer is not in the coding queue of wave ${wave}: the form names no row of it (the reply was read again since the page was shown, or the form was changed). Nothing was recorded; open the queue again and use its forms.`;
}
