import { Command } from 'commander';
import { EXIT_CODES_NO_ISSUES_HELP } from '../exit-codes.ts';
import { listCommand } from './questions-list.ts';
import { csvText, pageOut } from '../format.ts';
import { formatOf, withFormat } from '../options.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { EXIT, parseWave, usageError, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { asCensusError, CensusError } from '../../../schemas/fault.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { questionListFor } from '../../runtime/waves.ts';
import { questionsDiff, type BandsChange, type QuestionsDiff } from '../../../schemas/waves/index.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';

/** The workspace's waves/ folder when there is a workspace; the shipped lists alone otherwise (no database needed). */
function wavesDir(flag: string | undefined): string | null {
  try {
    return loadWorkspace(resolveWorkspaceDir(flag, process.env, process.cwd())).wavesDir;
  } catch (err) {
    if (err instanceof CensusError && err.code === 'workspace_missing' && flag === undefined) return null;
    throw err;
  }
}

const bands = (b: BandsChange['from']): string =>
  b.map((x) => (x.high === null ? `${x.low}+` : `${x.low}-${x.high}`)).join(', ') || '(none)';

export function diffText(a: QuestionList, b: QuestionList, d: QuestionsDiff): string {
  const label = (l: QuestionList, id: string): string => l.questions.find((q) => q.id === id)?.label ?? '';
  const parts: string[] = [`Questions of wave ${a.wave} -> ${b.wave}`];
  const section = (title: string, headers: string[], rows: (string | number)[][]): void => {
    parts.push(`\n${title} (${rows.length})`);
    if (rows.length) parts.push(textTable(headers, rows));
  };
  section(
    'Added',
    ['id', `${b.wave} label`],
    d.added.map((id) => [id, label(b, id)]),
  );
  section(
    'Removed',
    ['id', `${a.wave} label`],
    d.removed.map((id) => [id, label(a, id)]),
  );
  section(
    'Re-worded',
    ['id', `${a.wave} label`, `${b.wave} label`],
    d.reworded.map((r) => [r.id, r.from, r.to]),
  );
  section(
    'Type changed',
    ['id', String(a.wave), String(b.wave)],
    d.typeChanged.map((r) => [r.id, r.from, r.to]),
  );
  section(
    'Options changed',
    ['id', 'added', 'removed', 're-labelled'],
    d.optionsChanged.map((o) => [
      o.id,
      o.added.join(', '),
      o.removed.join(', '),
      o.relabelled.map((r) => `${r.code}: "${r.from}" -> "${r.to}"`).join('; '),
    ]),
  );
  section(
    'Bands changed',
    ['id', String(a.wave), String(b.wave)],
    d.bandsChanged.map((x) => [x.id, bands(x.from), bands(x.to)]),
  );
  return `${parts.join('\n')}\n`;
}

/** The diff as one row per change (`questions diff --format csv`): what changed, the question, before and after. */
function diffRows(
  a: QuestionList,
  b: QuestionList,
  d: QuestionsDiff,
): { change: string; id: string; from: string; to: string }[] {
  const label = (l: QuestionList, id: string): string => l.questions.find((q) => q.id === id)?.label ?? '';
  return [
    ...d.added.map((id) => ({ change: 'added', id, from: '', to: label(b, id) })),
    ...d.removed.map((id) => ({ change: 'removed', id, from: label(a, id), to: '' })),
    ...d.reworded.map((r) => ({ change: 'reworded', id: r.id, from: r.from, to: r.to })),
    ...d.typeChanged.map((r) => ({ change: 'type', id: r.id, from: r.from, to: r.to })),
    ...d.optionsChanged.map((o) => ({
      change: 'options',
      id: o.id,
      from: [
        ...(o.removed.length ? [`removed: ${o.removed.join(', ')}`] : []),
        ...o.relabelled.map((r) => `${r.code}: ${r.from}`),
      ].join('; '),
      to: [
        ...(o.added.length ? [`added: ${o.added.join(', ')}`] : []),
        ...o.relabelled.map((r) => `${r.code}: ${r.to}`),
      ].join('; '),
    })),
    ...d.bandsChanged.map((x) => ({ change: 'bands', id: x.id, from: bands(x.from), to: bands(x.to) })),
  ];
}

