import { Command } from 'commander';
import { EXIT, parseWave, withCtx } from '../run.ts';
import { safeName } from '../../runtime/terminal.ts';
import { listIssues, type IssueListing } from '../../db/issue-rows.ts';
import { compareIssues, printList } from '../format.ts';
import { exitCodes } from '../exit-codes.ts';
import { formatOf, withFormat, type OutputFormat } from '../options.ts';
import { hasOpenErrors, settledFiles } from '../../returns/open-errors.ts';
import { ISSUE_CODES, type IssueCodeEntry } from '../../../schemas/issue-codes.ts';

/** The issue-code catalogue as `census issues --codes` prints it: no workspace, no database. */
async function printCodes(format: OutputFormat): Promise<number> {
  const rows = Object.entries(ISSUE_CODES).map(([code, e]: [string, IssueCodeEntry]) => ({
    code,
    severity: e.severity,
    also: [...(e.also ?? [])],
    touches: e.touches,
    meaning: e.meaning,
    action: e.action,
    ...(e.reserved ? { reserved: true, reason: e.reason ?? '' } : {}),
  }));
  await printList(format, rows, {
    columns: [
      { header: 'code', value: (r) => r.code },
      { header: 'severity', value: (r) => [r.severity, ...r.also].join('/') },
      { header: 'touches', value: (r) => r.touches },
      { header: 'meaning', value: (r) => r.meaning },
      { header: 'action', value: (r) => r.action },
    ],
  });
  return EXIT.ok;
}

/** An issue's JSON shape, the same in `census issues` and `census ingest` (README: JSON output). */
export function issueJson(r: IssueListing): Record<string, unknown> {
  return {
    severity: r.severity,
    code: r.code,
    file: r.file,
    sha256: r.sha256,
    location: r.where,
    at: r.location,
    questionId: r.questionId,
    message: r.message,
    raw: r.raw,
  };
}

export function issuesCommand(): Command {
  const cmd: Command = new Command('issues');
  cmd
    .description(
      'List the data issues found in a wave: code, severity, file, location, message. With --codes, list every issue code census can raise.',
    )
    .option('--wave <year>', 'wave, e.g. 2025 (required unless --codes)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--severity <level>', 'only this severity')
    .option(
      '--codes',
      'print the catalogue of issue codes (code, severity, touches, meaning, action); needs no workspace or database',
    );
  withFormat(cmd);
  cmd
    .addHelpText(
      'after',
      `
Issues are listed by severity (errors first), then file, then sheet and row (C7 before C29).
Under --codes, severity is the usual one first, then any other a code is also raised at ("error/warning");
touches says what the issue is about: the file, a table's layout, a row (record) or a cell (value).

Examples:
  census issues --wave 2025
  census issues --wave 2025 --severity error --json
  census issues --wave 2025 --format csv > issues.csv
  census issues --codes`,
    )
    .action(
      async (opts: {
        wave?: string;
        workspace?: string;
        json?: boolean;
        format?: string;
        severity?: string;
        codes?: boolean;
      }) => {
        // Before the workspace and database are opened: the catalogue is part of the program, not of the data.
        if (opts.codes) {
          process.exitCode = await printCodes(formatOf(opts));
          return;
        }
        // As commander says it for a required option (--wave is only required without --codes).
        if (opts.wave === undefined)
          cmd.error("error: required option '--wave <year>' not specified", {
            code: 'commander.missingMandatoryOptionValue',
          });
        const waveText = opts.wave;
        process.exitCode = await withCtx(opts, { writes: false, readOnly: true }, async (ctx) => {
          const wave = parseWave(waveText);
          const rows = (await listIssues(ctx.db, wave, opts.severity)).sort(compareIssues);
          await printList(formatOf(opts), rows, {
            columns: [
              { header: 'severity', value: (r) => r.severity },
              { header: 'code', value: (r) => r.code },
              { header: 'file', value: (r) => safeName(r.file) },
              { header: 'location', value: (r) => r.location },
              { header: 'message', value: (r) => r.message },
            ],
            json: issueJson,
            empty: `No data issues${opts.severity ? ` of severity ${opts.severity}` : ''} for wave ${wave}.`,
          });
          // Errors of a superseded or withdrawn return are listed but wait for no follow-up.
          return hasOpenErrors(rows, await settledFiles(ctx.db, wave)) ? 1 : 0;
        });
      },
    );
  return exitCodes(
    cmd,
    `  0  done, no open errors (warnings and info may be listed)
  1  done, but the wave has errors still open (errors of a superseded or withdrawn return do not count)
  2  usage error (bad option value, not a workspace)
  3  environment fault (database unreachable)`,
  );
}
