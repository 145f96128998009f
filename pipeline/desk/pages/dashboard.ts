import { codingRows } from '../../foi/coding-rows.ts';
import { foiWave, isFoiWave } from '../../foi/wave.ts';
import { today } from '../../foi/dates.ts';
import { chaseList, requestStatuses, type RegisterLine } from '../../foi/register-status.ts';
import { listIssues } from '../../db/issue-rows.ts';
import { listReturns } from '../../returns/list.ts';
import { missingTeams } from '../../returns/network.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { h, insetText, table, tag, type Html } from '../html.ts';

/**
 * A wave's dashboard: its returns by state with the team list, the teams of the network still
 * missing, the issues by severity, and the FOI register (status, due date, days taken, in time) with
 * the chase list. Every number comes from the functions `census returns`, `returns --missing`,
 * `issues`, `foi status` and `foi chase` call.
 */

const STATE_COLOUR = { loaded: 'green', superseded: 'grey', conflict: 'orange', rejected: 'red' } as const;

function stateTag(state: string): Html {
  return tag(state, STATE_COLOUR[state as keyof typeof STATE_COLOUR] ?? 'blue');
}

function summaryList(items: readonly [string, string | number | Html][]): Html {
  return h`<dl class="govuk-summary-list">${items.map(
    ([k, v]) =>
      h`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`,
  )}</dl>`;
}

async function returnsSection(ctx: Ctx, wave: number): Promise<Html> {
  const [rows, missing, issues] = await Promise.all([
    listReturns(ctx.db, wave),
    missingTeams(ctx.db, wave),
    listIssues(ctx.db, wave),
  ]);
  const count = (s: string): number => rows.filter((r) => r.state === s).length;
  const states = [...new Set(['loaded', 'superseded', 'conflict', 'rejected', ...rows.map((r) => r.state)])];
  const bySeverity = (s: string): number => issues.filter((i) => i.severity === s).length;
  const filesWithIssues = new Set(issues.map((i) => i.sha256 ?? i.file)).size;
  return h`<h2 class="govuk-heading-l" id="returns">Questionnaire returns</h2>
${summaryList([
  ['Returns received', rows.length],
  ...states.map((s): [string, number] => [s === 'loaded' ? 'Loaded (counted)' : `Kept out: ${s}`, count(s)]),
  ['Teams of the network with no loaded return', missing.length],
  [
    'Data issues',
    h`${bySeverity('error')} errors, ${bySeverity('warning')} warnings, ${bySeverity('info')} notes in ${filesWithIssues} file(s) – <a class="govuk-link" href="/waves/${wave}/issues">issues by file</a>`,
  ],
])}
${
  rows.length === 0
    ? h`<p class="govuk-body">No returns for wave ${wave}.</p>`
    : table({
        caption: `Returns of wave ${wave}`,
        head: ['Id', 'File', 'Team', 'State', 'Reason or decision', 'Completed', 'Received', 'Team matched by'],
        rows: rows.map((r) => [
          r.id,
          r.part ? `${r.file} #${r.part}` : r.file,
          r.team ?? r.statedName ?? '–',
          stateTag(r.state),
          r.decision?.text ?? r.reason ?? '',
          r.dateCompleted ?? '–',
          r.received.slice(0, 16).replace('T', ' '),
          r.match ?? '–',
        ]),
      })
}
${
  missing.length === 0 && count('loaded') === 0
    ? insetText(
        h`No team is in the wave ${wave} network yet: register them with <code class="desk-code">census teams add</code> or <code class="desk-code">census teams import</code>.`,
      )
    : missing.length === 0
      ? insetText(`Every team of the wave ${wave} network has a loaded return.`)
      : table({
          caption: `Teams with no loaded return (${missing.length})`,
          head: ['Team id', 'Team', 'Host', 'Last loaded wave', 'Registered'],
          rows: missing.map((t) => [t.teamId, t.name, t.host ?? '', t.lastWave ?? '–', t.registered ? 'yes' : 'no']),
        })
}`;
}

function registerTable(
  lines: readonly RegisterLine[],
  asOf: string,
  toCode: ReadonlyMap<string | null, number>,
  wave: number,
): Html {
  return table({
    caption: `Requests as of ${asOf}`,
    head: ['Trust', 'Name', 'Status', 'Sent', 'Due', 'Replied', 'Working days taken', 'In time', 'Answers to code'],
    numeric: [6, 8],
    rows: lines.map(({ request: r, status: s }) => [
      r.ods,
      r.name,
      s.status,
      r.sent,
      s.due ? h`${s.due.due}${s.due.projected ? ' (projected)' : ''}` : '–',
      s.firstReply ?? '',
      s.daysTaken ? s.daysTaken.working : '',
      s.withinTime === null ? '' : s.withinTime ? 'yes' : 'no',
      toCode.get(r.ods)
        ? h`<a class="govuk-link" href="/waves/${wave}/foi/coding?trust=${r.ods}">${toCode.get(r.ods)!}</a>`
        : '',
    ]),
  });
}

/** A status date typed on the form that is not a day: shown on the field, the page as of today. */
export interface AsOfRefused {
  typed: string;
  message: string;
}

async function foiSection(ctx: Ctx, wave: number, asOf: string, refused: AsOfRefused | null): Promise<Html> {
  if (!isFoiWave(wave, ctx.workspace.wavesDir))
    return h`<h2 class="govuk-heading-l" id="foi">FOI requests</h2><p class="govuk-body">Wave ${wave} has no FOI request list.</p>`;
  const [lines, chase, coding] = await Promise.all([
    requestStatuses({ wave, asOf }, ctx),
    chaseList({ wave, asOf }, ctx),
    codingRows(wave, foiWave(wave, ctx.workspace.wavesDir), ctx),
  ]);
  // Corrected values as the report's table counts them (report_correction): each value once, by its latest
  // correction in force (census correct) or its latest coding (a coded value recoded by a later sheet).
  const corrected = await ctx.db
    .selectFrom('report_correction')
    .select(['kind', 'corrections'])
    .where('wave', '=', wave)
    .where('kind', 'in', ['foi_correction', 'foi_value_correction'])
    .orderBy('kind')
    .execute();
  const correctedN = (kind: string) => corrected.find((r) => r.kind === kind)?.corrections ?? 0;
  // The rows of the coding queue (census foi coding-sheet), by trust: what "to code" counts here.
  const toCode = new Map<string | null, number>();
  for (const r of coding) toCode.set(r.trustOds, (toCode.get(r.trustOds) ?? 0) + 1);
  if (lines.length === 0)
    return h`<h2 class="govuk-heading-l" id="foi">FOI requests</h2><p class="govuk-body">No requests recorded for wave ${wave}: send them with <code class="desk-code">census foi send</code>.</p>`;
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.status.status, (counts.get(l.status.status) ?? 0) + 1);
  const replied = lines.filter((l) => l.status.firstReply !== null);
  return h`<h2 class="govuk-heading-l" id="foi">FOI requests</h2>
