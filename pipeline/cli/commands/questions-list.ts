import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { asCensusError, CensusError } from '../../../schemas/fault.ts';
import type { Condition, Question, QuestionList } from '../../../schemas/question-list.ts';
import { availableWaves } from '../../../schemas/waves/index.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { questionListFor } from '../../runtime/waves.ts';
import { exitCodes } from '../exit-codes.ts';
import { csvText, outFile, pageOut, prose, type ListColumn } from '../format.ts';
import { formatOf, withFormat } from '../options.ts';
import { parseWave } from '../run.ts';

/**
 * `census questions list --wave W`: the wave's data dictionary (codebook). Every question with its
 * id, section, label in this wave and in every other wave that asks it (matched by id), answer type,
 * required or conditional, options with codes (and the harmonised category used across waves),
 * bands, checks and help. Needs no database.
 */

export interface DictionaryEntry {
  id: string;
  section: string;
  sheet: string;
  label: string;
  /** The question's label in every wave with a list that has this id (this wave included). */
  labels: Record<string, string>;
  type: string;
  required: boolean;
  requiredWhen: string | null;
  blankWhen: string | null;
  options: { code: string; label: string; harmonised: string | null; labels: Record<string, string> }[];
  bands: { code: string; label: string; low: number; high: number | null }[];
  extraCodes: string[];
  checks: string[];
  personal: boolean;
  help: string | null;
  aliases: string[];
}

function condition(c: Condition | undefined): string | null {
  if (!c) return null;
  if (c.in) return `${c.question} is ${c.in.join(' or ')}`;
  if (c.answered !== undefined) return `${c.question} is ${c.answered ? 'answered' : 'not answered'}`;
  return c.question;
}

function checkText(c: Question['checks'][number]): string {
  switch (c.kind) {
    case 'not_above_high_of':
      return `${c.severity}: not above the upper bound of ${c.other}`;
    case 'at_least':
      return `${c.severity}: at least ${c.other}`;
    case 'sum_of':
      return `${c.severity}: equals the sum of ${c.questions.join(' + ')} (within ${c.tolerance})`;
    case 'not_before':
      return `${c.severity}: not before ${c.other}`;
    case 'within':
      return `${c.severity}: expected from ${c.low} to ${c.high}`;
    case 'year_on_year_factor':
      return `warning: changes by a factor of ${c.factor} or more from the team's previous wave`;
  }
}

export function dictionary(list: QuestionList, others: readonly QuestionList[]): DictionaryEntry[] {
  const waves = [...others.filter((o) => o.wave !== list.wave), list].sort((a, b) => a.wave - b.wave);
  return list.questions.map((q) => {
    const labels: Record<string, string> = {};
    const optionLabels = new Map<string, Record<string, string>>();
    for (const w of waves) {
      const same = w.questions.find((x) => x.id === q.id);
      if (!same) continue;
      labels[String(w.wave)] = same.label;
      for (const o of same.options ?? []) {
        const m = optionLabels.get(o.code) ?? {};
        m[String(w.wave)] = o.label;
        optionLabels.set(o.code, m);
      }
    }
    return {
      id: q.id,
      section: q.section,
      sheet: q.sheet,
      label: q.label,
      labels,
      type: q.type,
      required: q.required,
      requiredWhen: condition(q.requiredWhen),
      blankWhen: condition(q.blankWhen),
      options: (q.options ?? []).map((o) => ({
        code: o.code,
        label: o.label,
        harmonised: o.harmonised ?? null,
        labels: optionLabels.get(o.code) ?? {},
      })),
      bands: (q.bands ?? []).map((b) => ({ code: b.code, label: b.label, low: b.low, high: b.high })),
      extraCodes: q.extraCodes,
      checks: q.checks.map(checkText),
      personal: q.personal,
      help: q.help ?? null,
      aliases: q.aliases,
    };
  });
}

const optionsText = (e: DictionaryEntry): string =>
  [
    ...e.options.map(
      (o) => `${o.code}=${o.label}${o.harmonised && o.harmonised !== o.code ? ` (-> ${o.harmonised})` : ''}`,
    ),
    ...e.bands.map((b) => `${b.code}=${b.low}${b.high === null ? '+' : `-${b.high}`}`),
    ...e.extraCodes.map((c) => `${c}`),
  ].join('; ');

