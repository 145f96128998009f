import { Command } from 'commander';
import { parseIsoOption } from '../../../foi/dates.ts';
import { sendRequests, type SendResult } from '../../../foi/send.ts';
import { parseWave, withCtx } from '../../run.ts';
import { textTable } from '../../../runtime/terminal.ts';
import { skippedBecause } from './common.ts';

const WHY = {
  opened_after_sent: 'opened after the sent date',
  closed_before_sent: 'closed before the sent date',
  former_mh_provider: "no longer runs MH services (mh_confidence 'former')",
} as const;

export function sendCommand(): Command {
  return new Command('send')
    .description(
      'Record a request to every trust in the reference list that provided mental health services on the sent date, with its statutory due date.',
    )
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .requiredOption(
      '--sent <date>',
      'the day the requests were sent (YYYY-MM-DD); e-mailed requests are received that day',
    )
    .option('--explain', 'show how each due date was computed (days skipped and why)')
    .option('--dry-run', 'print what would be recorded; write nothing')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the result as JSON on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census foi send --wave 2024 --sent 2024-03-11
  census foi send --wave 2024 --sent 2024-03-11 --explain
  census foi send --wave 2026 --sent 2026-03-09 --dry-run
Running it again changes nothing: a trust already asked in the wave keeps its request.
A sent date the bank-holiday calendar does not cover is refused (exit 2).`,
    )
    .action(
      async (opts: {
        wave: string;
        sent: string;
        explain?: boolean;
        dryRun?: boolean;
        workspace?: string;
        json?: boolean;
        wait?: boolean;
      }) => {
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          const sent = parseIsoOption(opts.sent, '--sent');
          const dryRun = opts.dryRun === true;
          const r = await sendRequests({ wave, sent, dryRun }, ctx);
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...r, dryRun }, null, 2)}\n`);
          else {
            if (dryRun) process.stdout.write('Dry run: nothing was written. This is what would be recorded.\n');
            printSend(r, opts.explain === true);
          }
          return 0;
        });
      },
    );
}

function printSend(r: SendResult, explain: boolean): void {
  const out = process.stdout;
  const all = [...r.created, ...r.existing].sort((a, b) => a.ods.localeCompare(b.ods));
  out.write(
    `Wave ${r.wave}: ${r.created.length} request(s) recorded as sent ${r.sent}; ${r.existing.length} already recorded, unchanged.\n\n`,
  );
  out.write(
    `${textTable(
      ['trust', 'name', 'sent', 'due', 'new'],
      all.map((x) => [x.ods, x.name, x.sent, x.due.due, r.created.includes(x) ? 'yes' : '']),
    )}\n`,
  );
  const summaries = [...new Set(all.map((x) => x.due.summary))];
  if (explain) {
    for (const s of summaries) {
      const example = all.find((x) => x.due.summary === s)!;
      out.write(`\n${s}\n`);
      for (const d of example.due.explanation.filter((e) => e.reasons.some((x) => x.kind !== 'weekend'))) {
        out.write(`  ${d.date}: ${skippedBecause(d.reasons)}\n`);
      }
    }
  } else if (summaries.length === 1) out.write(`\n${summaries[0]}\n`);
  if (r.excluded.length) {
    out.write(`\nNot asked (${r.excluded.length}):\n`);
    for (const e of r.excluded) out.write(`  ${e.ods}  ${e.name}: ${WHY[e.why]}\n`);
  }
  const otherDate = r.existing.filter((x) => x.sent !== r.sent);
  if (otherDate.length)
    out.write(
      `\n${otherDate.length} trust(s) were recorded as sent on another date (${[...new Set(otherDate.map((x) => x.sent))].join(', ')}); not changed. Correct a date by loading the register (census foi register).\n`,
    );
  for (const c of r.recomputed)
    out.write(`\nDue date of ${c.ods} recomputed with the new holiday calendar: ${c.from} -> ${c.to}.\n`);
  out.write(`\nTrust list ${r.trustListVersion.slice(0, 12)}, holiday calendar ${r.calendarVersion.slice(0, 12)}.\n`);
}
