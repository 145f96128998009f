import { Command } from 'commander';
import { exitCodes, hasOwnExitCodes } from '../exit-codes.ts';
import { codingSheetCommand, codeCommand } from './foi/coding.ts';
import { eventCommand } from './foi/event.ts';
import { retractCommand } from './foi/retract.ts';
import { lettersCommand } from './foi/letters.ts';
import { exportCommand } from './foi/export.ts';
import { registerCommand } from './foi/register.ts';
import { sendCommand } from './foi/send.ts';
import { chaseCommand, statusCommand } from './foi/status.ts';
import { matchCommand, unmatchCommand, unmatchedCommand } from './foi/unmatched.ts';

/** `census foi ...`: the FOI request register, reply matching and the coding sheet (spec/foi.md). */

const FOI_EXIT_LINES = `  0  done
  1  done, but data issues of severity "error" were found (they are listed, and kept: census issues)
  2  usage error (bad arguments, unknown trust or wave, a date outside the bank-holiday calendar)
  3  environment fault (database unreachable, disk full, another writer with --no-wait)`;

/** The FOI commands that exit 1 on data issues: those that load a register or coded values. */
const FOI_DATA_ISSUES = new Set(['register', 'code', 'load']);

/** Sub-commands are added with addCommand, which does not inherit the parent's settings. */
export function foiSub(cmd: Command): Command {
  cmd.exitOverride();
  if (!hasOwnExitCodes(cmd))
    exitCodes(cmd, FOI_DATA_ISSUES.has(cmd.name()) ? FOI_EXIT_LINES : FOI_EXIT_LINES.replace(/\n {2}1 {2}[^\n]*/, ''));
  for (const sub of cmd.commands) foiSub(sub);
  return cmd;
}

export function foiCommand(): Command {
  const foi = new Command('foi')
    .description('FOI requests to mental health trusts: send, track status, match and code the replies.')
    .addHelpText(
      'after',
      `
Replies themselves are loaded with census ingest (census ingest replies/ --wave 2024).

Examples:
  census foi send --wave 2024 --sent 2024-03-11
  census foi letters --wave 2024 --out letters-2024 --from "A. Researcher <a.researcher@example.ac.uk>"
  census foi export chase --wave 2024 --out chase-2024.xlsx
  census foi status --wave 2024
  census foi chase --wave 2024
  census foi event --trust RXT --wave 2024 --kind clarification_asked --date 2024-03-20
  census foi retract --trust RXT --wave 2024 --kind clarification_asked --date 2024-03-20 --reason "wrong trust" --by "A. Researcher"
  census foi register our-register.xlsx --wave 2024
  census foi unmatched --wave 2024
  census foi match --file 3fa29c1e --trust RXT --by "A. Researcher" --wave 2024
  census foi unmatch 3fa29c1e --by "A. Researcher" --wave 2024
  census foi coding-sheet --wave 2024 --out coding-2024.xlsx
  census foi coding-sheet load coding-2024.xlsx --wave 2024 --by "A. Researcher"`,
    );
  for (const make of [
    sendCommand,
    statusCommand,
    chaseCommand,
    eventCommand,
    retractCommand,
    lettersCommand,
    exportCommand,
    registerCommand,
    unmatchedCommand,
    matchCommand,
    unmatchCommand,
    codingSheetCommand,
    codeCommand,
  ]) {
    foi.addCommand(foiSub(make()));
  }
  return foi;
}
