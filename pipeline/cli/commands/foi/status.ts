import { Command } from 'commander';
import { parseIsoOption, today } from '../../../foi/dates.ts';
import { chaseList, requestStatuses, type RegisterLine } from '../../../foi/register-status.ts';
import { parseWave, withCtx } from '../../run.ts';
import { formatLocation } from '../../../../schemas/issue.ts';
import { pageOut, printList, type ListColumn } from '../../format.ts';
import { formatOf, withFormat } from '../../options.ts';
import { skippedBecause } from './common.ts';
import type { Ctx } from '../../../runtime/ctx.ts';
import { CensusError } from '../../../../schemas/fault.ts';

type Opts = { wave: string; json?: boolean; format?: string; asOf?: string; trust?: string; workspace?: string };
const asOfOf = (opts: Opts, ctx: Ctx) => (opts.asOf ? parseIsoOption(opts.asOf, '--as-of') : today(ctx.clock));

/**
 * A request's status as one JSON object, the same in `foi status` and `foi chase` (README: JSON output):
 * the request, its derived status as of a day, and how that status came about.
 */
export function requestStatusJson(l: RegisterLine, wave: number, asOf: string): Record<string, unknown> {
  const { request: r, status: s } = l;
  return {
    wave,
    asOf,
    trust: r.ods,
    name: r.name,
    status: s.status,
    sent: r.sent,
    received: r.received,
    due: s.due?.due ?? null,
    longOverdueAfter: s.longOverdueAfter,
    firstReply: s.firstReply,
    withinTime: s.withinTime,
    daysTaken: s.daysTaken,
    daysElapsed: s.daysElapsed,
    exemptions: s.exemptions,
    questions: s.questions,
    replies: l.replies,
    awaitingCoding: l.awaitingCoding,
    ourRef: r.ourRef,
    theirRef: r.theirRef,
    note: r.note,
    law: l.law,
    review: l.review,
    regulator: l.regulator,
    history: s.history,
    issues: s.issues.map((i) => ({
      severity: i.severity,
      code: i.code,
      message: i.message,
      location: i.location,
      at: formatLocation(i.location),
    })),
  };
}

/** The register's columns, in text and csv (csv has them all; text leaves out the references). */
const REGISTER_COLUMNS: ListColumn<RegisterLine>[] = [
  { header: 'trust', value: (l) => l.request.ods },
  { header: 'name', value: (l) => l.request.name },
  { header: 'status', value: (l) => l.status.status },
  { header: 'sent', value: (l) => l.request.sent },
  { header: 'due', value: (l) => l.status.due?.due ?? '-' },
  { header: 'replied', value: (l) => l.status.firstReply },
  { header: 'days taken', value: (l) => l.status.daysTaken?.working },
  { header: 'in time', value: (l) => (l.status.withinTime === null ? '' : l.status.withinTime ? 'yes' : 'no') },
  { header: 'exemptions', value: (l) => l.status.exemptions.join(' ') },
  { header: 'to code', value: (l) => l.awaitingCoding || '' },
];
const CSV_EXTRA: ListColumn<RegisterLine>[] = [
  { header: 'received', value: (l) => l.request.received },
  { header: 'calendar days taken', value: (l) => l.status.daysTaken?.calendar },
  { header: 'working days waiting', value: (l) => l.status.daysElapsed?.working },
  { header: 'our ref', value: (l) => l.request.ourRef },
  { header: 'their ref', value: (l) => l.request.theirRef },
  { header: 'note', value: (l) => l.request.note },
];

export function statusCommand(): Command {
  const cmd = new Command('status')
    .description(
      'The request register of a wave: each trust with its status as of a date, due date, days taken, whether in time, exemptions.',
    )
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--as-of <date>', 'the day to take the status on (YYYY-MM-DD); default today')
    .option('--trust <ods>', 'one trust in detail: how its due date was computed, its history and events')
    .option('--workspace <dir>', 'workspace folder');
  withFormat(cmd);
  return cmd
    .addHelpText(
      'after',
      `
Examples:
  census foi status --wave 2024
  census foi status --wave 2024 --as-of 2024-04-30 --json
  census foi status --wave 2024 --format csv > register-2024.csv
  census foi status --wave 2024 --trust RXT
Status is derived from dated events and coded replies, never typed: awaiting, overdue, long_overdue,
clarification, answered, partial, refused, not_held, ncnd, internal_review.
--format json is an array of request statuses (the same objects as census foi chase --json; README:
JSON output); --trust with json or csv gives that one trust's row.`,
    )
    .action(async (opts: Opts) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const asOf = asOfOf(opts, ctx);
        const format = formatOf(opts);
        const lines = await requestStatuses({ wave, asOf, ...(opts.trust ? { trust: opts.trust } : {}) }, ctx);
        if (opts.trust && lines.length === 0) {
          throw new CensusError(
            'usage',
            `No request to ${opts.trust.toUpperCase()} in wave ${wave}.`,
            `census foi status --wave ${wave} lists the trusts asked; check the ODS code.`,
          );
        }
        if (opts.trust && format === 'text') await pageOut(detailText(lines[0]!, asOf));
        else
          await printList(format, lines, {
            columns: format === 'csv' ? [...REGISTER_COLUMNS, ...CSV_EXTRA] : REGISTER_COLUMNS,
            json: (l) => requestStatusJson(l, wave, asOf),
            empty: `No requests recorded for wave ${wave}; run census foi send first.`,
            title: `FOI register, wave ${wave}, as of ${asOf}`,
            footer: registerSummary(lines, wave),
          });
        return 0;
      });
    });
}

