import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseIsoOption } from '../../../foi/dates.ts';
import { EXPORT_KINDS, exportTable, tableCsv, tableXlsx, type ExportKind } from '../../../foi/exports.ts';
import { outFile } from '../../format.ts';
import { parseWave, usageError, withCtx } from '../../run.ts';
import { terminalWidth, wrapAtSpaces } from '../../../runtime/terminal.ts';

const FORMATS = ['csv', 'xlsx'] as const;

export function exportCommand(): Command {
  return new Command('export')
    .description('Write the request register, the status of every request or the chase list of a wave as csv or xlsx.')
    .argument('<what>', EXPORT_KINDS.join(' | '))
    .requiredOption('--wave <year>', 'FOI wave, e.g. 2024')
    .option('--format <format>', 'csv | xlsx (default: from --out)')
    .option('--out <file>', 'file to write (.csv or .xlsx); csv goes to stdout without it')
    .option('--as-of <date>', 'the day to take status and chase list on (YYYY-MM-DD); default today')
    .option('--force', 'replace --out if it exists')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census foi export register --wave 2024 --out register-2024.xlsx
  census foi export status --wave 2024 --as-of 2024-05-31 --out status-2024.csv
  census foi export chase --wave 2024 --format csv > chase.csv
register: references, dates, statutory due date and how it was computed, FOI address and its source.
status: status, due date after clarifications and extensions, first reply and whether within time,
exemptions, internal review requested and due (20 working days), ICO complaint/decision, retracted events,
and each question's outcome. chase: every request overdue or long overdue, with the days elapsed.`,
    )
    .action(
      async (
        what: string,
        opts: { wave: string; format?: string; out?: string; asOf?: string; force?: boolean; workspace?: string },
      ) => {
        process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
          const wave = parseWave(opts.wave);
          if (!(EXPORT_KINDS as readonly string[]).includes(what))
            throw usageError(
              `Export one of ${EXPORT_KINDS.join(', ')}, not "${what}".`,
              'e.g. census foi export chase --wave 2024 --out chase.csv',
            );
          const fromOut = opts.out?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : opts.out ? 'csv' : undefined;
          const format = opts.format ?? fromOut ?? 'csv';
          if (!(FORMATS as readonly string[]).includes(format))
            throw usageError(
              `--format must be one of ${FORMATS.join(', ')}, not "${format}".`,
              'Pass --format csv or --format xlsx.',
            );
          if (format === 'xlsx' && !opts.out)
            throw usageError(
              'An xlsx needs --out: it is not written to the terminal.',
              `Pass --out ${what}-${wave}.xlsx.`,
            );
          const asOf = opts.asOf === undefined ? undefined : parseIsoOption(opts.asOf, '--as-of');
          // Without --format, --out's extension chooses: one of .csv and .xlsx (the error names both).
          const extensions = opts.format ? [`.${format}`] : ['.csv', '.xlsx'];
          const out = opts.out ? outFile(opts.out, { extensions, force: opts.force === true }) : null;
          const table = await exportTable({ wave, kind: what as ExportKind, ...(asOf ? { asOf } : {}) }, ctx);
          if (format === 'xlsx') writeFileSync(out!, await tableXlsx(table, ctx.clock.now()));
          else if (out) writeFileSync(out, tableCsv(table));
          else process.stdout.write(tableCsv(table));
          if (out)
            process.stdout.write(
              `${wrapAtSpaces(`Wrote ${table.rows.length} row(s) to ${out}: ${table.title}.`, terminalWidth())}\n`,
            );
          return 0;
        });
      },
    );
}
