import { Command } from 'commander';
import { usageError, withCtx } from '../run.ts';
import { safeName } from '../../runtime/terminal.ts';
import { resolveReturn, type ResolveAction } from '../../returns/resolve.ts';
import { personAndReason } from '../../returns/decisions.ts';

interface Opts {
  return?: string;
  keep?: boolean;
  asTeam?: string;
  newTeam?: boolean;
  by?: string;
  reason?: string;
  workspace?: string;
  json?: boolean;
  wait?: boolean;
}

const ALIAS_WORDS: Record<string, string> = {
  added: 'its name now leads to that team (alias confirmed)',
  confirmed: 'its name already led to that team; the alias is now confirmed',
  held_by_other:
    'its name still leads to the other team for other returns; this decision binds this return only (use `census teams alias` to move the name)',
};

function action(o: Opts): ResolveAction {
  const chosen = [o.keep ? 'keep' : null, o.asTeam !== undefined ? 'as' : null, o.newTeam ? 'new' : null].filter(
    Boolean,
  );
  if (chosen.length !== 1)
    throw usageError('Say exactly one of --keep, --as-team ID or --new-team.', 'See `census resolve --help`.');
  if (o.keep) return { kind: 'keep' };
  if (o.newTeam) return { kind: 'new_team' };
  return { kind: 'as_team', teamId: o.asTeam! };
}

export function resolveCommand(): Command {
  return new Command('resolve')
    .description(
      "Settle who a return is: keep it as its team's return for the wave, or say it is another or a new team. The decision is recorded and survives re-ingest.",
    )
    .requiredOption('--return <id>', 'return id, from `census returns --wave W`')
    .option('--keep', "load this return; the team's other returns for the wave received so far are superseded")
    .option('--as-team <team id>', 'this return is another, known team (ids from `census teams list`)')
    .option('--new-team', 'this return is a team not known yet: a new team is made from its name and host')
    .option('--by <name>', 'who takes the decision (required)')
    .option('--reason <text>', 'why (required)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the outcome as JSON on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census resolve --return 12 --keep --by "A. Lee" --reason "the other form was a draft, confirmed by phone"
  census resolve --return 13 --as-team 4 --by "A. Lee" --reason "this is the Northshire south team"
  census resolve --return 13 --new-team --by "A. Lee" --reason "a second team at the same trust"
A conflict (two returns from different respondents claiming one team in one wave) loads neither
return until resolved. A return that arrives after a --keep is weighed against the kept one: a later
return from the same respondent supersedes it, one from someone else is a new conflict.`,
    )
    .action(async (opts: Opts) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const chosen = action(opts);
        const who = personAndReason(opts.by, opts.reason);
        if (typeof who === 'string') throw usageError(who, 'Add --by "Your Name" --reason "why".');
        const res = await resolveReturn({ returnId: opts.return ?? '', action: chosen, ...who }, ctx);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
          return 0;
        }
        const out = process.stdout;
        out.write(
          `Decision ${res.decisionId} recorded: return ${res.returnId} (wave ${res.wave}) ${res.decision === 'keep' ? 'kept' : `is team ${res.teamId}`}.\n`,
        );
        if (res.alias) out.write(`The return's own name: ${ALIAS_WORDS[res.alias] ?? res.alias}.\n`);
        out.write(`Returns of the team(s) involved in ${res.wave} now:\n`);
        for (const r of res.returns)
          out.write(`  return ${r.id}  team ${r.teamId}  ${r.state}${r.reason ? `  (${safeName(r.reason)})` : ''}\n`);
        return 0;
      });
    });
}
