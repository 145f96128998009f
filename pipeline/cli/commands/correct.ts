import { Command } from 'commander';
import { resolve } from 'node:path';
import { recordCorrection, revertCorrection } from '../../audit/corrections.ts';
import { loadCorrectionsFile, parseFlags, parseHigh } from '../../audit/corrections-file.ts';
import { parseWave, usageError, withCtx } from '../run.ts';

interface Opts {
  wave?: string;
  value?: string;
  low?: string;
  high?: string;
  flags?: string;
  by?: string;
  reason?: string;
  file?: string;
  revert?: string;
  workspace?: string;
}

/** `census correct`: corrections are rows of their own, applied on every build; the reply's values are never changed. */
export function correctCommand(): Command {
  return new Command('correct')
    .description(
      "Correct a coded FOI count (or revert a correction). Kept apart from the reply's values, applied on every build, listed in the manifest, logged.",
    )
    .option(
      '--wave <year>',
      'FOI wave of the value (required with --value; with --file unless the file has a wave column)',
    )
    .option('--value <id>', 'FOI value id (census audit figure / census audit trust print them)')
    .option('--low <n>', 'corrected low end')
    .option('--high <n|open>', 'corrected high end, or "open" for no upper bound (default: = --low)')
    .option(
      '--flags <list>',
      'replace the value\'s flags: comma-separated (suppressed, partial_period, band_mismatch, incomplete, total_mismatch, approximate) or "none"',
    )
    .option('--file <csv>', 'a corrections file: value_id, low, high, flags, by, reason[, wave]; all rows or none')
    .option('--revert <id>', 'withdraw correction <id>')
    .option('--by <name>', 'who makes the correction')
    .option('--reason <text>', 'why')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
A locked wave refuses corrections (census unlock first). Rebuild the report to see the effect;
census diff OLD NEW shows which figures moved and which corrections differ.

Examples:
  census correct --wave 2024 --value 1234 --low 12 --high 12 --by "A. Researcher" --reason "trust's letter of 2 May corrects 21 to 12"
  census correct --wave 2024 --value 1240 --low 0 --high open --flags suppressed --by "A. Researcher" --reason "withheld, s40(2)"
  census correct --file corrections.csv --wave 2024
  census correct --revert 7 --by "A. Researcher" --reason "entered against the wrong trust"`,
    )
    .action(async (opts: Opts) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const modes = [opts.value, opts.file, opts.revert].filter((x) => x !== undefined).length;
        if (modes !== 1)
          throw usageError('Pass exactly one of --value, --file or --revert.', 'See census correct --help.');
        if (opts.file) {
          const r = await loadCorrectionsFile(
            { path: resolve(opts.file), ...(opts.wave ? { wave: parseWave(opts.wave) } : {}) },
            ctx,
          );
          ctx.log.info(
            `Corrections file ${r.sha256.slice(0, 12)}: ${r.recorded.length} recorded${r.recorded.length ? ` (ids ${r.recorded.join(', ')})` : ''}, ${r.skipped} already recorded.`,
          );
          return 0;
        }
        if (!opts.by || !opts.reason)
          throw usageError('--by and --reason are required.', 'Pass --by "Your Name" --reason "why".');
        if (opts.revert) {
          const r = await revertCorrection({ correctionId: opts.revert, by: opts.by, reason: opts.reason }, ctx);
          ctx.log.info(`Correction ${opts.revert} of FOI value ${r.valueId} reverted (revert ${r.id}).`);
          process.stdout.write(`${r.id}\n`);
          return 0;
        }
        if (!opts.wave || opts.low === undefined)
          throw usageError(
            '--value needs --wave and --low.',
            'census correct --wave 2024 --value ID --low N [--high N|open] --by NAME --reason TEXT',
          );
        const flags = parseFlags(opts.flags);
        const r = await recordCorrection(
          {
            wave: parseWave(opts.wave),
            valueId: opts.value!,
            low: Number(opts.low),
            high: opts.high === undefined ? Number(opts.low) : parseHigh(opts.high),
            ...(flags !== undefined ? { flags } : {}),
            by: opts.by,
            reason: opts.reason,
          },
          ctx,
        );
        ctx.log.info(`FOI value ${r.valueId} corrected (correction ${r.id}); rebuild the report to apply it.`);
        process.stdout.write(`${r.id}\n`);
        return 0;
      });
    });
}