function registerSummary(lines: RegisterLine[], wave: number): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.status.status, (counts.get(l.status.status) ?? 0) + 1);
  const replied = lines.filter((l) => l.status.firstReply !== null);
  return `${[...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(
      ', ',
    )}. Replied: ${replied.length} of ${lines.length}, ${replied.filter((l) => l.status.withinTime).length} within the statutory time.
Days taken are working days from receipt (or the answered clarification) to the first reply.${codingWait(lines, wave)}`;
}

/**
 * The requests whose reply waits for a person, with the questions census could not code (a partial
 * status says only that something is missing; "to code" counts only replies census could not read at
 * all), and the command that lists them to code.
 */
function codingWait(lines: RegisterLine[], wave: number): string {
  const waiting = lines
    .filter((l) => l.replies > 0)
    .map((l) => ({
      ods: l.request.ods,
      questions: Object.entries(l.status.questions)
        .filter(([, outcome]) => outcome === 'missing')
        .map(([q]) => q),
      unread: l.awaitingCoding,
    }))
    .filter((w) => w.unread > 0 || w.questions.length > 0);
  if (waiting.length === 0) return '';
  const what = (w: (typeof waiting)[number]): string =>
    w.unread > 0 && w.questions.length === 0 ? 'the whole reply' : w.questions.join(', ');
  return `\nWaiting for a person to code (${waiting.length}): ${waiting.map((w) => `${w.ods} (${what(w)})`).join('; ')}. The coding sheet lists them:\n  census foi coding-sheet --wave ${wave} --out coding-${wave}.xlsx`;
}

function detailText(l: RegisterLine, asOf: string): string {
  const { request: r, status: s } = l;
  let text = '';
  const out = { write: (t: string) => void (text += t) };
  out.write(`${r.ods} ${r.name}: ${s.status} as of ${asOf}\n`);
  out.write(`Sent ${r.sent}, received ${r.received}; our ref ${r.ourRef ?? '-'}, their ref ${r.theirRef ?? '-'}\n`);
  if (r.note) out.write(`Register note: ${r.note}\n`);
  out.write(`\nDue date: ${s.due?.summary ?? 'none while a clarification is outstanding'}\n`);
  for (const d of s.due?.explanation ?? []) out.write(`  ${d.date} skipped: ${skippedBecause(d.reasons)}\n`);
  if (s.longOverdueAfter) out.write(`Long overdue after ${s.longOverdueAfter} (40 working days).\n`);
  if (s.firstReply)
    out.write(
      `First reply ${s.firstReply}: ${s.daysTaken?.working} working / ${s.daysTaken?.calendar} calendar days; ${s.withinTime ? 'within' : 'outside'} the statutory time.\n`,
    );
  if (s.daysElapsed) out.write(`Waiting ${s.daysElapsed.working} working / ${s.daysElapsed.calendar} calendar days.\n`);
  out.write(`\nHistory:\n${s.history.map((h) => `  ${h.date}  ${h.status.padEnd(15)} (${h.cause})`).join('\n')}\n`);
  out.write(
    `\nQuestions: ${Object.entries(s.questions)
      .map(([q, o]) => `${q} ${o}`)
      .join(', ')}\n`,
  );
  if (s.exemptions.length) out.write(`Exemptions: ${s.exemptions.join(', ')}\n`);
  if (l.awaitingCoding) out.write(`${l.awaitingCoding} repl(ies) wait for coding by hand (census foi coding-sheet).\n`);
  for (const i of s.issues) out.write(`${i.severity}: ${i.code}: ${i.message}\n`);
  return text;
}

export function chaseCommand(): Command {
  const cmd = new Command('chase')
    .description('The chase list of a wave: every trust overdue or long overdue, with the days elapsed.')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--as-of <date>', 'the day to take the list on (YYYY-MM-DD); default today')
    .option('--workspace <dir>', 'workspace folder');
  withFormat(cmd);
  return cmd
    .addHelpText(
      'after',
      `
Examples:
  census foi chase --wave 2024
  census foi chase --wave 2024 --as-of 2024-05-20 --json
  census foi chase --wave 2024 --format csv > chase-2024.csv
--format json is an array of request statuses, the same objects as census foi status --json.`,
    )
    .action(async (opts: Opts) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const asOf = asOfOf(opts, ctx);
        const lines = await chaseList({ wave, asOf }, ctx);
        await printList(formatOf(opts), lines, {
          columns: [
            { header: 'trust', value: (l) => l.request.ods },
            { header: 'name', value: (l) => l.request.name },
            { header: 'status', value: (l) => l.status.status },
            { header: 'sent', value: (l) => l.request.sent },
            { header: 'due', value: (l) => l.status.due?.due ?? '-' },
            { header: 'working days', value: (l) => l.status.daysElapsed?.working },
            { header: 'calendar days', value: (l) => l.status.daysElapsed?.calendar },
            { header: 'their ref', value: (l) => l.request.theirRef },
          ],
          json: (l) => requestStatusJson(l, wave, asOf),
          empty: `Nothing to chase in wave ${wave} as of ${asOf}.`,
          title: `Chase list, wave ${wave}, as of ${asOf}`,
        });
        return 0;
      });
    });
}
