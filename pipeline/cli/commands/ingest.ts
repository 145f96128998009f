import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { IngestSummary } from '../../ingest/job.ts';
import { parseWave, usageError, withCtx } from '../run.ts';
import { asCensusError } from '../../../schemas/fault.ts';
import { safeName, terminalWidth, textTable, wrapAtSpaces } from '../../runtime/terminal.ts';
import { formatLocation } from '../../../schemas/issue.ts';
import { compareIssues, csvText, prose, type ListColumn } from '../format.ts';
import { formatOf, withFormat, type OutputFormat } from '../options.ts';
import { parseIsoOption } from '../../foi/dates.ts';

export function printSummary(s: IngestSummary, out: NodeJS.WritableStream, width = terminalWidth()): void {
  // An FOI batch loads replies, not questionnaire returns: its summary says so.
  const foi =
    s.files.some((f) => f.kind.startsWith('foi_')) &&
    s.files.every((f) => f.kind.startsWith('foi_') || f.kind === 'none');
  const what = foi ? 'replies' : 'returns';
  out.write(`\nIngest run ${s.runId}, wave ${s.wave}\n\n`);
  out.write(
    `${textTable(
      ['file', 'kind', 'status', `${what} loaded`, 'rejected', 'errors', 'warnings'],
      s.files.map((f) => [
        safeName(f.name),
        f.kind,
        f.status,
        f.returnsLoaded,
        f.returnsRejected,
        f.issues.filter((i) => i.severity === 'error').length,
        f.issues.filter((i) => i.severity === 'warning').length,
      ]),
      width,
    )}\n\n`,
  );
  const perFile = s.files.filter((f) => f.issues.length > 0);
  if (perFile.length) {
    out.write('Issues per code per file:\n');
    for (const f of perFile) {
      const counts = new Map<string, number>();
      for (const i of f.issues) counts.set(`${i.severity} ${i.code}`, (counts.get(`${i.severity} ${i.code}`) ?? 0) + 1);
      const line = `  ${safeName(f.name)}: ${[...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${k} x${n}`)
        .join(', ')}`;
      out.write(`${wrapAtSpaces(line, width)}\n`);
    }
    // The issues as census issues lists them: a table fitted to the terminal, whole lines when piped.
    out.write('\nDetail:\n');
    const rows = perFile.flatMap((f) =>
      [...f.issues]
        .sort((x, y) =>
          compareIssues({ ...x, file: f.name, where: x.location }, { ...y, file: f.name, where: y.location }),
        )
        .map((i) => [i.severity, i.code, safeName(f.name), formatLocation(i.location), i.message]),
    );
    out.write(`${textTable(['severity', 'code', 'file', 'location', 'message'], rows, width)}\n\n`);
  }
  out.write(
    `${wrapAtSpaces(
      `Files: ${s.files.length}   ${what} loaded: ${s.returnsLoaded}   rejected: ${s.returnsRejected}   issues: ${s.issuesBySeverity.error} error, ${s.issuesBySeverity.warning} warning, ${s.issuesBySeverity.info} info`,
      width,
    )}\n`,
  );
}

/** `ingest --format csv`: one row per file of the run. */
const SUMMARY_COLUMNS: ListColumn<IngestSummary['files'][number]>[] = [
  { header: 'file', value: (f) => f.name },
  { header: 'sha256', value: (f) => f.hash },
  { header: 'kind', value: (f) => f.kind },
  { header: 'status', value: (f) => f.status },
  { header: 'returns loaded', value: (f) => f.returnsLoaded },
  { header: 'rejected', value: (f) => f.returnsRejected },
  ...(['error', 'warning', 'info'] as const).map((s) => ({
    header: s === 'error' ? 'errors' : s === 'warning' ? 'warnings' : 'info',
    value: (f: IngestSummary['files'][number]) => f.issues.filter((i) => i.severity === s).length,
  })),
];

/** The label an unmatched-label issue names: its column, else the quoted text of its message. */
function unmatchedLabel(i: { code: string; message: string; location: { column?: string } }): string | null {
  if (i.code !== 'label_unmatched' && i.code !== 'header_unmatched') return null;
  if (i.location.column && !/^column \d+$/.test(i.location.column)) return i.location.column;
  const m = /^(?:Row \d+ \("(.*?)"\)|Column "(.*?)") /.exec(i.message);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

type DryRunOpts = { wave: string; workspace?: string; format: OutputFormat; database?: boolean };

/** One row per file of a questionnaire dry run (`--format csv`), a file of the same bytes as an earlier one included. */
type DryRunRow = {
  file: string;
  sha256: string | null;
  loadable: number | null;
  rejected: number | null;
  issues: { severity: string }[];
  sameAs: string | null;
};
const count = (r: DryRunRow, severity: string): number | null =>
  r.sameAs === null ? r.issues.filter((i) => i.severity === severity).length : null;
const DRY_RUN_COLUMNS: ListColumn<DryRunRow>[] = [
  { header: 'file', value: (r) => r.file },
  { header: 'sha256', value: (r) => r.sha256 },
  { header: 'would load', value: (r) => r.loadable },
  { header: 'kept out', value: (r) => r.rejected },
  { header: 'errors', value: (r) => count(r, 'error') },
  { header: 'warnings', value: (r) => count(r, 'warning') },
  { header: 'info', value: (r) => count(r, 'info') },
  { header: 'same bytes as', value: (r) => r.sameAs },
];

/**
 * `ingest --dry-run`: every file read and validated, nothing stored; files with the same bytes named;
 * on a questionnaire wave, the labels the wave's stored label map would map (the workspace database,
 * opened read-only); on an FOI wave, each reply as census check shows it. Exit 1 when errors were found.
 */
async function dryRun(paths: string[], opts: DryRunOpts): Promise<number> {
  const [
    { checkFile, checkList, checkSetting, filesUnder },
    { checkSummary, checkFoiFiles, printReplies },
    { isFoiWave },
    waves,
  ] = await Promise.all([
    import('../check.ts'),
    import('./check.ts'),
    import('../../foi/wave.ts'),
    import('../../runtime/waves.ts'),
  ]);
  const wave = parseWave(opts.wave);
  const { wavesDir, limits } = checkSetting(opts.workspace);
  const files = filesUnder(paths);
  // The same bytes twice in one batch: ingest stores them once and skips the copy.
  const firstOf = new Map<string, string>();
  const duplicates: { file: string; sameAs: string }[] = [];
  for (const f of files) {
    const h = createHash('sha256').update(readFileSync(f)).digest('hex');
    const first = firstOf.get(h);
    if (first === undefined) firstOf.set(h, f);
    else duplicates.push({ file: f, sameAs: first });
  }
  const dupText = duplicates.length
    ? `\nSame bytes as an earlier file of this batch (ingest stores them once and skips the copy):\n${duplicates.map((d) => `  ${safeName(d.file)} = ${safeName(d.sameAs)}`).join('\n')}\n`
    : '';
  if (!waves.hasQuestionnaireWave(wave, wavesDir) && isFoiWave(wave, wavesDir)) {
    // The shape of a questionnaire dry run ({dryRun, wave, files, duplicates}), files as check --json's;
    // the text paged as one, the files of the same bytes after the replies.
    return checkFoiFiles(
      files.filter((f) => !duplicates.some((d) => d.file === f)),
      wave,
      { ...opts, json: opts.format === 'json' },
      { wavesDir, limits },
      async (replies, format, matched) => {
        if (format === 'json')
          process.stdout.write(`${JSON.stringify({ dryRun: true, wave, files: replies, duplicates }, null, 2)}\n`);
        else
          await printReplies(replies, format, matched, {
            before: 'Dry run: nothing was stored or loaded.\n\n',
            after: dupText,
          });
      },
    );
  }
  const list = checkList(wave, wavesDir, 'ingest --dry-run');
  const checked: Awaited<ReturnType<typeof checkFile>>[] = [];
  for (const f of files) if (!duplicates.some((d) => d.file === f)) checked.push(await checkFile(f, list, limits));
  // Labels of hand-made workbooks that matched no question: the stored label map (census questions map) may map them.
  const labels = checked.flatMap((c) =>
    c.issues.flatMap((i) => {
      const label = unmatchedLabel(i);
      return label === null ? [] : [{ file: c.file, label, at: i.at }];
    }),
  );
  let mapped: { file: string; label: string; at: string; questionId: string | null }[] | null = null;
  if (labels.length > 0 && wavesDir !== null && opts.database !== false) {
    const found = await withCtx(
      { ...opts, json: opts.format !== 'text' },
      { writes: false, readOnly: true },
      async (ctx) => {
        const [{ labelMapFor }, { normaliseLabel }] = await Promise.all([
          import('../../ingest/questionnaire/label-map.ts'),
          import('../../../sources/shared/label-match.ts'),
        ]);
        const map = new Map((await labelMapFor(ctx.db, wave)).map((m) => [normaliseLabel(m.label), m.questionId]));
        mapped = labels.flatMap((l) => {
          const key = normaliseLabel(l.label);
          return map.has(key) ? [{ ...l, questionId: map.get(key)! }] : [];
        });
        return 0;
      },
    );
    if (found !== 0) return found;
  }
  const mappedList = mapped as { file: string; label: string; at: string; questionId: string | null }[] | null;
  if (opts.format === 'json')
    process.stdout.write(
      `${JSON.stringify({ dryRun: true, wave, files: checked, duplicates, unmatchedLabels: labels, mappedLabels: mappedList }, null, 2)}\n`,
    );
  else if (opts.format === 'csv')
    // One row per file in the order given; a file of the same bytes as an earlier one names it and counts nothing.
    process.stdout.write(
      csvText(
        DRY_RUN_COLUMNS,
        files.map((f): DryRunRow => {
          const same = duplicates.find((d) => d.file === f);
          const c = same ? undefined : checked.find((x) => x.file === f);
          return {
            file: f,
            sha256: c?.sha256 ?? null,
            loadable: c?.returnsLoadable ?? null,
            rejected: c?.returnsRejected ?? null,
            issues: c?.issues ?? [],
            sameAs: same?.sameAs ?? null,
          };
        }),
      ),
    );
  else {
    const mapText =
      labels.length === 0
        ? ''
        : mappedList === null
          ? `\n${labels.length} label(s) matched no question; the wave's label map (census questions map) was not consulted (no workspace database, or --no-database).\n`
          : `\n${labels.length} label(s) matched no question; the wave's label map maps ${mappedList.length} of them:\n${textTable(
              ['file', 'where', 'label', 'mapped to'],
              labels.map((l) => {
                const m = mappedList.find((x) => x.file === l.file && x.at === l.at);
                return [
                  safeName(l.file),
                  l.at,
                  l.label,
                  m ? (m.questionId ?? '(ignored)') : 'not mapped: census questions map',
                ];
              }),
            )}\n`;
    process.stdout.write(
      `Dry run: nothing was stored or loaded.\n\n${textTable(
        ['file', 'would load', 'kept out', 'errors', 'warnings'],
        checked.map((c) => [
          safeName(c.file),
          c.returnsLoadable,
          c.returnsRejected,
          c.issues.filter((i) => i.severity === 'error').length,
          c.issues.filter((i) => i.severity === 'warning').length,
        ]),
      )}\n${dupText}${mapText}\n${prose(checkSummary(checked))}\nThe issues: census check ${paths.join(' ')} --wave ${wave}\n`,
    );
  }
  return checked.some((c) => c.issues.some((i) => i.severity === 'error')) ? 1 : 0;
}