function diffCommand(): Command {
  const cmd = new Command('diff')
    .description(
      "What changed between two waves' question lists: added, removed and re-worded questions, changed types, option lists and bands.",
    )
    .argument('<from>', 'earlier wave, e.g. 2023')
    .argument('<to>', 'later wave, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder (its waves/ lists come first); not needed for the shipped waves')
    .addHelpText(
      'after',
      `
Examples:
  census questions diff 2023 2025
  census questions diff 2019 2025 --json
  census questions diff 2019 2025 --format csv > changes.csv
Questions are compared by id: a question keeps its id while its meaning stays, so a changed label
is a re-wording, and options are compared by code. --format csv is one row per change (added,
removed, reworded, type, options, bands) with the question id and the text before and after.${EXIT_CODES_NO_ISSUES_HELP}`,
    );
  return withFormat(cmd).action(
    async (from: string, to: string, opts: { workspace?: string; json?: boolean; format?: string }) => {
      try {
        const dir = wavesDir(opts.workspace);
        const [a, b] = [questionListFor(parseWave(from), dir), questionListFor(parseWave(to), dir)];
        const d = questionsDiff(a, b);
        const format = formatOf(opts);
        if (format === 'json') process.stdout.write(`${JSON.stringify({ from: a.wave, to: b.wave, ...d }, null, 2)}\n`);
        else if (format === 'csv')
          process.stdout.write(
            csvText(
              [
                { header: 'change', value: (r) => r.change },
                { header: 'id', value: (r) => r.id },
                { header: String(a.wave), value: (r) => r.from },
                { header: String(b.wave), value: (r) => r.to },
              ],
              diffRows(a, b, d),
            ),
          );
        else await pageOut(diffText(a, b, d));
        process.exitCode = EXIT.ok;
      } catch (err) {
        const e = asCensusError(err, 'comparing question lists');
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
      }
    },
  );
}

function unmatchedCommand(): Command {
  return new Command('unmatched')
    .description(
      "Every label of a wave's returns that matched no question, once, with the files it occurs in, an example answer and the best candidate questions; written to a workbook to fill in.",
    )
    .requiredOption('--wave <year>', 'wave, e.g. 2019')
    .option('--out <file>', 'the mapping workbook to write (.xlsx)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the labels as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  census questions unmatched --wave 2019 --out map.xlsx
  census questions unmatched --wave 2019 --json
Fill the "Map to" column with a question id (the Questions sheet lists them) or "ignore", then run
census questions map map.xlsx. Labels already mapped are not listed again.${EXIT_CODES_NO_ISSUES_HELP}`,
    )
    .action(async (opts: { wave: string; out?: string; workspace?: string; json?: boolean }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        if (!opts.out && !opts.json)
          throw usageError('Say where to write the workbook.', 'Add --out map.xlsx (or --json).');
        const [{ unmatchedLabels }, { buildMapWorkbook }] = await Promise.all([
          import('../../ingest/questionnaire/label-map.ts'),
          import('../../../sources/questionnaire/label-map-sheet.ts'),
        ]);
        const list = questionListFor(wave, ctx.workspace.wavesDir);
        const labels = await unmatchedLabels(ctx.db, list);
        if (opts.out) {
          const wb = buildMapWorkbook(list, labels, ctx.clock.now());
          writeFileSync(opts.out, Buffer.from(await wb.xlsx.writeBuffer()), { mode: 0o600 });
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(labels, null, 2)}\n`);
        else {
          if (labels.length)
            process.stdout.write(
              `${textTable(
                ['label', 'files', 'example answer', 'best candidate'],
                labels.map((l) => [
                  safeName(l.label),
                  l.files.length,
                  safeName((l.example ?? '').slice(0, 40)),
                  l.candidates[0] ? `${l.candidates[0].questionId} (${l.candidates[0].score.toFixed(2)})` : '-',
                ]),
              )}\n\n`,
            );
          process.stdout.write(
            `${labels.length} unmatched label(s) in wave ${wave}${opts.out ? `; written to ${opts.out}: fill in "Map to", then run census questions map ${opts.out}` : ''}.\n`,
          );
        }
        return 0;
      });
    });
}

