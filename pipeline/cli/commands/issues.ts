import { Command } from 'commander';
import { parseWave, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { listIssues } from '../../db/issue-rows.ts';

export function issuesCommand(): Command {
  return new Command('issues')
    .description('List the data issues found in a wave: code, severity, file, location, message.')
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder')
    .option('--severity <level>', 'only error, warning or info')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', `
Examples:
  census issues --wave 2025
  census issues --wave 2025 --severity error --json`)
    .action(async (opts: { wave: string; workspace?: string; json?: boolean; severity?: string }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const rows = await listIssues(ctx.db, wave, opts.severity);
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write(`No data issues for wave ${wave}.\n`);
        else process.stdout.write(`${textTable(['severity', 'code', 'file', 'location', 'message'], rows.map((r) => [r.severity, r.code, safeName(r.file), r.location, r.message]))}\n`);
        return rows.some((r) => r.severity === 'error') ? 1 : 0;
      });
    });
}
