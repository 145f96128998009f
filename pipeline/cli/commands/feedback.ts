import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
    .option(
      '--force',
      'replace feedback workbooks (and, with --emails, e-mails) of this wave already in the folders; other files are left alone',
    )
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
        // Before the database starts: feedback of this wave already written is not replaced without --force.
        const refusal = opts.force ? null : existingFeedback(opts, parseWave(opts.wave));
        if (refusal) {
          process.stderr.write(`error: ${refusal.message}\nwhat to do: ${refusal.hint}\n`);
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

/**
 * The files of a wave's feedback (workbooks in --out, e-mails in --emails) already there, as a usage
 * error naming them and --force; null when there are none. A folder path that is a file is refused too.
 */
function existingFeedback(
  opts: { out: string; emails?: string },
  wave: number,
): { message: string; hint: string } | null {
  const found: string[] = [];
  const clashing = new Set<string>();
  for (const [dir, ext, option] of [
    [opts.out, 'xlsx', '--out'],
    ...(opts.emails ? [[opts.emails, 'eml', '--emails'] as const] : []),
  ] as const) {
    const abs = resolve(dir);
    if (!existsSync(abs)) continue;
    if (!statSync(abs).isDirectory())
      return {
        message: `${option} ${safeName(dir)} is a file; feedback is written into a folder.`,
        hint: `Give a folder, e.g. ${option} feedback-${wave}.`,
      };
    const ours = new RegExp(`-${wave}-feedback(-[0-9a-z-]+)?\\.${ext}$`);
    for (const f of readdirSync(abs).sort())
      if (ours.test(f)) {
        found.push(join(dir, f));
        clashing.add(option);
      }
  }
  if (found.length === 0) return null;
  const shown = found.slice(0, 3).map(safeName).join(', ');
  return {
    message: `${shown}${found.length > 3 ? ` and ${found.length - 3} more` : ''} already exist${found.length === 1 ? 's' : ''}; nothing was written.`,
    hint: `Add --force to replace them (other files in the folder are left alone), or choose another ${[...clashing].join(' and ')}.`,
  };
}
