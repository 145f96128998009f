import type { Command } from 'commander';

/**
 * The width help pages wrap at, as tables do (pipeline/runtime/terminal.ts terminalWidth): `$COLUMNS`
 * when set, else the terminal's width; commander alone reads only the terminal's, so `COLUMNS=60`
 * left option descriptions 150 characters wide. Undefined (commander's 80) when neither is known.
 */
function widthOf(env: NodeJS.ProcessEnv, out: NodeJS.WriteStream): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return out.isTTY && out.columns > 0 ? out.columns : undefined;
}

/** Sets the help width of a command and every sub-command (addCommand does not pass settings down). */
export function helpWidth(cmd: Command, env: NodeJS.ProcessEnv = process.env): Command {
  cmd.configureOutput({
    ...cmd.configureOutput(),
    getOutHelpWidth: () => widthOf(env, process.stdout) ?? 80,
    getErrHelpWidth: () => widthOf(env, process.stderr) ?? 80,
  });
  // Descriptions wrap beside their option down to 24 columns (commander stops wrapping below 40).
  cmd.configureHelp({ ...cmd.configureHelp(), minWidthToWrap: 24 });
  for (const sub of cmd.commands) helpWidth(sub, env);
  return cmd;
}
