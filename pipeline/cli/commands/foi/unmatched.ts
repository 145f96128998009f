import { Command } from 'commander';
import { listUnmatched, matchByHand } from '../../../foi/unmatched.ts';
import { parseWave, withCtx } from '../../run.ts';
import { safeName, textTable } from '../../../runtime/terminal.ts';

export function unmatchedCommand(): Command {
  return new Command('unmatched')
    .description('List the replies of a wave matched to no request, waiting for a person.')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--json', 'print JSON on stdout')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census foi unmatched --wave 2024
Then match one: census foi match --file <file name or sha256 prefix> --trust ODS --by "Your Name" --wave 2024`,
    )
    .action(async (opts: { wave: string; json?: boolean; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const rows = await listUnmatched(wave, ctx);
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write(`No unmatched replies in wave ${wave}.\n`);
        else {
          process.stdout.write(
            `${textTable(
              ['sha256', 'file', 'kind', 'why', 'candidates', 'hints'],
              rows.map((r) => [
                r.sha256.slice(0, 12),
                safeName(r.file),
                r.kind,
                r.why,
                r.candidates
                  .slice(0, 5)
                  .map((c) => c.ods)
                  .join(', ') + (r.candidates.length > 5 ? ` (+${r.candidates.length - 5})` : ''),
                Object.entries(r.hint)
                  .filter(([k]) => k !== 'candidates' && k !== 'refText')
                  .map(([k, v]) => `${k}: ${safeName(typeof v === 'string' ? v : JSON.stringify(v))}`)
                  .join('; '),
              ]),
            )}\n`,
          );
        }
        return 0;
      });
    });
}

export function matchCommand(): Command {
  return new Command('match')
    .description(
      'Match one reply to the request sent to a trust, by hand (method "manual"); kept through later re-ingests.',
    )
    .requiredOption(
      '--file <name|path|sha256>',
      'the reply: its file name as received (or part of it), a path to the file, or at least 6 characters of its sha256 (census foi unmatched shows them); a name that fits several replies lists them (exit 2)',
    )
    .requiredOption('--trust <ods>', 'ODS code of the trust it answers')
    .requiredOption('--by <name>', 'who is making the match')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--workspace <dir>', 'workspace folder')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census foi match --file 3fa29c1e --trust RXT --by "A. Researcher" --wave 2024
  census foi match --file "SCAN_20240402_2337.pdf" --trust RYG --by "A. Researcher" --wave 2024
Unmatched attachments of the same e-mail are matched with it.`,
    )
    .action(
      async (opts: { file: string; trust: string; by: string; wave: string; workspace?: string; wait?: boolean }) => {
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          const m = await matchByHand({ wave, file: opts.file, trust: opts.trust, by: opts.by }, ctx);
          process.stdout.write(
            `Matched ${safeName(m.file)} (${m.sha256.slice(0, 12)}) to ${m.trust} by hand (${opts.by}).\n`,
          );
          if (m.attachments.length)
            process.stdout.write(
              `With it, ${m.attachments.length} attachment(s): ${m.attachments.map((a) => a.slice(0, 12)).join(', ')}.\n`,
            );
          return 0;
        });
      },
    );
}
