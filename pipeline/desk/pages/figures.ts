import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES_JSON } from '../../../reports/render.ts';
import { formatLocation, type Location } from '../../../schemas/issue.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { auditFigure } from '../../audit/figure.ts';
import type { CorrectionRow } from '../../audit/corrections.ts';
import { valueTrails, type Interval, type ValueTrail } from '../../audit/trail.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { previewHtml, previewsOf } from '../evidence.ts';
import { h, insetText, table, tag, type Html } from '../html.ts';
import { listBuilds, type Build } from './reports.ts';

/**
 * The audit trail of a report figure in the desk: the figures of a build (its figures.json), and per
 * figure what `census audit figure --report DIR` finds (auditFigure, the same function): each FOI
 * value behind it with its interval as used and as the reply said, flags, file, place and quote, how
 * it was coded and every correction with its reason and who made it; the requests; the questionnaire
 * answers and returns. Each record links to its source page: the value (or answer) with the preview
 * of its cell or quoted lines (evidence.ts).
 */

interface FigureRow {
  id: string;
  label: string;
  text: string;
  section: string;
  records: unknown;
}

const showInterval = (i: Interval | null): string =>
  i === null ? '–' : i.high === i.low ? String(i.low) : `${i.low} to ${i.high ?? 'open'}`;

function figuresOf(b: Build): FigureRow[] | null {
  const file = join(b.dir, FIGURES_JSON);
  if (!existsSync(file)) return null;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { figures: FigureRow[] }).figures;
  } catch {
    return null;
  }
}

/** The latest build (by its manifest's time) of a wave with a figures.json, internal builds first. */
export function latestBuild(ctx: Ctx, wave: number): Build | undefined {
  const time = (b: Build) => statSync(join(b.dir, 'manifest.json')).mtimeMs;
  const builds = listBuilds(ctx)
    .filter((b) => b.manifest && b.manifest.wave === wave && existsSync(join(b.dir, FIGURES_JSON)))
    .sort((a, b) =>
      a.manifest!.build === b.manifest!.build ? time(b) - time(a) : a.manifest!.build === 'internal' ? -1 : 1,
    );
  return builds[0];
}

const figureHref = (b: Build, id: string) =>
  `/reports/figure?build=${encodeURIComponent(b.id)}&id=${encodeURIComponent(id)}`;

export function figuresPage(b: Build): { title: string; body: Html } {
  const figures = figuresOf(b) ?? [];
  const title = `Figures of ${b.id}`;
  return {
    title,
    body: h`<h1 class="govuk-heading-xl">${title}</h1>
<p class="govuk-body">Wave ${b.manifest?.wave ?? ''}, ${b.manifest?.build ?? ''} build. Each figure of the report, from its figures.json: open one to see the stored values behind it, down to the quoted cell or line, and the corrections applied (as <code class="desk-code">census audit figure ID --report ${b.id}</code>).</p>
${
  b.manifest?.build === 'public'
    ? insetText('A public build lists no records behind its figures: audit the internal build of the same data.')
    : ''
}
${
  figures.length === 0
    ? insetText('This build has no readable figures.json.')
    : table({
        caption: `${figures.length} figure(s)`,
        head: ['Figure', 'Label', 'Printed', 'Records'],
        numeric: [3],
        rows: figures.map((f) => [
          h`<a class="govuk-link" href="${figureHref(b, f.id)}"><code class="desk-code">${f.id}</code></a>`,
          f.label,
          f.text,
          Array.isArray(f.records) ? f.records.length : '–',
        ]),
      })
}
<p class="govuk-body"><a class="govuk-link" href="/reports">Back to the builds</a></p>`,
  };
}

function correctionText(c: CorrectionRow, replacedBy: string | null): Html {
  const when = c.at.toISOString().slice(0, 16).replace('T', ' ');
  if (c.reverts !== null) return h`Revert of correction ${c.reverts} by <strong>${c.by}</strong>, ${when}: ${c.reason}`;
  return h`Correction ${c.id} to ${showInterval(c.low === null ? null : { low: c.low, high: c.high })}${
    c.flags ? ` (flags ${c.flags.join(', ')})` : ''
  } by <strong>${c.by}</strong>, ${when}: ${c.reason}${c.revertedBy ? h` ${tag('reverted', 'grey')}` : ''}${
    replacedBy ? h` ${tag(`replaced by correction ${replacedBy}`, 'grey')}` : ''
  }`;
}

