import { Command } from 'commander';
import { parseIsoOption, today } from '../../../foi/dates.ts';
import { retractEvent } from '../../../foi/events.ts';
import { requestStatuses } from '../../../foi/register-status.ts';
import { parseWave, withCtx } from '../../run.ts';

export function retractCommand(): Command {
  return new Command('retract')
    .description(
      'Take back a recorded event of one request that was a mistake (typed, from a register or from a reply), with the reason; it then no longer counts in the status.',
    )
    .requiredOption('--trust <ods>', 'ODS code of the trust, e.g. RXT')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .requiredOption('--kind <kind>', 'kind of the event, e.g. reply, clarification_asked, pi_extension')
    .requiredOption('--date <date>', 'the date of the event (YYYY-MM-DD)')
    .requiredOption('--reason <text>', 'why it is taken back (kept with it and in the audit log)')
    .requiredOption('--by <name>', 'who retracts it')
    .option('--workspace <dir>', 'workspace folder')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census foi retract --trust RXT --wave 2024 --kind clarification_asked --date 2024-03-20 --reason "was RXV's e-mail" --by "A. Researcher"
Nothing is deleted: a retraction event names the event, the reason and who took it back.`,
    )
    .action(
      async (opts: {
        trust: string;
        wave: string;
        kind: string;
        date: string;
        reason: string;
        by: string;
        workspace?: string;
        wait?: boolean;
      }) => {
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          const date = parseIsoOption(opts.date, '--date');
          const r = await retractEvent(
            { wave, trust: opts.trust, kind: opts.kind, date, reason: opts.reason, by: opts.by },
            ctx,
          );
          const ods = opts.trust.trim().toUpperCase();
          process.stdout.write(`Retracted ${r.kind} of ${r.date} for ${ods} (recorded from ${r.source}).\n`);
          const [line] = await requestStatuses({ wave, asOf: today(ctx.clock), trust: ods }, ctx);
          if (line)
            process.stdout.write(
              `Status of ${ods} now: ${line.status.status}${line.status.due ? `, due ${line.status.due.due}` : ''}.\n`,
            );
          return 0;
        });
      },
    );
}
