import { Command } from 'commander';
import { parseIsoOption, today } from '../../../foi/dates.ts';
import { chaseList, requestStatuses, type RegisterLine } from '../../../foi/register-status.ts';
import { parseWave, withCtx } from '../../run.ts';
import { textTable } from '../../../runtime/terminal.ts';
import { skippedBecause } from './common.ts';
import type { Ctx } from '../../../runtime/ctx.ts';
import { CensusError } from '../../../../schemas/fault.ts';

type Opts = { wave: string; json?: boolean; asOf?: string; trust?: string; workspace?: string };
const asOfOf = (opts: Opts, ctx: Ctx) => (opts.asOf ? parseIsoOption(opts.asOf, '--as-of') : today(ctx.clock));

export function statusCommand(): Command {
  return new Command('status')
    .description(
      'The request register of a wave: each trust with its status as of a date, due date, days taken, whether in time, exemptions.',
    )
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--as-of <date>', 'the day to take the status on (YYYY-MM-DD); default today')
    .option('--trust <ods>', 'one trust in detail: how its due date was computed, its history and events')
    .option('--json', 'print JSON on stdout')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census foi status --wave 2024
  census foi status --wave 2024 --as-of 2024-04-30 --json
  census foi status --wave 2024 --trust RXT
Status is derived from dated events and coded replies, never typed: awaiting, overdue, long_overdue,
clarification, answered, partial, refused, not_held, ncnd, internal_review.`,
    )
    .action(async (opts: Opts) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const asOf = asOfOf(opts, ctx);
        const lines = await requestStatuses({ wave, asOf, ...(opts.trust ? { trust: opts.trust } : {}) }, ctx);
        if (opts.trust && lines.length === 0) {
          throw new CensusError(
            'usage',
            `No request to ${opts.trust.toUpperCase()} in wave ${wave}.`,
            `census foi status --wave ${wave} lists the trusts asked; check the ODS code.`,
          );
        }
        if (opts.json) process.stdout.write(`${JSON.stringify({ wave, asOf, requests: lines }, null, 2)}\n`);
        else if (lines.length === 0)
          process.stdout.write(`No requests recorded for wave ${wave}; run census foi send first.\n`);
        else if (opts.trust) printDetail(lines[0]!, asOf);
        else printRegister(lines, wave, asOf);
        return 0;
      });
    });
}

function printRegister(lines: RegisterLine[], wave: number, asOf: string): void {
  const out = process.stdout;
  out.write(`FOI register, wave ${wave}, as of ${asOf}\n\n`);
  out.write(
    `${textTable(
      ['trust', 'name', 'status', 'sent', 'due', 'replied', 'days taken', 'in time', 'exemptions', 'to code'],
      lines.map(({ request: r, status: s, awaitingCoding }) => [
        r.ods,
        r.name,
        s.status,
        r.sent,
        s.due?.due ?? '-',
        s.firstReply ?? '',
        s.daysTaken ? `${s.daysTaken.working}` : '',
        s.withinTime === null ? '' : s.withinTime ? 'yes' : 'no',
        s.exemptions.join(' '),
        awaitingCoding || '',
      ]),
    )}\n\n`,
  );
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.status.status, (counts.get(l.status.status) ?? 0) + 1);
  const replied = lines.filter((l) => l.status.firstReply !== null);
  out.write(
    `${[...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}. `,
  );
  out.write(
    `Replied: ${replied.length} of ${lines.length}, ${replied.filter((l) => l.status.withinTime).length} within the statutory time.\n`,
  );
  out.write('Days taken are working days from receipt (or the answered clarification) to the first reply.\n');
}

function printDetail(l: RegisterLine, asOf: string): void {
  const { request: r, status: s } = l;
  const out = process.stdout;
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
}

export function chaseCommand(): Command {
  return new Command('chase')
    .description('The chase list of a wave: every trust overdue or long overdue, with the days elapsed.')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--as-of <date>', 'the day to take the list on (YYYY-MM-DD); default today')
    .option('--json', 'print JSON on stdout')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census foi chase --wave 2024
  census foi chase --wave 2024 --as-of 2024-05-20 --json`,
    )
    .action(async (opts: Opts) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const asOf = asOfOf(opts, ctx);
        const lines = await chaseList({ wave, asOf }, ctx);
        const rows = lines.map(({ request: r, status: s }) => ({
          trust: r.ods,
          name: r.name,
          status: s.status,
          sent: r.sent,
          due: s.due?.due ?? null,
          theirRef: r.theirRef,
          workingDays: s.daysElapsed?.working ?? null,
          calendarDays: s.daysElapsed?.calendar ?? null,
        }));
        if (opts.json) process.stdout.write(`${JSON.stringify({ wave, asOf, overdue: rows }, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write(`Nothing to chase in wave ${wave} as of ${asOf}.\n`);
        else
          process.stdout.write(
            `Chase list, wave ${wave}, as of ${asOf}\n\n${textTable(
              ['trust', 'name', 'status', 'sent', 'due', 'working days', 'calendar days', 'their ref'],
              rows.map((x) => [
                x.trust,
                x.name,
                x.status,
                x.sent,
                x.due ?? '-',
                x.workingDays ?? '',
                x.calendarDays ?? '',
                x.theirRef ?? '',
              ]),
            )}\n`,
          );
        return 0;
      });
    });
}
