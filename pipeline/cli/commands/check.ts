import { Command } from 'commander';
import { asCensusError } from '../../../schemas/fault.ts';
import { safeName } from '../../runtime/terminal.ts';
import { checkFile, checkList, checkSetting, filesUnder, type CheckedFile } from '../check.ts';
import { exitCodes } from '../exit-codes.ts';
import { printList } from '../format.ts';
import { formatOf, withFormat, type OutputFormat } from '../options.ts';
import { parseWave } from '../run.ts';

/** The issues of checked files as one listing (the issue JSON shape of census issues, by file). */
export async function printChecked(checked: CheckedFile[], format: OutputFormat): Promise<void> {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(checked, null, 2)}\n`);
    return;
  }
  const rows = checked.flatMap((c) => c.issues.map((i) => ({ file: c.file, ...i })));
  await printList(format, rows, {
    columns: [
      { header: 'severity', value: (r) => r.severity },
      { header: 'code', value: (r) => r.code },
      { header: 'file', value: (r) => safeName(r.file) },
      { header: 'location', value: (r) => r.at },
      { header: 'message', value: (r) => r.message },
    ],
    empty: 'No issues found.',
  });
}

export function checkSummary(checked: CheckedFile[]): string {
  const loadable = checked.reduce((n, c) => n + c.returnsLoadable, 0);
  const rejected = checked.reduce((n, c) => n + c.returnsRejected, 0);
  const count = (s: string): number => checked.reduce((n, c) => n + c.issues.filter((i) => i.severity === s).length, 0);
  return `${checked.length} file(s): ${loadable} return(s) would load, ${rejected} would be kept out; issues: ${count('error')} error, ${count('warning')} warning, ${count('info')} info.`;
}

export function checkCommand(): Command {
  const cmd = new Command('check')
    .description(
      'Read and validate questionnaire returns as census ingest would, without storing or loading anything (no database needed).',
    )
    .argument('<paths...>', 'files or folders')
    .requiredOption('--wave <year>', 'wave the returns belong to, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder (its waves/ lists and limits); not needed for the shipped waves');
  withFormat(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  census check team-a.xlsx --wave 2025
  census check returns-2025/ --wave 2025 --format csv > issues.csv
Not checked here (they need the database): labels mapped with census questions map, the change
from the team's previous return, and whether the file was received before. Use census ingest --dry-run
for the same check with a summary of what would load.`,
  );
  cmd.action(async (paths: string[], opts: { wave: string; workspace?: string; format?: string; json?: boolean }) => {
    try {
      const wave = parseWave(opts.wave);
      const { wavesDir, limits } = checkSetting(opts.workspace);
      const list = checkList(wave, wavesDir, 'census check');
      const checked: CheckedFile[] = [];
      for (const f of filesUnder(paths)) checked.push(await checkFile(f, list, limits));
      const format = formatOf(opts);
      await printChecked(checked, format);
      if (format === 'text') process.stdout.write(`\n${checkSummary(checked)}\n`);
      process.exitCode = checked.some((c) => c.issues.some((i) => i.severity === 'error')) ? 1 : 0;
    } catch (err) {
      const e = asCensusError(err, 'checking the files');
      process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
      process.exitCode = e.exitCode;
    }
  });
  return exitCodes(
    cmd,
    `  0  done, no errors (warnings and info may be listed)
  1  a return has errors (an unreadable answer, or a problem that keeps the return out)
  2  usage error (no such file, an empty folder, not a questionnaire wave)
  3  environment fault`,
  );
}
