import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { buildCodingSheet, loadCodingSheet } from '../../../foi/coding-sheet.ts';
import { asCensusError } from '../../../../schemas/fault.ts';
import { outFile } from '../../format.ts';
import { terminalWidth, wrapAtSpaces } from '../../../runtime/terminal.ts';
import { parseWave, withCtx } from '../../run.ts';
import { hasErrorIssues, printIssues } from './common.ts';

type LoadOpts = { wave: string; by: string; workspace?: string; json?: boolean; wait?: boolean; dryRun?: boolean };

function loadAction(file: string, opts: LoadOpts): Promise<number> {
  return withCtx(opts, { writes: true }, async (ctx) => {
    const wave = parseWave(opts.wave);
    const dryRun = opts.dryRun === true;
    const r = await loadCodingSheet({ path: file, wave, by: opts.by, dryRun }, ctx);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ...r, dryRun }, null, 2)}\n`);
    else {
      if (dryRun) process.stdout.write('Dry run: nothing was written. This is what loading the sheet would record.\n');
      process.stdout.write(
        `${basename(file)}: ${r.filled} filled row(s): ${r.recorded} recorded, ${r.corrected} correction(s), ${r.unchanged} unchanged (coded by ${opts.by}).\n`,
      );
      printIssues(r.issues, basename(file));
    }
    return hasErrorIssues(r.issues) ? 1 : 0;
  });
}

function load(name: string): Command {
  return (
    new Command(name)
      .description(
        'Record the filled rows of a coding sheet as coded values (method "coded", who, when). Loading it again changes nothing.',
      )
      .argument('<file>', 'the filled coding sheet (.xlsx)')
      // Not requiredOption: typed after "coding-sheet load", --wave and --workspace are parsed by the parent
      // command (which has them too), so they are read back with optsWithGlobals() and checked in the action.
      .option('--wave <year>', 'FOI wave, e.g. 2024 (required)')
      .option('--by <name>', 'who coded the sheet (required)')
      .option('--workspace <dir>', 'workspace folder')
      .option('--dry-run', 'print what loading would record; write nothing')
      .option('--json', 'print the result as JSON on stdout')
      .option('--no-wait', 'exit at once (code 3) if another command is writing')
      .addHelpText(
        'after',
        `
Examples:
  census foi ${name === 'load' ? 'coding-sheet load' : 'code'} coding-2024.xlsx --wave 2024 --by "A. Researcher"
A coded value that disagrees with one read automatically is kept beside it and shown as a
coding_conflict issue; neither overwrites the other.`,
      )
      .action(async (file: string, _opts: LoadOpts, cmd: Command) => {
        const opts = cmd.optsWithGlobals<Partial<LoadOpts>>();
        if (!opts.wave || !opts.by) {
          process.stderr.write(
            `error: --wave and --by are required to load a coding sheet.\nwhat to do: census foi ${name === 'load' ? 'coding-sheet load' : 'code'} ${file} --wave 2024 --by "Your Name"\n`,
          );
          process.exitCode = 2;
          return;
        }
        process.exitCode = await loadAction(file, opts as LoadOpts);
      })
  );
}

export function codingSheetCommand(): Command {
  const cmd = new Command('coding-sheet')
    .description(
      'Write the coding sheet of a wave: one row per trust x question x period that still needs a person, the text found beside blank answer cells.',
    )
    .option('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--out <file>', 'the .xlsx to write')
    .option('--force', 'replace --out if it exists')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census foi coding-sheet --wave 2024 --out coding-2024.xlsx
  census foi coding-sheet --wave 2024 --out coding-2024.xlsx --force     replace an earlier sheet
  census foi coding-sheet load coding-2024.xlsx --wave 2024 --by "A. Researcher"
Rows: replies census could not read (scans), questions no reply answered, and figures for another age
band awaiting acceptance. An existing --out is replaced only with --force (a sheet being filled in is
not lost by running the command again); --out must end in .xlsx.`,
    )
    .action(async (opts: { wave?: string; out?: string; workspace?: string; force?: boolean }) => {
      if (!opts.wave || !opts.out) {
        process.stderr.write(
          'error: --wave and --out are required to write a coding sheet.\nwhat to do: census foi coding-sheet --wave 2024 --out coding-2024.xlsx\n',
        );
        process.exitCode = 2;
        return;
      }
      // Before the database starts: the file's name and an earlier sheet (perhaps half filled in).
      let out: string;
      try {
        out = outFile(opts.out, { extensions: ['.xlsx'], force: opts.force === true });
      } catch (err) {
        const e = asCensusError(err, 'checking --out');
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
        return;
      }
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave!);
        const { rows, bytes } = await buildCodingSheet(wave, ctx);
        writeFileSync(out, bytes);
        const by = (r: string) => rows.filter((x) => x.reason === r).length;
        process.stdout.write(
          `${wrapAtSpaces(
            `Wrote ${rows.length} row(s) to ${out}: ${by('manual_coding')} from replies that could not be read, ${by('uncoded')} unanswered, ${by('band_mismatch')} other age bands to accept.`,
            terminalWidth(),
          )}\n`,
        );
        return 0;
      });
    });
  cmd.addCommand(load('load'));
  return cmd;
}

/** `census foi code FILE`: the same as `census foi coding-sheet load FILE`. */
export function codeCommand(): Command {
  return load('code');
}
