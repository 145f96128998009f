import { Command } from 'commander';
import { resolve } from 'node:path';
import { listIssues } from '../../db/issue-rows.ts';
import { hasOpenErrors, settledFiles } from '../../returns/open-errors.ts';
import { parseWave, sayWhatToDo, withCtx } from '../run.ts';
import { asCensusError } from '../../../schemas/fault.ts';
import { terminalText } from '../../runtime/terminal.ts';

interface ReportOptions {
  wave: string;
  out: string;
  public?: boolean;
  params?: string;
  releaseDate?: string;
  contact?: string;
  previous?: string;
  workspace?: string;
  force?: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'Build the annual report of a wave from the database: report.html, tables.xlsx, tables/*.csv, figures.json and manifest.json.',
    )
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .requiredOption('--out <dir>', 'folder to write (created if missing)')
    .option('--public', 'public build: disclosure control, no per-team rows or file names')
    .option('--params <file>', 'build parameters (JSON, partial: the rest from schemas/report-params.json)')
    .option(
      '--release-date <YYYY-MM-DD>',
      'release date printed on the report and the workbook cover (else the params file, else the data date)',
    )
    .option('--contact <text>', 'who answers questions on the release, printed on the report and the workbook cover')
    .option(
      '--previous <dir>',
      'back test: the published public build of the same wave to compare with (exit 1 if a cell is un-suppressed)',
    )
    .option(
      '--force',
      'write into a non-empty folder that holds no report build: only the report files are written, nothing is deleted',
    )
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
The same database content, parameters and code give byte-identical files; census verify DIR checks it.
--out must be empty, missing or an earlier build (its files listed in its manifest.json are replaced;
nothing else is deleted). The report is written even when the wave has data issues of severity
"error", and census report then exits 1 (see census issues --wave YEAR --severity error).

Examples:
  census report --wave 2025 --out report-2025
  census report --wave 2025 --out public-2025 --public --params params.json
  census report --wave 2023 --out check-2023 --public --previous published-2023`,
    )
    .action(async (opts: ReportOptions) => {
      // Loaded here, not at the top: `census --help` and other commands need not pay for the report code.
      const [{ renderReport, writeReport }, { backTest }, { defaultParams, mergeParams, paramsFromFile }] =
        await Promise.all([
          import('../../report/build.ts'),
          import('../../report/back-test.ts'),
          import('../../../schemas/report-params.ts'),
        ]);
      // The parameters file is read before the database starts: a wrong path is said at once (exit 2).
      let params: ReturnType<typeof mergeParams>;
      try {
        const fromFile = opts.params ? paramsFromFile(resolve(opts.params)) : defaultParams();
        params = mergeParams(
          {
            ...(opts.releaseDate !== undefined ? { releaseDate: opts.releaseDate } : {}),
            ...(opts.contact !== undefined ? { contact: opts.contact } : {}),
          },
          fromFile,
        );
      } catch (err) {
        const e = asCensusError(err, 'reading the report parameters');
        process.stderr.write(`error: ${terminalText(e.message)}\n`);
        sayWhatToDo(e.hint);
        process.exitCode = e.exitCode;
        return;
      }
      process.exitCode = await withCtx(opts, { writes: false, readOnly: true }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const out = resolve(opts.out);
        const report = await renderReport({ wave, publicBuild: opts.public === true, params }, ctx);
        const files = writeReport(out, report, { force: opts.force === true });
        ctx.log.info(`Report for wave ${wave} (${report.manifest.build} build) written to ${out}:`);
        for (const f of files) ctx.log.info(`  ${f}`);
        const dataErrors = hasOpenErrors(await listIssues(ctx.db, wave, 'error'), await settledFiles(ctx.db, wave));
        if (dataErrors)
          ctx.log.info(
            `Wave ${wave} has data issues of severity "error"; the report is written from what is loaded (census issues --wave ${wave} --severity error).`,
          );
        if (!opts.previous) return dataErrors ? 1 : 0;
        const test = backTest(resolve(opts.previous), report);
        for (const { table, finding: f } of test.findings)
          ctx.log.info(`  back test: ${table} [${f.row}, ${f.col}]: ${f.code.replace(/_/g, ' ')}`);
        ctx.log.info(
          test.failed
            ? 'Back test FAILED: a cell withheld in the previous public build is shown or can be worked out now.'
            : `Back test passed against ${resolve(opts.previous)} (${test.findings.length} other differences listed above).`,
        );
        return test.failed || dataErrors ? 1 : 0;
      });
    });
}
