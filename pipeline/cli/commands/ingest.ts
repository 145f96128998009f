import { Command } from 'commander';
import type { IngestSummary } from '../../ingest/job.ts';
import { parseWave, usageError, withCtx } from '../run.ts';
import { asCensusError } from '../../../schemas/fault.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { formatLocation } from '../../../schemas/issue.ts';
import { compareIssues } from '../format.ts';
import { parseIsoOption } from '../../foi/dates.ts';

export function printSummary(s: IngestSummary, out: NodeJS.WritableStream): void {
  out.write(`\nIngest run ${s.runId}, wave ${s.wave}\n\n`);
  out.write(
    `${textTable(
      ['file', 'kind', 'status', 'returns loaded', 'rejected', 'errors', 'warnings'],
      s.files.map((f) => [
        safeName(f.name),
        f.kind,
        f.status,
        f.returnsLoaded,
        f.returnsRejected,
        f.issues.filter((i) => i.severity === 'error').length,
        f.issues.filter((i) => i.severity === 'warning').length,
      ]),
    )}\n\n`,
  );
  const perFile = s.files.filter((f) => f.issues.length > 0);
  if (perFile.length) {
    out.write('Issues per code per file:\n');
    for (const f of perFile) {
      const counts = new Map<string, number>();
      for (const i of f.issues) counts.set(`${i.severity} ${i.code}`, (counts.get(`${i.severity} ${i.code}`) ?? 0) + 1);
      out.write(
        `  ${safeName(f.name)}: ${[...counts]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, n]) => `${k} x${n}`)
          .join(', ')}\n`,
      );
    }
    out.write('\nDetail:\n');
    for (const f of perFile) {
      const sorted = [...f.issues].sort((x, y) =>
        compareIssues({ ...x, file: f.name, where: x.location }, { ...y, file: f.name, where: y.location }),
      );
      for (const i of sorted)
        out.write(
          `  ${i.severity.padEnd(7)} ${i.code}  ${safeName(f.name)} ${formatLocation(i.location)}  ${i.message}\n`,
        );
    }
    out.write('\n');
  }
  out.write(
    `Files: ${s.files.length}   returns loaded: ${s.returnsLoaded}   rejected: ${s.returnsRejected}   issues: ${s.issuesBySeverity.error} error, ${s.issuesBySeverity.warning} warning, ${s.issuesBySeverity.info} info\n`,
  );
}

