import { Command } from 'commander';
import { listUnmatched, matchByHand, unmatchByHand } from '../../../foi/unmatched.ts';
import { parseWave, withCtx } from '../../run.ts';
import { safeName } from '../../../runtime/terminal.ts';
import { printList } from '../../format.ts';
import { formatOf, withFormat } from '../../options.ts';

export function unmatchedCommand(): Command {
  const cmd = new Command('unmatched')
    .description('List the replies of a wave matched to no request, waiting for a person.')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--workspace <dir>', 'workspace folder');
  withFormat(cmd);
  return cmd
    .addHelpText(
      'after',
      `
Examples:
  census foi unmatched --wave 2024
  census foi unmatched --wave 2024 --format csv > unmatched-2024.csv
Then match one: census foi match --file <file name or sha256 prefix> --trust ODS --by "Your Name" --wave 2024
--format json is an array of unmatched replies (README: JSON output).`,
    )
    .action(async (opts: { wave: string; json?: boolean; format?: string; workspace?: string }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const rows = await listUnmatched(wave, ctx);
        const format = formatOf(opts);
        const top = format === 'csv' ? Infinity : 5;
        await printList(format, rows, {
          columns: [
            { header: 'sha256', value: (r) => (format === 'csv' ? r.sha256 : r.sha256.slice(0, 12)) },
            { header: 'file', value: (r) => safeName(r.file) },
            { header: 'kind', value: (r) => r.kind },
            { header: 'why', value: (r) => r.why },
            {
              header: 'candidates',
              value: (r) =>
                r.candidates
                  .slice(0, top)
                  .map((c) => c.ods)
                  .join(', ') + (r.candidates.length > top ? ` (+${r.candidates.length - top})` : ''),
            },
            {
              header: 'hints',
              value: (r) =>
                Object.entries(r.hint)
                  .filter(([k]) => k !== 'candidates' && k !== 'refText')
                  .map(([k, v]) => `${k}: ${safeName(typeof v === 'string' ? v : JSON.stringify(v))}`)
                  .join('; '),
            },
          ],
          json: (r) => ({ wave, ...r }),
          empty: `No unmatched replies in wave ${wave}.`,
        });
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
    .requiredOption(
      '--trust <ods>',
      'ODS code of the trust it answers; several separated by commas for a joint reply from a shared FOI office (each trust then gets its own rows: the reply is read again)',
    )
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
  census foi match --file "Joint FOI response.pdf" --trust RTQ,R1A --by "A. Researcher" --wave 2024
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

/**
 * `census foi unmatch FILE`: a wrong match undone, the reply sent back to the queue of unmatched replies.
 * The same domain function as the review desk's "Send back to the queue" (unmatchByHand), so the same
 * checks, write lock and audit entry (foi_unmatch) under the name given.
 */
export function unmatchCommand(): Command {
  return new Command('unmatch')
    .description(
      'Send a matched reply back to the queue of unmatched replies (a wrong match undone): it feeds no figure until a person matches it again.',
    )
    .argument(
      '<file>',
      'the reply: its file name as received (or part of it), a path to the file, or at least 6 characters of its sha256; a name that fits several replies lists them (exit 2)',
    )
    .requiredOption('--by <name>', 'who is sending it back')
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--workspace <dir>', 'workspace folder')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census foi unmatch 3fa29c1e --by "A. Researcher" --wave 2024
  census foi unmatch "RXT FOI response.pdf" --by "A. Researcher" --wave 2024
Its request has no reply again; the reply stays stored with what was read from it, matched to no
request, and stays so through later ingests until a person matches it (census foi match). Attachments
matched with it go back with it; a joint reply's rows for every trust go. Audit-logged (foi_unmatch).
A reply matched to no request already, or in a locked wave, is refused (exit 2).`,
    )
    .action(async (file: string, opts: { by: string; wave: string; workspace?: string; wait?: boolean }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const u = await unmatchByHand({ wave, file, by: opts.by }, ctx);
        process.stdout.write(
          `Sent ${safeName(u.file)} (${u.sha256.slice(0, 12)}) back to the queue of unmatched replies; it was matched to ${u.was.join(', ') || 'no trust'} (${opts.by}).\n`,
        );
        if (u.attachments.length)
          process.stdout.write(
            `With it, ${u.attachments.length} attachment(s): ${u.attachments.map((a) => a.slice(0, 12)).join(', ')}.\n`,
          );
        process.stdout.write(
          `Match it again: census foi match --file ${u.sha256.slice(0, 12)} --trust ODS --by NAME --wave ${wave}\n`,
        );
        return 0;
      });
    });
}
