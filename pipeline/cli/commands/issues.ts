import { Command } from 'commander';
import { EXIT, parseWave, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { listIssues } from '../../db/issue-rows.ts';
import { hasOpenErrors, settledFiles } from '../../returns/open-errors.ts';
import { ISSUE_CODES, type IssueCodeEntry } from '../../../schemas/issue-codes.ts';

/** The issue-code catalogue as `census issues --codes` prints it: no workspace, no database. */
function printCodes(json: boolean): number {
  const rows = Object.entries(ISSUE_CODES).map(([code, e]: [string, IssueCodeEntry]) => ({
    code,
    severity: e.severity,
    also: [...(e.also ?? [])],
    touches: e.touches,
    meaning: e.meaning,
    action: e.action,
    ...(e.reserved ? { reserved: true, reason: e.reason ?? '' } : {}),
  }));
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else
    process.stdout.write(
      `${textTable(
        ['code', 'severity', 'touches', 'meaning', 'action'],
        rows.map((r) => [r.code, [r.severity, ...r.also].join('/'), r.touches, r.meaning, r.action]),
      )}\n`,
    );
  return EXIT.ok;
}

export function issuesCommand(): Command {
  const cmd: Command = new Command('issues')
    .description(
      'List the data issues found in a wave: code, severity, file, location, message. With --codes, list every issue code census can raise.',
    )
    .option('--wave <year>', 'wave, e.g. 2025 (required unless --codes)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--severity <level>', 'only error, warning or info')
    .option(
      '--codes',
      'print the catalogue of issue codes (code, severity, touches, meaning, action); needs no workspace or database',
    )
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      `
Under --codes, severity is the usual one first, then any other a code is also raised at ("error/warning");
touches says what the issue is about: the file, a table's layout, a row (record) or a cell (value).

Examples:
  census issues --wave 2025
  census issues --wave 2025 --severity error --json
  census issues --codes`,
    )
    .action(async (opts: { wave?: string; workspace?: string; json?: boolean; severity?: string; codes?: boolean }) => {
      // Before the workspace and database are opened: the catalogue is part of the program, not of the data.
      if (opts.codes) {
        process.exitCode = printCodes(opts.json === true);
        return;
      }
      // As commander says it for a required option (--wave is only required without --codes).
      if (opts.wave === undefined)
        cmd.error("error: required option '--wave <year>' not specified", {
          code: 'commander.missingMandatoryOptionValue',
        });
      const waveText = opts.wave;
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(waveText);
        const rows = await listIssues(ctx.db, wave, opts.severity);
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write(`No data issues for wave ${wave}.\n`);
        else
          process.stdout.write(
            `${textTable(
              ['severity', 'code', 'file', 'location', 'message'],
              rows.map((r) => [r.severity, r.code, safeName(r.file), r.location, r.message]),
            )}\n`,
          );
        // Errors of a superseded or withdrawn return are listed but wait for no follow-up.
        return hasOpenErrors(rows, await settledFiles(ctx.db, wave)) ? 1 : 0;
      });
    });
  return cmd;
}