/** `ingest --dry-run`: every file read and validated, nothing stored; exit 1 when a return would be kept out. */
async function dryRun(paths: string[], opts: { wave: string; workspace?: string; json?: boolean }): Promise<number> {
  const [{ checkFile, checkList, checkSetting, filesUnder }, { checkSummary }] = await Promise.all([
    import('../check.ts'),
    import('./check.ts'),
  ]);
  const wave = parseWave(opts.wave);
  const { wavesDir, limits } = checkSetting(opts.workspace);
  const list = checkList(wave, wavesDir, 'ingest --dry-run');
  const checked = [];
  for (const f of filesUnder(paths)) checked.push(await checkFile(f, list, limits));
  if (opts.json) process.stdout.write(`${JSON.stringify({ dryRun: true, wave, files: checked }, null, 2)}\n`);
  else {
    process.stdout.write(
      `Dry run: nothing was stored or loaded.\n\n${textTable(
        ['file', 'would load', 'kept out', 'errors', 'warnings'],
        checked.map((c) => [
          safeName(c.file),
          c.returnsLoadable,
          c.returnsRejected,
          c.issues.filter((i) => i.severity === 'error').length,
          c.issues.filter((i) => i.severity === 'warning').length,
        ]),
      )}\n\n${checkSummary(checked)}\nThe issues: census check ${paths.join(' ')} --wave ${wave}\n`,
    );
  }
  return checked.some((c) => c.issues.some((i) => i.severity === 'error')) ? 1 : 0;
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('Receive files (or folders of files) for a wave, then extract, validate, normalise and load them.')
    .argument('<paths...>', 'files or folders')
    .requiredOption('--wave <year>', 'wave the files belong to, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .option(
      '--dry-run',
      'questionnaire: read and validate the files and print what would load; store, load and record nothing (no database needed)',
    )
    .option(
      '--received <date>',
      'FOI replies: the day these files arrived (YYYY-MM-DD); dates each reply, before any date found inside it',
    )
    .option(
      '--accept-wave-stamp',
      "questionnaire: load returns whose template's wave stamp or Date completed says another wave (otherwise kept out as wrong_wave)",
    )
    .addHelpText(
      'after',
      `
Examples:
  census ingest returns-2025/ --wave 2025
  census ingest team-a.xlsx team-b.xlsx --wave 2025 --json
  census ingest returns-2025/ --wave 2025 --dry-run
  census ingest "FOI 0744-2024 response.pdf" --wave 2024 --received 2024-04-08
An FOI reply is dated by --received, else its own date (an e-mail's Date header, a letter's date), else its
covering e-mail's; a reply with none of these is dated the day it is ingested, with an info issue saying so.
Files already ingested with the same rules are skipped; each file loads in its own transaction.
A folder holding no files is a usage error (exit 2): nothing is recorded.
--dry-run checks as census check does (not the mapped labels or the change from the previous
return, which need the database) and lists per file whether its returns would load.
With --json, stdout holds only the summary, written at the end; the progress bar is not shown
(a status line while the database starts still is, on stderr, on a terminal).`,
    )
    .action(
      async (
        paths: string[],
        opts: {
          wave: string;
          workspace?: string;
          json?: boolean;
          wait?: boolean;
          acceptWaveStamp?: boolean;
          dryRun?: boolean;
          received?: string;
        },
      ) => {
        // Before the database starts: nothing to read is said at once (exit 2), not "0 files" (exit 0).
        try {
          const { listInputFiles } = await import('../../ingest/receive.ts');
          const found = listInputFiles(paths);
          if (found.missing.length === 0 && found.files.length === 0 && found.skipped.length === 0)
            throw usageError(
              `No files to ingest in ${paths.join(', ')}.`,
              'Give the folder the returns were saved in, or the files themselves.',
            );
          if (opts.dryRun) {
            process.exitCode = await dryRun(paths, opts);
            return;
          }
        } catch (err) {
          const e = asCensusError(err, 'reading the files');
          process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
          process.exitCode = e.exitCode;
          return;
        }
        process.exitCode = await withCtx(opts, { writes: true, progress: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          const received = opts.received === undefined ? undefined : parseIsoOption(opts.received, '--received');
          // Loaded on use: the readers pull in exceljs and friends, which --help should not pay for.
          const [{ ingest }, { processorFor }, { labelMapFor }] = await Promise.all([
            import('../../ingest/job.ts'),
            import('../../ingest/processors.ts'),
            import('../../ingest/questionnaire/label-map.ts'),
          ]);
          const processor = await processorFor(
            wave,
            ctx.workspace.wavesDir,
            ctx.workspace.config.limits,
            {
              acceptWaveStamp: opts.acceptWaveStamp === true,
              // The labels mapped with `census questions map` (part of each file's rule version).
              labelMap: await labelMapFor(ctx.db, wave),
            },
            received === undefined ? {} : { received },
          );
          const summary = await ingest({ paths, wave, processor, command: `ingest --wave ${wave}` }, ctx);
          // Each issue as everywhere: its location an object, `at` its printed form.
          if (opts.json)
            process.stdout.write(
              `${JSON.stringify(
                {
                  ...summary,
                  files: summary.files.map((f) => ({
                    ...f,
                    issues: f.issues.map((i) => ({ ...i, at: formatLocation(i.location) })),
                  })),
                },
                null,
                2,
              )}\n`,
            );
          else printSummary(summary, process.stdout);
          if (summary.issuesBySeverity.error === 0) return 0;
          // Errors of a return superseded (or withdrawn) meanwhile wait for no follow-up.
          const { hasOpenErrors, settledFiles } = await import('../../returns/open-errors.ts');
          const settled = await settledFiles(ctx.db, wave);
          const errors = summary.files.flatMap((f) => f.issues.map((i) => ({ severity: i.severity, sha256: f.hash })));
          return hasOpenErrors(errors, settled) ? 1 : 0;
        });
      },
    );
}
