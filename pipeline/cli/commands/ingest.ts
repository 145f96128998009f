import { Command } from 'commander';
import type { IngestSummary } from '../../ingest/job.ts';
import { parseWave, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { formatLocation } from '../../../schemas/issue.ts';

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
      for (const i of f.issues)
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

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('Receive files (or folders of files) for a wave, then extract, validate, normalise and load them.')
    .argument('<paths...>', 'files or folders')
    .requiredOption('--wave <year>', 'wave the files belong to, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
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
Files already ingested with the same rules are skipped; each file loads in its own transaction.`,
    )
    .action(
      async (
        paths: string[],
        opts: { wave: string; workspace?: string; json?: boolean; wait?: boolean; acceptWaveStamp?: boolean },
      ) => {
        process.exitCode = await withCtx(opts, { writes: true, progress: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          // Loaded on use: the readers pull in exceljs and friends, which --help should not pay for.
          const [{ ingest }, { processorFor }, { labelMapFor }] = await Promise.all([
            import('../../ingest/job.ts'),
            import('../../ingest/processors.ts'),
            import('../../ingest/questionnaire/label-map.ts'),
          ]);
          const processor = await processorFor(wave, ctx.workspace.wavesDir, ctx.workspace.config.limits, {
            acceptWaveStamp: opts.acceptWaveStamp === true,
            // The labels mapped with `census questions map` (part of each file's rule version).
            labelMap: await labelMapFor(ctx.db, wave),
          });
          const summary = await ingest({ paths, wave, processor, command: `ingest --wave ${wave}` }, ctx);
          if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
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