const requiredText = (e: DictionaryEntry): string =>
  e.required ? 'yes' : e.requiredWhen ? `when ${e.requiredWhen}` : 'no';

const otherLabels = (e: DictionaryEntry, wave: number): string =>
  Object.entries(e.labels)
    .filter(([w, l]) => w !== String(wave) && l !== e.label)
    .map(([w, l]) => `${w}: ${l}`)
    .join('; ');

function columns(wave: number): ListColumn<DictionaryEntry>[] {
  return [
    { header: 'id', value: (e) => e.id },
    { header: 'section', value: (e) => e.section },
    { header: 'label', value: (e) => e.label },
    { header: 'type', value: (e) => e.type },
    { header: 'required', value: requiredText },
    { header: 'options (code=label) / bands', value: optionsText },
    { header: 'checks', value: (e) => e.checks.join('; ') },
    { header: 'blank when', value: (e) => e.blankWhen ?? '' },
    { header: 'waves asked', value: (e) => Object.keys(e.labels).join(', ') },
    { header: 'label in other waves', value: (e) => otherLabels(e, wave) },
    { header: 'help', value: (e) => e.help ?? '' },
  ];
}

const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(list: QuestionList, entries: DictionaryEntry[]): string {
  const out: string[] = [`# Data dictionary: wave ${list.wave} (template ${list.templateVersion})`, ''];
  let section = '';
  for (const e of entries) {
    if (e.section !== section) {
      section = e.section;
      out.push(`## ${md(section)}`, '');
    }
    out.push(`### \`${e.id}\`: ${md(e.label)}`, '');
    out.push(`- Type: ${e.type}; required: ${requiredText(e)}${e.blankWhen ? `; left blank when ${e.blankWhen}` : ''}`);
    if (e.help) out.push(`- Help: ${md(e.help)}`);
    const other = otherLabels(e, list.wave);
    out.push(`- Asked in: ${Object.keys(e.labels).join(', ')}${other ? ` (worded differently: ${md(other)})` : ''}`);
    for (const c of e.checks) out.push(`- Check: ${md(c)}`);
    if (e.options.length || e.bands.length || e.extraCodes.length) {
      out.push('', '| code | label | harmonised | earlier labels |', '| --- | --- | --- | --- |');
      for (const o of e.options)
        out.push(
          `| ${o.code} | ${md(o.label)} | ${o.harmonised ?? o.code} | ${md(
            Object.entries(o.labels)
              .filter(([, l]) => l !== o.label)
              .map(([w, l]) => `${w}: ${l}`)
              .join('; '),
          )} |`,
        );
      for (const b of e.bands)
        out.push(`| ${b.code} | ${md(b.label)} (${b.low}${b.high === null ? '+' : `-${b.high}`}) | ${b.code} | |`);
      for (const c of e.extraCodes) out.push(`| ${c} | ${c === 'dont_know' ? "Don't know" : 'Planned'} | ${c} | |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

async function xlsx(list: QuestionList, entries: DictionaryEntry[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, headers: string[], rows: (string | number | null)[][]): void => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(headers).font = { bold: true };
    for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v)));
    ws.columns.forEach((c, i) => {
      c.width = Math.min(
        60,
        Math.max(10, ...[headers[i] ?? '', ...rows.map((r) => String(r[i] ?? ''))].map((s) => s.length)),
      );
    });
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  };
  const cols = columns(list.wave);
  sheet(
    'Questions',
    cols.map((c) => c.header),
    entries.map((e) => cols.map((c) => c.value(e) ?? '')),
  );
  sheet(
    'Codes',
    ['question id', 'code', 'label', 'harmonised', 'low', 'high', 'earlier labels'],
    entries.flatMap((e) => [
      ...e.options.map((o) => [
        e.id,
        o.code,
        o.label,
        o.harmonised ?? o.code,
        null,
        null,
        Object.entries(o.labels)
          .filter(([, l]) => l !== o.label)
          .map(([w, l]) => `${w}: ${l}`)
          .join('; '),
      ]),
      ...e.bands.map((b) => [e.id, b.code, b.label, b.code, b.low, b.high, '']),
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const EXTENSIONS: Record<string, string> = { text: '.txt', json: '.json', csv: '.csv', md: '.md', xlsx: '.xlsx' };

/**
 * The format asked for: --format (or --json) when given, else the one --out's extension names
 * (`--out dictionary.xlsx` writes an xlsx), else text.
 */
function formatFor(opts: { format?: string; json?: boolean; out?: string }, formatGiven: boolean): string {
  if (formatGiven) return formatOf(opts);
  const ext = opts.out === undefined ? '' : extname(opts.out).toLowerCase();
  return Object.entries(EXTENSIONS).find(([, e]) => e === ext)?.[0] ?? 'text';
}

export function listCommand(): Command {
  const cmd = new Command('list')
    .description(
      "A wave's data dictionary: every question with its id, label (in each wave that asks it), type, options and their codes, bands, checks and the harmonised mapping.",
    )
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .option(
      '--out <file>',
      'write to this file (needed for xlsx); without --format its extension (.csv, .md, .xlsx, .json, .txt) says the format, with --format it must match',
    )
    .option('--force', 'replace the --out file if it exists')
    .option('--workspace <dir>', 'workspace folder (its waves/ lists count too); not needed for the shipped waves');
  withFormat(cmd, ['text', 'json', 'csv', 'md', 'xlsx']);
  cmd.addHelpText(
    'after',
    `
Examples:
  census questions list --wave 2025
  census questions list --wave 2025 --format csv > dictionary-2025.csv
  census questions list --wave 2025 --out dictionary-2025.xlsx                the format from the extension
  census questions list --wave 2025 --format md --out dictionary-2025.md
Labels in other waves are matched by question id; "harmonised" is the category an option counts
under in tables across waves (2019 "NHS" covers the later NHS options).`,
  );
  cmd.action(
    async (opts: {
      wave: string;
      out?: string;
      force?: boolean;
      workspace?: string;
      format?: string;
      json?: boolean;
    }) => {
      try {
        const wave = parseWave(opts.wave);
        // --format's default (text) is not a choice the user made.
        const formatGiven = opts.json === true || cmd.getOptionValueSource('format') !== 'default';
        const format = formatFor(opts, formatGiven);
        if (format === 'xlsx' && !opts.out)
          throw new CensusError('usage', 'An xlsx is written to a file.', `Add --out dictionary-${wave}.xlsx.`);
        const out = opts.out
          ? outFile(opts.out, {
              // Without --format any of the formats' extensions names one; with it, only its own.
              extensions: formatGiven ? [EXTENSIONS[format]!] : Object.values(EXTENSIONS),
              force: opts.force === true,
            })
          : null;
        let wavesDir: string | null = null;
        try {
          wavesDir = loadWorkspace(resolveWorkspaceDir(opts.workspace, process.env, process.cwd())).wavesDir;
        } catch (err) {
          if (!(err instanceof CensusError && err.code === 'workspace_missing' && opts.workspace === undefined))
            throw err;
        }
        const list = questionListFor(wave, wavesDir);
        const others = availableWaves(wavesDir ? [wavesDir] : [])
          .filter((w) => w !== wave)
          .map((w) => questionListFor(w, wavesDir));
        const entries = dictionary(list, others);
        let body: string | Buffer;
        if (format === 'json')
          body = `${JSON.stringify({ wave, templateVersion: list.templateVersion, questions: entries }, null, 2)}\n`;
        else if (format === 'csv') body = csvText(columns(wave), entries);
        else if (format === 'md') body = markdown(list, entries);
        else if (format === 'xlsx') body = await xlsx(list, entries);
        else {
          const { textTable } = await import('../../runtime/terminal.ts');
          const cols = columns(wave).filter((c) =>
            ['id', 'label', 'type', 'required', 'options (code=label) / bands'].includes(c.header),
          );
          body = `${textTable(
            cols.map((c) => c.header),
            entries.map((e) => cols.map((c) => c.value(e) ?? '')),
          )}\n\n${prose(`${entries.length} question(s) in wave ${wave}; --format md, csv or xlsx for checks, harmonised codes and labels in other waves.`)}\n`;
        }
        if (out) {
          writeFileSync(out, body, { mode: 0o644 });
          process.stderr.write(`Wrote the wave ${wave} data dictionary (${entries.length} questions) to ${out}\n`);
        } else if (format === 'text') await pageOut(body as string);
        else process.stdout.write(body);
        process.exitCode = 0;
      } catch (err) {
        const e = asCensusError(err, 'writing the data dictionary');
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
      }
    },
  );
  return exitCodes(
    cmd,
    `  0  done: written\n  2  usage error (no question list for the wave, --out with the wrong extension or already there)`,
  );
}
