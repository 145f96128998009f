import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';

/**
 * The CLI's option conventions in one place: every value is checked when the arguments are parsed
 * (commander reports it and the command exits 2 before any workspace or database is opened), and a
 * value with a fixed set of answers lists them. Parsers return the text they were given, so command
 * bodies keep reading strings.
 */

const SEVERITIES = ['error', 'warning', 'info'] as const;

function invalid(what: string): never {
  throw new InvalidArgumentError(what);
}

/** A wave: a year such as 2025. */
function waveValue(v: string): string {
  const n = Number(v);
  if (!/^\d{4}$/.test(v.trim()) || n < 2000 || n > 2100) invalid(`Give a year such as 2025, not "${v}".`);
  return v.trim();
}

/** A calendar day written YYYY-MM-DD that exists (no 2025-02-30). */
export function dateValue(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]))
    invalid(`Give a date as YYYY-MM-DD, e.g. 2025-03-31, not "${v}".`);
  return v.trim();
}

/** A whole number, 0 or more. */
function countValue(v: string): string {
  if (!/^\d+$/.test(v.trim())) invalid(`Give a whole number such as 40, not "${v}".`);
  return v.trim();
}

function portValue(v: string): string {
  const n = Number(countValue(v));
  if (n > 65535) invalid(`Give a port between 1 and 65535 (0: any free port), not "${v}".`);
  return v.trim();
}

function countOrOpen(v: string): string {
  if (v.trim().toLowerCase() === 'open') return 'open';
  if (!/^\d+$/.test(v.trim())) invalid(`Give a whole number or "open" (no upper bound), not "${v}".`);
  return v.trim();
}

/** What census writes as files: a folder option named like one is a file name given where a folder is meant. */
const FILE_EXTENSIONS = new Set([
  '.xlsx',
  '.xlsm',
  '.xls',
  '.ods',
  '.csv',
  '.pdf',
  '.html',
  '.htm',
  '.eml',
  '.json',
  '.zip',
  '.txt',
  '.md',
  '.docx',
  '.odt',
]);

/**
 * A folder census writes several files into (`report --out`, `feedback --out/--emails`, `foi letters
 * --out`): `--out feedback.xlsx` would make a folder named feedback.xlsx, so a name ending like a file
 * is refused unless something of that name already exists (a folder is then taken; a file, refused by
 * the command as a file).
 */
function folderValue(v: string): string {
  const ext = extname(v.replace(/[/\\]+$/, '')).toLowerCase();
  if (!FILE_EXTENSIONS.has(ext)) return v;
  // Something already there is the command's to judge: a folder is taken, a file is refused as a file.
  if (existsSync(v)) return v;
  invalid(
    `This is a folder census writes several files into, not a file: give a folder name without "${ext}", e.g. "${v.replace(/\.[^./\\]*$/, '')}".`,
  );
}

/** Parsers by option name, for the options many commands share. */
const PARSERS: Record<string, (v: string) => string> = {
  '--wave': waveValue,
  '--from': waveValue,
  '--to': waveValue,
  '--date': dateValue,
  '--as-of': dateValue,
  '--received': dateValue,
  '--since': dateValue,
  '--port': portValue,
  '--part': countValue,
  '--low': countValue,
  '--high': countOrOpen,
};

/** Names whose check applies only with this placeholder: elsewhere the option may mean something else. */
const PLACEHOLDER: Record<string, RegExp> = {
  '--from': /<(wave|year)>/,
  '--to': /<(wave|year)>/,
  '--date': /<date>/,
  '--received': /<date>/,
  '--since': /<date>/,
};

/** The help of every command's --workspace (pipeline/runtime/workspace.ts resolveWorkspaceDir). */
const WORKSPACE_HELP =
  'workspace folder (default: $CENSUS_WORKSPACE, else the nearest folder from here upwards holding a census.json, else this one)';

const CHOICES: Record<string, readonly string[]> = {
  '--severity': SEVERITIES,
};

interface OptionInternals {
  parseArg?: unknown;
  argChoices?: string[];
}

/**
 * Applies the conventions to a command and all its subcommands: value checks on the shared options
 * (a command's own parser or choices are kept), and errors that return to main() (exit 2) rather than
 * ending the process from inside a subcommand.
 */
export function applyConventions(cmd: Command): Command {
  cmd.exitOverride();
  for (const o of cmd.options) {
    // Where the workspace is found when --workspace is not given, said once for every command.
    if (o.long === '--workspace' && o.description === 'workspace folder') o.description = WORKSPACE_HELP;
    const internals = o as unknown as OptionInternals;
    if (internals.parseArg || internals.argChoices || !o.long) continue;
    // A flag (no value) has nothing to check; argument-taking options have <...> or [...].
    if (!o.required && !o.optional) continue;
    const choices = CHOICES[o.long];
    if (choices) o.choices(choices);
    // Some names are checked only where the option's placeholder says what they are (--from <wave>).
    else if (PARSERS[o.long] && (PLACEHOLDER[o.long] ?? /./).test(o.flags)) o.argParser(PARSERS[o.long]!);
    else if (/<dir>/.test(o.flags) && o.long !== '--workspace') o.argParser(folderValue);
  }
  aliasFormats(cmd);
  for (const sub of cmd.commands) applyConventions(sub);
  return cmd;
}

/**
 * One output switch everywhere: a command with only `--json` also takes `--format text|json`, and
 * one with only `--format` (audit) also takes `--json`, each set from the other before the action.
 */
function aliasFormats(cmd: Command): void {
  const has = (flag: string): boolean => cmd.options.some((o) => o.long === flag);
  const json = has('--json');
  const format = has('--format');
  if (json === format) return;
  if (json) cmd.addOption(new Option('--format <format>', 'output: text or json (--json)').choices(['text', 'json']));
  else cmd.option('--json', 'the same as --format json');
  cmd.hook('preAction', (c) => {
    const o = c.opts<{ json?: boolean; format?: string }>();
    if (json && o.format === 'json') c.setOptionValue('json', true);
    if (format && o.json) c.setOptionValue('format', 'json');
  });
}

export type OutputFormat = 'text' | 'json' | 'csv' | 'xlsx' | 'md';

/**
 * `--format <format>` with its choices, and `--json` as the alias of `--format json`: the one output
 * switch of every command that lists things.
 */
export function withFormat(cmd: Command, formats: readonly OutputFormat[] = ['text', 'json', 'csv']): Command {
  cmd.addOption(
    new Option('--format <format>', `output: ${formats.join(', ')}`).choices(formats as string[]).default('text'),
  );
  if (formats.includes('json')) cmd.option('--json', 'the same as --format json');
  return cmd;
}

/** The format asked for: --json wins as the alias of --format json. */
export function formatOf(opts: { format?: string; json?: boolean }): OutputFormat {
  if (opts.json) return 'json';
  return (opts.format ?? 'text') as OutputFormat;
}
