import { Command } from 'commander';
import { diffBuilds } from '../../audit/diff.ts';
import { diffOutput } from '../audit-print.ts';
import { EXIT } from '../../../schemas/fault.ts';
import { exitCodes } from '../exit-codes.ts';
import { asCensusError } from '../../../schemas/fault.ts';

/** `census diff`: two builds compared by their manifests and figures.json; no database needed. */
export function diffCommand(): Command {
  const cmd = new Command('diff')
    .description(
      'Compare two report builds: figures that changed and by how much, and the inputs (source file hashes, corrections) that differ.',
    )
    .argument('<a>', 'a report folder or its manifest.json (the earlier build)')
    .argument('<b>', 'a report folder or its manifest.json (the later build)')
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  census diff published-2024 report-2024
  census diff old/manifest.json new/manifest.json --json`,
    )
    .action((a: string, b: string, opts: { json?: boolean }) => {
      try {
        const d = diffBuilds(a, b);
        process.stdout.write(diffOutput(d, opts.json === true));
        process.exitCode = d.same ? EXIT.ok : EXIT.dataErrors;
      } catch (err) {
        const e = asCensusError(err, 'comparing the builds');
        process.stderr.write(`${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
      }
    });
  return exitCodes(
    cmd,
    `  0  done: the builds are the same
  1  the builds differ (figures or inputs)
  2  usage error (a folder that is not a report build)
  3  environment fault`,
  );
}
