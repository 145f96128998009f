import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseWave, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { writeFeedback } from '../../feedback/index.ts';

export function feedbackCommand(): Command {
  return new Command('feedback')
    .description(
      "Write a workbook per team return with issues (loaded or rejected), to send back: the team's own workbook with each issue marked on its cell and a summary sheet first.",
    )
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .requiredOption('--out <dir>', 'folder to write into (created if needed)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the list of files written as JSON on stdout')
    .option('--emails <dir>', 'also write a covering e-mail per team (.eml, the workbook attached) into this folder')
    .option('--force', 'write into --out even if it already holds files (replacing those of the same name)')
    .addHelpText(
      'after',
      `
Examples:
  census feedback --wave 2025 --out feedback-2025
  census feedback --wave 2025 --out feedback-2025 --json
  census feedback --wave 2025 --out feedback-2025 --emails feedback-2025-mail   .eml per team, ready to send
Files are named from the team name (letters, digits and "-" only), e.g.
north-star-parent-infant-team-2025-feedback.xlsx. A survey export (one file, many teams) gets a
summary workbook per team instead of an annotated copy. The summary never shows the respondent's
name or e-mail; the annotated copy is the team's own file, as they sent it.`,
    )
    .action(
      async (opts: {
        wave: string;
        out: string;
        emails?: string;
        workspace?: string;
        json?: boolean;
        force?: boolean;
      }) => {
        // Before the database starts: a folder that already holds files is not written over without --force.
        const out = resolve(opts.out);
        if (!opts.force && existsSync(out) && readdirSync(out).length > 0) {
          process.stderr.write(
            `error: ${safeName(out)} already holds files; nothing was written.\nwhat to do: Add --force to write into it (files of the same name are replaced), or choose another --out.\n`,
          );
          process.exitCode = 2;
          return;
        }
        process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
          const wave = parseWave(opts.wave);
          const dir = resolve(opts.out);
          const files = await writeFeedback(
            { wave, outDir: dir, ...(opts.emails ? { emailsDir: resolve(opts.emails) } : {}) },
            ctx,
          );
          if (opts.json) process.stdout.write(`${JSON.stringify({ dir, files }, null, 2)}\n`);
          else if (files.length === 0)
            process.stdout.write(`No return of wave ${wave} has issues: no feedback written.\n`);
          else {
            process.stdout.write(
              `${textTable(
                ['file', 'team', 'kind', 'issues'],
                files.map((f) => [f.file, safeName(f.team), f.kind, f.issues]),
              )}\n`,
            );
            process.stdout.write(`\n${files.length} feedback workbook(s) written to ${safeName(dir)}.\n`);
            if (opts.emails)
              process.stdout.write(
                `${files.length} covering e-mail(s) (.eml) written to ${safeName(resolve(opts.emails))}.\n`,
              );
          }
          return 0;
        });
      },
    );
}
