import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { buildLetters } from '../../../foi/letters.ts';
import { parseWave, usageError, withCtx } from '../../run.ts';
import { textTable } from '../../../runtime/terminal.ts';
import { prose } from '../../format.ts';

export function lettersCommand(): Command {
  return new Command('letters')
    .description(
      "Write each trust's request of a wave as an e-mail (.eml, PDF attached) and a PDF letter: the questions, our reference and the statutory deadline, addressed to the trust's FOI office.",
    )
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .requiredOption('--out <dir>', 'folder to write the letters in (created if missing)')
    .requiredOption(
      '--from <sender>',
      'who the requests are from, e.g. "A. Researcher <a.researcher@example.ac.uk>"',
      (v: string) => v,
    )
    .option('--trust <ods>', 'one trust only')
    .option('--force', 'replace letters already in --out')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  census foi send --wave 2024 --sent 2024-03-11
  census foi letters --wave 2024 --out letters-2024 --from "A. Researcher <a.researcher@example.ac.uk>"
Writes <our ref> <ODS>.eml and .pdf per request, and letters.csv listing them. A request without our
reference is given the next PIP-FOI-<wave>-<nnn> (stored: replies quoting it are matched by it).
The FOI address comes from the trust list (reference/, columns foi_email and foi_email_source); where it is
not known the .eml's To: says "FOI address not known - add it before sending" (sent to no one as it is) and the
list says so: address those by hand.
The due date is the request's statutory one: 20 working days from the sent date (FOIA 2000 s10; FOISA 2002
s10 on Scottish holidays for Scottish boards). Works offline: the PDF is drawn by pdfkit.`,
    )
    .action(
      async (opts: {
        wave: string;
        out: string;
        from: string;
        trust?: string;
        force?: boolean;
        workspace?: string;
        json?: boolean;
      }) => {
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const wave = parseWave(opts.wave);
          if (!/<[^@\s<>]+@[^@\s<>]+>\s*$|^[^@\s<>]+@[^@\s<>]+$/.test(opts.from.trim()))
            throw usageError(
              `--from must name an e-mail address, not "${opts.from}".`,
              'Pass --from "Your Name <you@example.ac.uk>".',
            );
          const { letters, assigned } = await buildLetters(
            { wave, from: opts.from.trim(), ...(opts.trust ? { trust: opts.trust } : {}) },
            ctx,
          );
          const dir = resolve(opts.out);
          mkdirSync(dir, { recursive: true });
          const files = letters.flatMap((l) => [`${l.ourRef} ${l.ods}.eml`, `${l.ourRef} ${l.ods}.pdf`]);
          const there = [...files, 'letters.csv'].filter((f) => existsSync(join(dir, f)));
          if (there.length > 0 && !opts.force)
            throw usageError(
              `${there.length} file(s) already in ${dir} (e.g. ${there[0]}); nothing was written.`,
              'Add --force to replace them, or choose another --out.',
            );
          const q = (s: string | null) => (s === null ? '' : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
          const index = ['ods_code,trust,our_ref,law,sent,due,to,to_source,eml,pdf'];
          for (const l of letters) {
            const base = `${l.ourRef} ${l.ods}`;
            writeFileSync(join(dir, `${base}.eml`), l.eml);
            writeFileSync(join(dir, `${base}.pdf`), l.pdf);
            index.push(
              [
                l.ods,
                l.name,
                l.ourRef,
                l.law,
                l.received,
                l.due,
                l.to,
                l.to ? l.toSource : 'not known: address by hand',
                `${base}.eml`,
                `${base}.pdf`,
              ]
                .map(q)
                .join(','),
            );
          }
          writeFileSync(join(dir, 'letters.csv'), `${index.join('\n')}\n`);
          const unaddressed = letters.filter((l) => l.to === null);
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify(
                {
                  wave,
                  dir,
                  assigned,
                  letters: letters.map(({ eml: _e, pdf: _p, text: _t, ...rest }) => rest),
                },
                null,
                2,
              )}\n`,
            );
            return 0;
          }
          process.stdout.write(
            `${prose(`Wrote ${letters.length} request(s) of wave ${wave} to ${dir} (.eml and .pdf each, listed in letters.csv)${assigned ? `; ${assigned} given our reference now` : ''}.`)}\n\n`,
          );
          process.stdout.write(
            `${textTable(
              ['trust', 'name', 'our ref', 'law', 'due', 'to'],
              letters.map((l) => [l.ods, l.name, l.ourRef, l.law.toUpperCase(), l.due, l.to ?? '(not known)']),
            )}\n`,
          );
          if (unaddressed.length)
            process.stdout.write(
              `\n${prose(`${unaddressed.length} request(s) have no FOI address in the trust list (reference/ column foi_email): their .eml's To: says "FOI address not known - add it before sending": add the address there before sending.`)}\n`,
            );
          return 0;
        });
      },
    );
}
