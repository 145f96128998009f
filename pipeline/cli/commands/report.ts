import { Command } from 'commander';
import { resolve } from 'node:path';
import { parseWave, withCtx } from '../run.ts';
import { questionListFor } from '../../waves.ts';
import { buildReport } from '../../report/build.ts';

export function reportCommand(): Command {
  return new Command('report')
    .description('Build the report of a wave from the database into a folder.')
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .requiredOption('--out <dir>', 'folder to write (created if missing)')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText('after', `
Examples:
  census report --wave 2025 --out report-2025`)
    .action(async (opts: { wave: string; out: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const list = questionListFor(wave, ctx.workspace.wavesDir);
        const out = resolve(opts.out);
        const { files } = await buildReport({ wave, list, out }, ctx);
        ctx.log.info(`Report for wave ${wave} written to ${out}:`);
        for (const f of files) ctx.log.info(`  ${f}`);
        return 0;
      });
    });
}
