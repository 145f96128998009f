/**
 * The exit codes every command documents in its --help. A module of its own so that command
 * modules with subcommands can add it to each subcommand without importing main.ts, whose
 * entry-point check would run the CLI a second time through the import cycle.
 */
export const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  done, but data issues of severity "error" were found (see census issues)
  2  usage error (bad arguments, not a workspace, wave locked)
  3  environment fault (database unreachable, disk full, another writer with --no-wait)`;

/**
 * The exit codes of a command that never exits 1 (it reports no data issues: init, template, returns,
 * foi send, ...): 1 is not listed, so a script reading its help does not wait for it.
 */
export const EXIT_CODES_NO_ISSUES_HELP = `
Exit codes:
  0  done
  2  usage error (bad arguments, not a workspace, wave locked)
  3  environment fault (database unreachable, disk full, another writer with --no-wait)`;

/**
 * The commands of the top level that exit 1 when data issues of severity error were found, and the
 * groups holding such a sub-command (each sub-command's help says whether it is one).
 */
export const EXITS_ON_DATA_ISSUES: ReadonlySet<string> = new Set(['ingest', 'report', 'foi', 'teams', 'audit']);

const OWN = new WeakSet<object>();

/**
 * A command whose exit codes mean something of their own (diff: 1 = the builds differ) documents
 * them itself: `exitCodes(cmd, text)` adds its block, and main.ts leaves out the generic one.
 */
export function exitCodes<T extends object & { addHelpText(pos: 'after', text: string): unknown }>(
  cmd: T,
  lines: string,
): T {
  OWN.add(cmd);
  cmd.addHelpText('after', `\nExit codes:\n${lines}`);
  return cmd;
}

export function hasOwnExitCodes(cmd: object): boolean {
  return OWN.has(cmd);
}
