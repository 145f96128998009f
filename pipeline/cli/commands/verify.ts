import { Command } from 'commander';
import { resolve } from 'node:path';
import { withCtx } from '../run.ts';

export function verifyCommand(): Command {
  return new Command('verify')
    .description('Rebuild a report from its manifest into a temporary folder and compare every file byte for byte.')
    .argument('<dir>', 'a folder written by census report')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Prints each file as identical, different, missing or extra, and what changed in the inputs
(source files, corrections, code version, migration level). Exit 1 if any file differs.

Examples:
  census verify report-2025`,
    )
    .action(async (dir: string, opts: { workspace?: string }) => {
      const { verifyReport } = await import('../../report/verify.ts');
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const v = await verifyReport(resolve(dir), ctx);
        for (const f of v.files) process.stdout.write(`${f.status.padEnd(9)}  ${f.path}\n`);
        for (const c of v.inputChanges) ctx.log.info(`input changed: ${c}`);
        ctx.log.info(
          v.ok
            ? `All ${v.files.length} files are identical.`
            : `${v.files.filter((f) => f.status !== 'identical').length} of ${v.files.length} files differ.`,
        );
        return v.ok ? 0 : 1;
      });
    });
}
