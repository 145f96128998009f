import { Command, Option } from 'commander';
import { parseIsoOption, today } from '../../../foi/dates.ts';
import { EVENT_KINDS, OUTCOMES, recordEvent } from '../../../foi/events.ts';
import { requestStatuses } from '../../../foi/register-status.ts';
import { parseWave, withCtx } from '../../run.ts';

export function eventCommand(): Command {
  return (
    new Command('event')
      .description(
        'Record a dated step of one request: a clarification asked or answered, an internal review requested or its outcome, a public-interest extension (s10(3)) with its new date, an ICO complaint or decision.',
      )
      .requiredOption('--trust <ods>', 'ODS code of the trust, e.g. RXT')
      .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
      // Choices: a kind or outcome not in the list is a usage error naming them, before the database starts.
      .addOption(new Option('--kind <kind>', 'what happened').choices(EVENT_KINDS).makeOptionMandatory())
      .requiredOption('--date <date>', 'the day it happened (YYYY-MM-DD)')
      .option('--note <text>', 'a note kept with the event')
      .addOption(
        new Option(
          '--outcome <outcome>',
          'internal_review_outcome only: the outcome for every question; leave out when the review upheld the answer',
        ).choices(OUTCOMES),
      )
      .option('--exemptions <list>', 'internal_review_outcome only: exemptions cited, comma-separated (s40(2),s43)')
      .option('--new-due <date>', 'pi_extension only: the new date the trust gave (YYYY-MM-DD)')
      .option('--workspace <dir>', 'workspace folder')
      .option('--no-wait', 'exit at once (code 3) if another command is writing')
      .addHelpText(
        'after',
        `
Examples:
  census foi event --trust RXT --wave 2024 --kind clarification_asked --date 2024-03-20 --note "asked which services"
  census foi event --trust RXT --wave 2024 --kind clarification_answered --date 2024-03-25
  census foi event --trust RV5 --wave 2024 --kind internal_review_outcome --date 2024-06-03 --outcome answered
  census foi event --trust RXT --wave 2024 --kind pi_extension --date 2024-04-05 --new-due 2024-05-10
  census foi event --trust RXT --wave 2024 --kind ico_complaint --date 2024-07-01 --note "case IC-123456"
Events are never edited: a correction is a new event. The same kind on the same day is recorded once.
A clarification answered restarts the 20 working days from that day. An internal review is due 20 working days
after it was requested (ICO guidance; FOISA s21 for Scottish boards): census foi status shows the date.
A mistaken event is taken back with census foi retract, never edited.`,
      )
      .action(
        async (opts: {
          trust: string;
          wave: string;
          kind: string;
          date: string;
          note?: string;
          outcome?: string;
          exemptions?: string;
          newDue?: string;
          workspace?: string;
          wait?: boolean;
        }) => {
          process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
            const wave = parseWave(opts.wave);
            const date = parseIsoOption(opts.date, '--date');
            const newDue = opts.newDue === undefined ? undefined : parseIsoOption(opts.newDue, '--new-due');
            const exemptions = opts.exemptions
              ?.split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '');
            const r = await recordEvent(
              {
                wave,
                trust: opts.trust,
                kind: opts.kind,
                date,
                ...(opts.note ? { note: opts.note } : {}),
                ...(opts.outcome ? { outcome: opts.outcome } : {}),
                ...(exemptions ? { exemptions } : {}),
                ...(newDue ? { newDue } : {}),
              },
              ctx,
            );
            const ods = opts.trust.toUpperCase();
            process.stdout.write(
              r.recorded
                ? `Recorded ${opts.kind} for ${ods} on ${date}.\n`
                : `${opts.kind} for ${ods} on ${date} was already recorded; nothing changed.\n`,
            );
            const asOf = [today(ctx.clock), date].sort().at(-1)!;
            const [line] = await requestStatuses({ wave, asOf, trust: ods }, ctx);
            if (line)
              process.stdout.write(
                `Status of ${ods} as of ${asOf}: ${line.status.status}${line.status.due ? `, due ${line.status.due.due}` : ''}.\n`,
              );
            return 0;
          });
        },
      )
  );
}
