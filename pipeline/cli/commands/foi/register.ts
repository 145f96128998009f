import { basename } from 'node:path';
import { Command } from 'commander';
import { today } from '../../../foi/dates.ts';
import { loadRegisterFile, type RegisterChange } from '../../../foi/register-load.ts';
import { requestStatuses } from '../../../foi/register-status.ts';
import { parseWave, withCtx } from '../../run.ts';
import { textTable } from '../../../runtime/terminal.ts';
import { csvText } from '../../format.ts';
import { formatOf, withFormat } from '../../options.ts';
import { hasErrorIssues, printIssues } from './common.ts';
import { requestStatusJson } from './status.ts';

export function registerCommand(): Command {
  const cmd = new Command('register')
    .description(
      "Load a research team's own FOI register (xlsx or csv): requests, references and dated events; status is re-derived from the dates.",
    )
    .argument('<file>', 'the register, .xlsx or .csv')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--workspace <dir>', 'workspace folder')
    .option(
      '--replace',
      'the file replaces the register events of the wave (events it leaves out or dates differently are dropped)',
    )
    .option('--dry-run', 'print what would change; write nothing')
    .option('--no-wait', 'exit at once (code 3) if another command is writing');
  withFormat(cmd);
  return cmd
    .addHelpText(
      'after',
      `
Examples:
  census foi register foi-register-2024.xlsx --wave 2024
  census foi register foi-register-2024.csv --wave 2024 --json
  census foi register register-v2.csv --wave 2024 --dry-run
  census foi register register-v2.csv --wave 2024 --dry-run --format csv > changes.csv
  census foi register register-v2.csv --wave 2024 --replace
Columns are found by their headers (Trust / ODS code, Date sent, Date of reply, Clarification requested,
Clarification provided, Their ref, Status, Exemptions, Notes). A typed status is kept only as a note.
Loading a register again merges: a row changes only what it states (a blank cell keeps what is recorded) and
every change is printed. A row that would drop an event recorded from an earlier register (a reply or refusal,
a clarification date) by giving another date is refused (exit 2, nothing loaded) unless --replace is given.
Events typed with census foi event and replies ingested from files are never touched.
--format csv lists the changes (trust, row, change, was, now); --format json is the whole result, its
statuses the request statuses of census foi status --json (README: JSON output).`,
    )
    .action(
      async (
        file: string,
        opts: {
          wave: string;
          workspace?: string;
          json?: boolean;
          format?: string;
          wait?: boolean;
          replace?: boolean;
          dryRun?: boolean;
        },
      ) => {
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          const r = await loadRegisterFile(
            { path: file, wave, replace: opts.replace === true, dryRun: opts.dryRun === true },
            ctx,
          );
          const asOf = today(ctx.clock);
          const lines = await requestStatuses({ wave, asOf }, ctx);
          const format = formatOf(opts);
          if (format === 'json') {
            process.stdout.write(
              `${JSON.stringify({ ...r, statuses: lines.map((l) => requestStatusJson(l, wave, asOf)) }, null, 2)}\n`,
            );
          } else if (format === 'csv') {
            process.stdout.write(
              csvText(
                [
                  { header: 'trust', value: (c: RegisterChange) => c.ods },
                  { header: 'row', value: (c: RegisterChange) => c.row },
                  { header: 'change', value: (c: RegisterChange) => WHAT[c.what] },
                  { header: 'was', value: (c: RegisterChange) => c.from },
                  { header: 'now', value: (c: RegisterChange) => c.to },
                ],
                r.changes,
              ),
            );
          } else {
            if (r.dryRun)
              process.stdout.write('Dry run: nothing was written. This is what loading the file would change.\n');
            process.stdout.write(
              `${basename(file)} (${r.sha256.slice(0, 12)}): ${r.rows} row(s); ${r.created.length} request(s) created, ${r.updated.length} updated; ${r.events} dated event(s) added; ${r.kept} recorded event(s) the file leaves blank kept.\n`,
            );
            printChanges(r.changes, r.created.length);
            printIssues(r.issues, basename(file));
            const touched = new Set([...r.created, ...r.updated]);
            // A dry run wrote nothing, so the statuses would be those of before: not shown.
            const rows = r.dryRun ? [] : lines.filter((l) => touched.has(l.request.ods));
            if (rows.length)
              process.stdout.write(
                `\nStatus as of ${today(ctx.clock)} (re-derived from the dates):\n${textTable(
                  ['trust', 'name', 'status', 'sent', 'due', 'replied', 'note'],
                  rows.map((l) => [
                    l.request.ods,
                    l.request.name,
                    l.status.status,
                    l.request.sent,
                    l.status.due?.due ?? '-',
                    l.status.firstReply ?? '',
                    l.request.note ?? '',
                  ]),
                )}\n`,
              );
          }
          return hasErrorIssues(r.issues) ? 1 : 0;
        });
      },
    );
}

const WHAT: Record<RegisterChange['what'], string> = {
  request: 'request created',
  sent_date: 'date sent',
  our_ref: 'our ref',
  their_ref: 'their ref',
  note: 'note',
  event_added: 'event added',
  event_changed: 'event changed',
  event_dropped: 'event dropped',
};

/** What the load changed, one line each; a first load's new requests are counted, not listed. */
function printChanges(changes: readonly RegisterChange[], created: number): void {
  const shown = created > 5 ? changes.filter((c) => c.what !== 'request' && c.what !== 'event_added') : changes;
  const hidden = changes.length - shown.length;
  if (changes.length === 0) {
    process.stdout.write('Nothing changed: every row states what is already recorded.\n');
    return;
  }
  process.stdout.write(`\nChanges (${changes.length}):\n`);
  if (shown.length)
    process.stdout.write(
      `${textTable(
        ['trust', 'row', 'change', 'was', 'now'],
        shown.map((c) => [c.ods, c.row ?? '', WHAT[c.what], c.from ?? '', c.to ?? '']),
      )}\n`,
    );
  if (hidden)
    process.stdout.write(`(${hidden} new request(s) and their events not listed; --json lists every change)\n`);
}