/**
 * The trail of a value's corrections, every one kept; the value takes the latest in force of its slot
 * (sql/views/foi_value_corrected.sql), so an earlier one in force is marked replaced by it.
 */
function corrections(v: ValueTrail): Html {
  if (v.corrections.length === 0) return h`none`;
  const inForce = v.corrections.filter((c) => c.reverts === null && c.revertedBy === null);
  const latest = new Map<string, string>();
  for (const c of inForce) if (BigInt(c.id) > BigInt(latest.get(c.slot) ?? '0')) latest.set(c.slot, c.id);
  return h`<ul class="govuk-list govuk-body-s desk-compact">${v.corrections.map((c) => {
    const last = latest.get(c.slot);
    const replaced = inForce.includes(c) && last !== undefined && last !== c.id ? last : null;
    return h`<li>${correctionText(c, replaced)}</li>`;
  })}</ul>`;
}

const valueHref = (v: ValueTrail) => `/waves/${v.wave}/foi/values/${v.valueId}`;

/** A questionnaire record of figures.json: an answer or a return, by content key or (older builds) row id. */
interface AnswerRecord {
  key: string;
  returnKey: string;
  questionId: string | null;
  team: string | null;
  file: string | null;
  sha256: string | null;
  where: string;
  raw: string | null;
}

async function questionnaireRecords(ctx: Ctx, wave: number, records: readonly string[]): Promise<AnswerRecord[]> {
  const parsed = records
    .map((r) => /^(answer|return):([0-9a-f]{16}\.\d+|\d+)(?:\/(.+))?$/.exec(r))
    .filter((m) => m !== null)
    .map((m) => ({ key: m[0], returnKey: m[2]!, questionId: m[1] === 'answer' ? (m[3] ?? null) : null }));
  if (parsed.length === 0) return [];
  const returns = await ctx.db
    .selectFrom('questionnaire_return as r')
    .innerJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .leftJoin('team as t', 't.id', 'r.team_id')
    .select(['r.id', 'r.sha256', 'r.part', 'r.state', 'f.original_name', 't.name as team'])
    .where('r.wave', '=', wave)
    .orderBy('r.id')
    .execute();
  const byKey = new Map<string, (typeof returns)[number]>();
  for (const r of returns) {
    // A loaded return wins over an older row of the same file and part.
    const key = `${r.sha256.slice(0, 16)}.${r.part}`;
    if (!byKey.has(key) || r.state === 'loaded') byKey.set(key, r);
    byKey.set(String(r.id), r);
  }
  const answerIds = parsed
    .filter((p) => p.questionId !== null && byKey.has(p.returnKey))
    .map((p) => String(byKey.get(p.returnKey)!.id));
  const answers = answerIds.length
    ? await ctx.db
        .selectFrom('answer')
        .select(['return_id', 'question_id', 'raw_text', 'sheet', 'cell', 'row_no', 'column_name'])
        .where('return_id', 'in', [...new Set(answerIds)])
        .execute()
    : [];
  return parsed.map((p) => {
    const r = byKey.get(p.returnKey);
    const a = p.questionId
      ? answers.find((x) => String(x.return_id) === String(r?.id) && x.question_id === p.questionId)
      : undefined;
    const loc: Location = {};
    if (a?.sheet) loc.sheet = a.sheet;
    if (a?.cell) loc.cell = a.cell;
    if (a?.row_no !== null && a?.row_no !== undefined) loc.row = a.row_no;
    if (a?.column_name) loc.column = a.column_name;
    return {
      key: p.key,
      returnKey: p.returnKey,
      questionId: p.questionId,
      team: r?.team ?? null,
      file: r?.original_name ?? null,
      sha256: r?.sha256 ?? null,
      where: a ? formatLocation(loc) : '',
      raw: a?.raw_text ?? null,
    };
  });
}

const answerHref = (wave: number, a: AnswerRecord) =>
  `/waves/${wave}/answer?return=${encodeURIComponent(a.returnKey)}${a.questionId ? `&question=${encodeURIComponent(a.questionId)}` : ''}`;