export function ingestCommand(): Command {
  const cmd = new Command('ingest')
    .description('Receive files (or folders of files) for a wave, then extract, validate, normalise and load them.')
    .argument('<paths...>', 'files or folders')
    .requiredOption('--wave <year>', 'wave the files belong to, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder');
  return withFormat(cmd)
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .option(
      '--dry-run',
      'read and validate the files and print what would load; store, load and record nothing (see below for the database)',
    )
    .option('--no-database', "with --dry-run: do not open the workspace's database (no label map, no FOI matching)")
    .option(
      '--received <date>',
      'FOI replies: the day these files arrived (YYYY-MM-DD); dates each reply, before any date found inside it',
    )
    .option(
      '--accept-wave-stamp',
      "questionnaire: load returns whose template's wave stamp or Date completed says another wave (otherwise kept out as wrong_wave)",
    )
    .addHelpText(
      'after',
      `
Examples:
  census ingest returns-2025/ --wave 2025
  census ingest team-a.xlsx team-b.xlsx --wave 2025 --json
  census ingest returns-2025/ --wave 2025 --dry-run
  census ingest returns-2025/ --wave 2025 --dry-run --format csv > would-load.csv
  census ingest "FOI 0744-2024 response.pdf" --wave 2024 --received 2024-04-08
An FOI reply is dated by --received, else its own date (an e-mail's Date header, a letter's date), else its
covering e-mail's; a reply with none of these is dated the day it is ingested, with an info issue saying so.
Files already ingested with the same rules are skipped; each file loads in its own transaction.
A folder holding no files, or a path that does not exist, is a usage error (exit 2) said before the
database starts: nothing is recorded.
--dry-run checks as census check does and lists per file whether its returns would load, and the files of
the batch with the same bytes as an earlier one (stored once). Questionnaire: labels that match no
question are looked up in the wave's label map (census questions map), which needs the workspace
database: it is opened read-only, only when there are such labels (--no-database: not consulted);
the change from the team's previous return is not checked. FOI: each reply as census check shows it
(matched to a request through the database, opened read-only, or the trust it names).
--format csv: one row per file (file, sha256, kind, status, returns loaded, rejected, errors, warnings, info);
with --dry-run, per file whether its returns would load (file, sha256, would load, kept out, errors,
warnings, info, same bytes as), or for FOI replies the values and answers found, as census check --format csv.
With --json (--format json) or csv, stdout holds only that, written at the end; the progress bar is not
shown (a status line while the database starts still is, on stderr, on a terminal).`,
    )
    .action(
      async (
        paths: string[],
        opts: {
          wave: string;
          workspace?: string;
          json?: boolean;
          format?: string;
          wait?: boolean;
          acceptWaveStamp?: boolean;
          dryRun?: boolean;
          received?: string;
          database?: boolean;
        },
      ) => {
        // Before the database starts: nothing to read is said at once (exit 2), not "0 files" (exit 0).
        try {
          const { listInputFiles } = await import('../../ingest/receive.ts');
          const found = listInputFiles(paths);
          // A path that does not exist is said at once too (as the job would, after the database started).
          if (found.missing.length > 0)
            throw usageError(`Not found: ${found.missing.join(', ')}`, 'Check the paths given to census ingest.');
          if (found.missing.length === 0 && found.files.length === 0 && found.skipped.length === 0)
            throw usageError(
              `No files to ingest in ${paths.join(', ')}.`,
              'Give the folder the returns were saved in, or the files themselves.',
            );
          if (opts.dryRun) {
            process.exitCode = await dryRun(paths, { ...opts, format: formatOf(opts) });
            return;
          }
        } catch (err) {
          const e = asCensusError(err, 'reading the files');
          process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
          process.exitCode = e.exitCode;
          return;
        }
        const format = formatOf(opts);
        process.exitCode = await withCtx(
          { ...opts, json: format !== 'text' },
          { writes: true, progress: true },
          async (ctx) => {
            const wave = parseWave(opts.wave);
            const received = opts.received === undefined ? undefined : parseIsoOption(opts.received, '--received');
            // Loaded on use: the readers pull in exceljs and friends, which --help should not pay for.
            const [{ ingest }, { processorFor }, { labelMapFor }] = await Promise.all([
              import('../../ingest/job.ts'),
              import('../../ingest/processors.ts'),
              import('../../ingest/questionnaire/label-map.ts'),
            ]);
            const processor = await processorFor(
              wave,
              ctx.workspace.wavesDir,
              ctx.workspace.config.limits,
              {
                acceptWaveStamp: opts.acceptWaveStamp === true,
                // The labels mapped with `census questions map` (part of each file's rule version).
                labelMap: await labelMapFor(ctx.db, wave),
              },
              received === undefined ? {} : { received },
            );
            const summary = await ingest({ paths, wave, processor, command: `ingest --wave ${wave}` }, ctx);
            // Each issue as everywhere: its location an object, `at` its printed form.
            if (format === 'csv') process.stdout.write(csvText(SUMMARY_COLUMNS, summary.files));
            else if (format === 'json')
              process.stdout.write(
                `${JSON.stringify(
                  {
                    ...summary,
                    files: summary.files.map((f) => ({
                      ...f,
                      issues: f.issues.map((i) => ({ ...i, at: formatLocation(i.location) })),
                    })),
                  },
                  null,
                  2,
                )}\n`,
              );
            else printSummary(summary, process.stdout);
            if (summary.issuesBySeverity.error === 0) return 0;
            // Errors of a return superseded (or withdrawn) meanwhile wait for no follow-up.
            const { hasOpenErrors, settledFiles } = await import('../../returns/open-errors.ts');
            const settled = await settledFiles(ctx.db, wave);
            const errors = summary.files.flatMap((f) =>
              f.issues.map((i) => ({ severity: i.severity, sha256: f.hash })),
            );
            return hasOpenErrors(errors, settled) ? 1 : 0;
          },
        );
      },
    );
}