${summaryList([
  ['Requests', lines.length],
  ...[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]): [string, number] => [`Status: ${k}`, n]),
  ['Replied', `${replied.length} of ${lines.length}`],
  ['Replied within the statutory time', replied.filter((l) => l.status.withinTime).length],
  ['To chase', chase.length],
  [
    'Values corrected (census correct), each once',
    h`${correctedN('foi_correction')} – <a class="govuk-link" href="/waves/${wave}/foi/corrections">corrections</a>`,
  ],
  ['Coded values recoded by a later coding, each once', correctedN('foi_value_correction')],
  [
    'Answers to code by hand',
    h`${coding.length}${coding.length ? h` – <a class="govuk-link" href="/waves/${wave}/foi/coding">the coding queue</a>` : ''}`,
  ],
])}
<p class="govuk-body"><a class="govuk-link" href="/waves/${wave}/foi/unmatched">Replies matched to no request</a> · <a class="govuk-link" href="/waves/${wave}/foi/coding">Answers to code by hand</a></p>
<form method="get" action="/waves/${wave}" class="govuk-!-margin-bottom-6">
<div class="govuk-form-group${refused ? ' govuk-form-group--error' : ''}">
<label class="govuk-label" for="as-of">Status as of</label>
<div class="govuk-hint" id="as-of-hint">A date as YYYY-MM-DD; today when empty.</div>
${refused ? h`<p id="as-of-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${refused.message}</p>` : ''}
<input class="govuk-input govuk-input--width-10${refused ? ' govuk-input--error' : ''}" id="as-of" name="as-of" type="text" value="${refused ? refused.typed : asOf}" aria-describedby="as-of-hint${refused ? ' as-of-error' : ''}">
</div>
<button type="submit" class="govuk-button govuk-button--secondary">Show</button>
</form>
${
  chase.length === 0
    ? insetText(`Nothing to chase as of ${asOf}.`)
    : table({
        caption: `Chase list as of ${asOf} (${chase.length})`,
        head: ['Trust', 'Name', 'Status', 'Sent', 'Due', 'Working days', 'Calendar days', 'Their ref'],
        numeric: [5, 6],
        rows: chase.map(({ request: r, status: s }) => [
          r.ods,
          r.name,
          s.status,
          r.sent,
          s.due?.due ?? '–',
          s.daysElapsed?.working ?? '',
          s.daysElapsed?.calendar ?? '',
          r.theirRef ?? '',
        ]),
      })
}
${registerTable(lines, asOf, toCode, wave)}
<p class="govuk-body-s">Days taken are working days from receipt (or the answered clarification) to the first reply.</p>`;
}

export async function dashboardPage(
  ctx: Ctx,
  wave: number,
  asOf?: string,
  refused: AsOfRefused | null = null,
): Promise<{ title: string; body: Html }> {
  const day = asOf ?? today(ctx.clock);
  const [returns, foi] = await Promise.all([returnsSection(ctx, wave), foiSection(ctx, wave, day, refused)]);
  const summary = refused
    ? h`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#as-of">${refused.message}</a></li></ul></div></div></div>`
    : '';
  return {
    title: `Wave ${wave}`,
    body: h`${summary}<h1 class="govuk-heading-xl">Wave ${wave}</h1>
<ul class="govuk-list">
<li><a class="govuk-link" href="#returns">Questionnaire returns</a></li>
<li><a class="govuk-link" href="/waves/${wave}/issues">Issues by file</a></li>
<li><a class="govuk-link" href="/waves/${wave}/labels">Labels to map</a></li>
<li><a class="govuk-link" href="#foi">FOI requests</a></li>
<li><a class="govuk-link" href="/waves/${wave}/foi/unmatched">Unmatched FOI replies</a></li>
<li><a class="govuk-link" href="/waves/${wave}/foi/matched">Matched FOI replies (undo a wrong match)</a></li>
<li><a class="govuk-link" href="/waves/${wave}/foi/coding">FOI coding queue</a></li>
<li><a class="govuk-link" href="/waves/${wave}/foi/corrections">Correct FOI values</a></li>
</ul>
${returns}
${foi}`,
  };
}