export async function figurePage(ctx: Ctx, b: Build, id: string): Promise<{ title: string; body: Html }> {
  const a = await auditFigure({ wanted: id, wave: b.manifest!.wave, report: b.dir, params: defaultParams() }, ctx);
  const f = a.figure;
  const others = await questionnaireRecords(ctx, b.manifest!.wave, a.otherRecords);
  const title = `Figure ${f.id}`;
  return {
    title,
    body: h`<span class="govuk-caption-l">${b.id}, wave ${b.manifest!.wave}</span>
<h1 class="govuk-heading-xl">${title}</h1>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Label</dt><dd class="govuk-summary-list__value">${f.label}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Printed</dt><dd class="govuk-summary-list__value">${f.text}${f.unit ? ` ${f.unit}` : ''}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Value</dt><dd class="govuk-summary-list__value">${f.value ? showInterval(f.value) : '–'}${
      f.denominator
        ? ` of ${f.denominator.answered} ${f.denominator.of} (${f.denominator.notAnswered} did not answer)`
        : ''
    }</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Definition</dt><dd class="govuk-summary-list__value">${a.definition}</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Records</dt><dd class="govuk-summary-list__value">${a.values.length} FOI value(s), ${a.requests.length} request(s), ${a.otherRecords.length} questionnaire record(s)</dd></div>
</dl>
${
  a.goneValues.length
    ? h`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>${a.goneValues.length} value(s) of this build are no longer stored (their reply was read again since): build the report again to audit it.</strong></div>`
    : ''
}
${
  a.values.length
    ? table({
        caption: 'FOI values behind the figure',
        head: [
          'Value',
          'Trust',
          'Question and period',
          'As used',
          'Reply said',
          'Source',
          'Quoted',
          'How',
          'Corrections',
        ],
        rows: a.values.map((v) => [
          h`<a class="govuk-link" href="${valueHref(v)}">${v.valueId}</a>`,
          v.trustOds ? `${v.trustOds} ${v.trustName ?? ''}` : 'unmatched',
          `${v.questionId}${v.period ? `, ${v.period}` : ''}${v.basis ? ` (${v.basis})` : ''}`,
          v.missing ? `missing (${v.missing})` : (v.answer ?? showInterval(v.interval)),
          v.missing ? '' : showInterval(v.rawInterval),
          h`<a class="govuk-link" href="${valueHref(v)}">${v.file.name}, ${v.location}</a>`,
          h`<q class="desk-quote-inline">${v.quote}</q>`,
          v.how,
          corrections(v),
        ]),
      })
    : ''
}
${
  a.requests.length
    ? table({
        caption: 'FOI requests behind the figure',
        head: ['Trust', 'Sent', 'Due', 'Replies'],
        rows: a.requests.map((r) => [
          `${r.trustOds} ${r.trustName}`,
          r.sent,
          r.due,
          r.replies.length
            ? r.replies.map((x) => `${x.file}${x.replyDate ? ` (${x.replyDate})` : ''}`).join(', ')
            : 'none',
        ]),
      })
    : ''
}
${
  others.length
    ? table({
        caption: 'Questionnaire records behind the figure',
        head: ['Record', 'Team', 'File', 'Question', 'Source'],
        rows: others.map((o) => [
          h`<code class="desk-code">${o.key}</code>`,
          o.team ?? '',
          o.file ?? 'no longer stored',
          o.questionId ?? '(the return)',
          o.file
            ? h`<a class="govuk-link" href="${answerHref(b.manifest!.wave, o)}">${o.where || 'the return'}</a>`
            : '',
        ]),
      })
    : ''
}
<p class="govuk-body"><a class="govuk-link" href="/reports/figures?build=${encodeURIComponent(b.id)}">All figures of ${b.id}</a></p>`,
  };
}

