import { basename } from 'node:path';
import { Command } from 'commander';
import { today } from '../../../foi/dates.ts';
import { loadRegisterFile } from '../../../foi/register-load.ts';
import { requestStatuses } from '../../../foi/register-status.ts';
import { parseWave, withCtx } from '../../run.ts';
import { textTable } from '../../../runtime/terminal.ts';
import { hasErrorIssues, printIssues } from './common.ts';

export function registerCommand(): Command {
  return new Command('register')
    .description(
      "Load a research team's own FOI register (xlsx or csv): requests, references and dated events; status is re-derived from the dates.",
    )
    .argument('<file>', 'the register, .xlsx or .csv')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the result as JSON on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census foi register foi-register-2024.xlsx --wave 2024
  census foi register foi-register-2024.csv --wave 2024 --json
Columns are found by their headers (Trust / ODS code, Date sent, Date of reply, Clarification requested,
Clarification provided, Their ref, Status, Exemptions, Notes). A typed status is kept only as a note.
Loading a newer register replaces the events the previous one gave; events typed with census foi event stay.`,
    )
    .action(async (file: string, opts: { wave: string; workspace?: string; json?: boolean; wait?: boolean }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const r = await loadRegisterFile({ path: file, wave }, ctx);
        const lines = await requestStatuses({ wave, asOf: today(ctx.clock) }, ctx);
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ ...r, statuses: lines.map((l) => ({ trust: l.request.ods, status: l.status.status, due: l.status.due?.due ?? null })) }, null, 2)}\n`,
          );
        } else {
          process.stdout.write(
            `${basename(file)} (${r.sha256.slice(0, 12)}): ${r.rows} row(s); ${r.created.length} request(s) created, ${r.updated.length} updated; ${r.events} dated event(s).\n`,
          );
          printIssues(r.issues, basename(file));
          const touched = new Set([...r.created, ...r.updated]);
          const rows = lines.filter((l) => touched.has(l.request.ods));
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
    });
}
