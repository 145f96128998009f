import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { outFile } from '../format.ts';
import { parseWave, usageError } from '../run.ts';
import { asCensusError } from '../../../schemas/fault.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkSetting } from '../check.ts';

export function templateCommand(): Command {
  return new Command('template')
    .description('Write the blank questionnaire workbook of a wave from its question list.')
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .requiredOption('--out <file>', 'the .xlsx to write')
    .option('--force', 'replace --out if it exists')
    .option('--workspace <dir>', 'workspace folder, for extra question lists in its waves/ folder')
    .option(
      '--with-checker',
      'also write check-<wave>.html beside --out: a self-contained page where a team checks its filled workbook offline before sending it',
    )
    .addHelpText(
      'after',
      `
Examples:
  census template --wave 2025 --out questionnaire-2025.xlsx
  census template --wave 2025 --out questionnaire-2025.xlsx --force     replace an earlier copy
  census template --wave 2025 --out out/questionnaire-2025.xlsx --with-checker   also out/check-2025.html

The self-check page (--with-checker) is one HTML file to send with the template: opened in any
recent browser, even offline, it reads the team's filled workbook with the same reader and checks
as census check and lists every issue with its cell in plain words. The file never leaves the
team's computer. --force replaces it too.`,
    )
    .action(async (opts: { wave: string; out: string; workspace?: string; force?: boolean; withChecker?: boolean }) => {
      try {
        const wave = parseWave(opts.wave);
        const out = outFile(opts.out, { extensions: ['.xlsx'], force: opts.force === true });
        const checkerOut = opts.withChecker ? join(dirname(out), `check-${wave}.html`) : null;
        if (checkerOut && existsSync(checkerOut) && opts.force !== true)
          throw usageError(
            `${checkerOut} already exists; nothing was written.`,
            'Add --force to replace it (and the template), or write to another folder with --out.',
          );
        const wsDir = resolveWorkspaceDir(opts.workspace, process.env, process.cwd());
        const extra = existsSync(join(wsDir, 'census.json')) ? [loadWorkspace(wsDir).wavesDir] : [];
        const [{ buildTemplate }, { questionListFor }] = await Promise.all([
          import('../../../sources/questionnaire/template.ts'),
          import('../../runtime/waves.ts'),
        ]);
        const list = questionListFor(wave, extra[0] ?? null);
        const wb = buildTemplate(list, { created: new Date(`${wave}-01-01T00:00:00Z`) });
        const buf = Buffer.from(await wb.xlsx.writeBuffer());
        // The page first: a failure to build it leaves no template behind without its page.
        const page = checkerOut ? await checkerPageFor(list, opts.workspace) : null;
        writeFileSync(out, buf);
        if (checkerOut && page !== null) writeFileSync(checkerOut, page);
        process.stderr.write(
          `Wrote the wave ${wave} template (${list.questions.length} questions, version ${list.templateVersion}) to ${out}\n`,
        );
        if (checkerOut)
          process.stderr.write(
            `Wrote the self-check page to ${checkerOut} (send it with the template: a team opens it in a browser to check its filled workbook; nothing leaves their computer)\n`,
          );
        process.exitCode = 0;
      } catch (err) {
        const e = asCensusError(err, 'writing the template');
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
      }
    });
}

/** The self-check page of the wave, with the workspace's file limits (the shipped defaults without one). */
async function checkerPageFor(list: QuestionList, workspace: string | undefined): Promise<string> {
  const { limits } = checkSetting(workspace);
  const { checkerPage } = await import('../../checker/page.ts');
  return checkerPage(list, limits);
}