/** One FOI value's source: the trail of `census audit figure` for it, with the preview of its place. */
export async function valuePage(ctx: Ctx, wave: number, id: string): Promise<{ title: string; body: Html } | null> {
  const { trails } = await valueTrails([id], ctx);
  const v = trails[0];
  if (!v || v.wave !== wave) return null;
  const row = await ctx.db
    .selectFrom('foi_value')
    .select(['page', 'line', 'sheet', 'cell', 'row_no', 'column_name'])
    .where('id', '=', id)
    .executeTakeFirst();
  const place: Location = {};
  if (row?.page !== null && row?.page !== undefined) place.page = row.page;
  if (row?.line !== null && row?.line !== undefined) place.line = row.line;
  if (row?.sheet) place.sheet = row.sheet;
  if (row?.cell) place.cell = row.cell;
  if (row?.row_no !== null && row?.row_no !== undefined) place.row = row.row_no;
  if (row?.column_name) place.column = row.column_name;
  const [preview] = await previewsOf(ctx, { sha256: v.file.sha256, wave: v.wave, places: [place] });
  const title = `Value ${v.valueId}`;
  const item = (k: string, val: Html | string) =>
    h`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${val}</dd></div>`;
  return {
    title,
    body: h`<span class="govuk-caption-l">Wave ${v.wave}</span><h1 class="govuk-heading-xl">${title}</h1>
<dl class="govuk-summary-list">
${item('Trust', v.trustOds ? `${v.trustOds} ${v.trustName ?? ''}` : 'unmatched')}
${item('Question', v.questionId)}
${item('Period', `${v.period ?? ''}${v.periodDates ? ` (${v.periodDates})` : ''}`)}
${v.basis ? item('Basis', v.basis) : ''}
${v.ageBand ? item('Age band', v.ageBand) : ''}
${item('As used', v.missing ? `missing (${v.missing})` : (v.answer ?? showInterval(v.interval)))}
${item('Reply said', v.missing ? v.missing : showInterval(v.rawInterval))}
${v.flags.length ? item('Flags', v.flags.join(', ')) : ''}
${item('File', h`${v.file.name} <code class="desk-code">${v.file.sha256.slice(0, 12)}</code>`)}
${item('Place', v.location)}
${item('Quoted', h`<q class="desk-quote-inline">${v.quote}</q>`)}
${v.parts.length ? item('Made from', h`<ul class="govuk-list govuk-body-s desk-compact">${v.parts.map((p) => h`<li>${showInterval(p.interval)} at ${p.location}: <q class="desk-quote-inline">${p.quote}</q></li>`)}</ul>`) : ''}
${item('How', `${v.how}${v.replaces ? `; replaces value ${v.replaces.valueId}${v.replaces.reason ? ` (${v.replaces.reason})` : ''}` : ''}`)}
${item('Corrections', corrections(v))}
</dl>
<h2 class="govuk-heading-m">The source</h2>
${preview ? previewHtml(preview, v.location || 'The file') : ''}
<p class="govuk-body"><a class="govuk-link" href="/waves/${v.wave}/foi/corrections?trust=${v.trustOds ?? ''}#value-${v.valueId}">Correct this trust's values</a></p>`,
  };
}

/** A questionnaire answer's (or return's) source: its team, file, question, what was typed, and the preview of its cell. */
export async function answerPage(
  ctx: Ctx,
  wave: number,
  returnKey: string,
  questionId: string | null,
): Promise<{ title: string; body: Html } | null> {
  const key = questionId ? `answer:${returnKey}/${questionId}` : `return:${returnKey}`;
  const [a] = await questionnaireRecords(ctx, wave, [key]);
  if (!a || !a.sha256) return null;
  const loc: Location = {};
  const row = questionId
    ? await ctx.db
        .selectFrom('answer as x')
        .innerJoin('questionnaire_return as r', 'r.id', 'x.return_id')
        .select(['x.sheet', 'x.cell', 'x.row_no', 'x.column_name'])
        .where('r.sha256', '=', a.sha256)
        .where('r.wave', '=', wave)
        .where('x.question_id', '=', questionId)
        .orderBy('r.id', 'desc')
        .executeTakeFirst()
    : undefined;
  if (row?.sheet) loc.sheet = row.sheet;
  if (row?.cell) loc.cell = row.cell;
  if (row?.row_no !== null && row?.row_no !== undefined) loc.row = row.row_no;
  if (row?.column_name) loc.column = row.column_name;
  const [preview] = row ? await previewsOf(ctx, { sha256: a.sha256, wave, places: [loc] }) : [];
  const title = questionId ? `Answer to ${questionId}` : 'Return';
  return {
    title,
    body: h`<span class="govuk-caption-l">Wave ${wave}${a.team ? `, ${a.team}` : ''}</span><h1 class="govuk-heading-xl">${title}</h1>
<dl class="govuk-summary-list">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">File</dt><dd class="govuk-summary-list__value">${a.file ?? ''} <code class="desk-code">${a.sha256.slice(0, 12)}</code></dd></div>
${a.where ? h`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Place</dt><dd class="govuk-summary-list__value">${a.where}</dd></div>` : ''}
</dl>
${preview ? h`<h2 class="govuk-heading-m">The source</h2>${previewHtml(preview, a.where || 'The file')}` : ''}
<p class="govuk-body"><a class="govuk-link" href="/waves/${wave}/issues?file=${a.sha256.slice(0, 16)}">Issues of this file</a></p>`,
  };
}