function mapCommand(): Command {
  return new Command('map')
    .description(
      'Store the label mappings filled in a workbook from `census questions unmatched` and read again exactly the files they affect.',
    )
    .argument('<file>', 'the filled mapping workbook (.xlsx)')
    .option('--wave <year>', 'wave (default: the one stamped on the workbook)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the outcome as JSON on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census questions map map.xlsx
A row left blank is left for later; "ignore" leaves the label's answers out without a warning. The
mapping is kept in the workspace (audit-logged) and is part of the wave's rules: later ingests read
every file with it. Running it again with the same workbook changes nothing. A mapping that changes
an earlier one reads every file of the wave again.${EXIT_CODES_NO_ISSUES_HELP}`,
    )
    .action(async (file: string, opts: { wave?: string; workspace?: string; json?: boolean; wait?: boolean }) => {
      process.exitCode = await withCtx(opts, { writes: true, progress: true }, async (ctx) => {
        const [{ readMapWorkbook, IGNORE }, { mapLabels }] = await Promise.all([
          import('../../../sources/questionnaire/label-map-sheet.ts'),
          import('../../ingest/questionnaire/reread.ts'),
        ]);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (err) {
          throw usageError(`Cannot read ${file}: ${(err as Error).message}`, 'Give the path of the filled map.xlsx.');
        }
        const sheet = await readMapWorkbook(bytes).catch((err: unknown) => {
          throw usageError(
            `${file} is not a mapping workbook (${(err as Error).message}).`,
            'Write one with census questions unmatched --wave W --out map.xlsx.',
          );
        });
        const wave = opts.wave !== undefined ? parseWave(opts.wave) : sheet.wave;
        if (wave === null)
          throw usageError(`${file} does not say its wave.`, 'Add --wave W (the wave it was written for).');
        if (opts.wave !== undefined && sheet.wave !== null && sheet.wave !== wave)
          throw usageError(
            `${file} was written for wave ${sheet.wave}, not ${wave}.`,
            `Run it with --wave ${sheet.wave}, or write a new one for ${wave}.`,
          );
        const list = questionListFor(wave, ctx.workspace.wavesDir);
        const ids = new Map(list.questions.map((q) => [q.id.toLowerCase(), q.id]));
        const rows: { label: string; questionId: string | null }[] = [];
        const bad: string[] = [];
        for (const e of sheet.entries) {
          if (e.mapTo === '') continue;
          const typed = e.mapTo.toLowerCase();
          // A pasted candidate ("wte_total (0.62): Total staff") counts by its id.
          const id = typed === IGNORE ? null : (ids.get(typed) ?? ids.get(typed.split(/[\s(:]/)[0] ?? ''));
          if (id === undefined)
            bad.push(
              `row ${e.row} ("${safeName(e.label)}"): "${safeName(e.mapTo)}" is not a question id of wave ${wave}`,
            );
          else rows.push({ label: e.label, questionId: id });
        }
        if (bad.length)
          throw usageError(
            `Nothing was stored: ${bad.length} row(s) name no question.\n  ${bad.join('\n  ')}`,
            'Use an id from the Questions sheet of the workbook, or "ignore", then run it again.',
          );
        const out = await mapLabels(ctx, list, rows);
        const summary = {
          wave,
          changes: out.changes.map((c) => ({ label: c.label, from: c.from ?? null, to: c.to ?? IGNORE })),
          filesReread: out.affected.length,
          filesUnaffected: out.advanced,
          returnsLoaded: out.runs.reduce((n, r) => n + r.returnsLoaded, 0),
          returnsRejected: out.runs.reduce((n, r) => n + r.returnsRejected, 0),
        };
        if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else if (out.changes.length === 0)
          process.stdout.write(`Nothing changed: every filled row of ${file} was already stored for wave ${wave}.\n`);
        else
          process.stdout.write(
            `${textTable(
              ['label', 'was', 'now'],
              summary.changes.map((c) => [safeName(c.label), c.from ?? '(unmapped)', c.to]),
            )}\n\n${out.changes.length} mapping(s) stored for wave ${wave}; ${out.affected.length} file(s) read again (${summary.returnsLoaded} return(s) loaded, ${summary.returnsRejected} kept out); ${out.advanced} other file(s) not affected.\n`,
          );
        return 0;
      });
    });
}

export function questionsCommand(): Command {
  const cmd = new Command('questions').description("Look at the waves' question lists.").addHelpText(
    'after',
    `
Examples:
  census questions list --wave 2025 --format xlsx --out dictionary-2025.xlsx
  census questions diff 2023 2025
  census questions unmatched --wave 2019 --out map.xlsx
  census questions map map.xlsx`,
  );
  const diff = diffCommand();
  diff.exitOverride();
  cmd.addCommand(diff);
  cmd.addCommand(unmatchedCommand());
  cmd.addCommand(mapCommand());
  cmd.addCommand(listCommand());
  return cmd;
}
