import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { outFile } from '../format.ts';
import { parseWave } from '../run.ts';
import { asCensusError } from '../../../schemas/fault.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function templateCommand(): Command {
  return new Command('template')
    .description('Write the blank questionnaire workbook of a wave from its question list.')
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .requiredOption('--out <file>', 'the .xlsx to write')
    .option('--force', 'replace --out if it exists')
    .option('--workspace <dir>', 'workspace folder, for extra question lists in its waves/ folder')
    .addHelpText(
      'after',
      `
Examples:
  census template --wave 2025 --out questionnaire-2025.xlsx
  census template --wave 2025 --out questionnaire-2025.xlsx --force     replace an earlier copy`,
    )
    .action(async (opts: { wave: string; out: string; workspace?: string; force?: boolean }) => {
      try {
        const wave = parseWave(opts.wave);
        const out = outFile(opts.out, { extensions: ['.xlsx'], force: opts.force === true });
        const wsDir = resolveWorkspaceDir(opts.workspace, process.env, process.cwd());
        const extra = existsSync(join(wsDir, 'census.json')) ? [loadWorkspace(wsDir).wavesDir] : [];
        const [{ buildTemplate }, { questionListFor }] = await Promise.all([
          import('../../../sources/questionnaire/template.ts'),
          import('../../runtime/waves.ts'),
        ]);
        const list = questionListFor(wave, extra[0] ?? null);
        const wb = buildTemplate(list, { created: new Date(`${wave}-01-01T00:00:00Z`) });
        const buf = Buffer.from(await wb.xlsx.writeBuffer());
        writeFileSync(out, buf);
        process.stderr.write(
          `Wrote the wave ${wave} template (${list.questions.length} questions, version ${list.templateVersion}) to ${out}\n`,
        );
        process.exitCode = 0;
      } catch (err) {
        const e = asCensusError(err, 'writing the template');
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
      }
    });
}
