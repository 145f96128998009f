import { Command } from 'commander';
import { parseWave, usageError, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { EXIT_CODES_HELP, EXIT_CODES_NO_ISSUES_HELP } from '../exit-codes.ts';
import { NETWORK_HELP } from './returns.ts';
import { listTeams } from '../../returns/team-list.ts';
import { registerMember } from '../../returns/network.ts';
import { existingTeam } from '../../returns/resolve.ts';
import { resolveTeam } from '../../returns/teams.ts';
import { confirmAlias } from '../../returns/team-alias.ts';
import { recordAudit, recordedText } from '../../db/audit-log.ts';
import { readGivenFile } from '../../runtime/given-file.ts';
import { readTeamList } from '../../../sources/questionnaire/team-list.ts';
import { importTeamList } from '../../returns/team-import.ts';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { printList } from '../format.ts';
import { formatOf, withFormat } from '../options.ts';
import { markDistinct, teamCandidates, type TeamCandidate } from '../../returns/team-candidates.ts';

interface Common {
  workspace?: string;
  json?: boolean;
  wait?: boolean;
}

const print = (json: boolean | undefined, value: unknown, text: string): void => {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);
};

function addCommand(): Command {
  return new Command('add')
    .description(
      'Register a team in the network from a wave (to a wave): it is then expected to send a return (census returns --missing).',
    )
    .option('--team <id>', 'a known team (ids from `census teams list`)')
    .option('--name <name>', "or the team's name: a known team by that name and host, else a new team")
    .option('--host <organisation>', 'with --name: the host organisation')
    .requiredOption('--from <wave>', 'first wave the team belongs to')
    .option('--to <wave>', 'last wave it belongs to (it closed or left); omit while it is a member')
    .option('--note <text>', 'why, for the record')
    .addHelpText(
      'after',
      `
Examples:
  census teams add --name "Harbour Parent-Infant Team" --host "Harbour NHS Trust" --from 2025 --note "opened 2024"
  census teams add --team 7 --from 2019 --to 2023 --note "closed March 2024"
${NETWORK_HELP}`,
    )
    .action(
      async (
        opts: Common & { team?: string; name?: string; host?: string; from: string; to?: string; note?: string },
      ) => {
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const from = parseWave(opts.from);
          const to = opts.to === undefined ? null : parseWave(opts.to);
          if (to !== null && to < from)
            throw usageError(
              `--to ${to} is before --from ${from}.`,
              'Give the last wave the team belongs to, or leave --to out.',
            );
          if ((opts.team === undefined) === (opts.name === undefined))
            throw usageError(
              'Say which team: --team ID, or --name NAME (with --host).',
              'See `census teams add --help`.',
            );
          const res = await ctx.db.transaction().execute(async (trx) => {
            const team =
              opts.team !== undefined
                ? { teamId: await existingTeam(trx, opts.team), match: 'exact' as const }
                : await resolveTeam(trx, opts.name!, opts.host?.trim() || null, ctx.clock.now());
            const id = await registerMember(trx, {
              teamId: team.teamId,
              fromWave: from,
              toWave: to,
              note: opts.note?.trim() || null,
              now: ctx.clock.now(),
            });
            await recordAudit(trx, {
              at: ctx.clock.now(),
              actor: ctx.actor ?? 'unknown',
              action: 'network_add',
              wave: from,
              detail: { registration: id, teamId: team.teamId, fromWave: from, toWave: to },
            });
            return { registration: id, teamId: team.teamId, newTeam: team.match === 'new', fromWave: from, toWave: to };
          });
          print(
            opts.json,
            res,
            `Team ${res.teamId}${res.newTeam ? ' (new)' : ''} registered in the network from ${from}${to === null ? '' : ` to ${to}`}.\n`,
          );
          return 0;
        });
      },
    );
}

function importCommand(): Command {
  return new Command('import')
    .description(
      "Register the teams of the charity's list (csv or xlsx, one team a row) in the network: idempotent, audit-logged, bad rows named by row number.",
    )
    .argument('<file>', 'the team list: .csv or .xlsx with a header row')
    .option('--from <wave>', 'first wave for rows that give none (a From column wins)')
    .addHelpText(
      'after',
      `
Columns are found by their header, in any order: team name (required: "Team", "Team name", "Name",
"Service"), host ("Host", "Host organisation", "Hosted by", "Trust"), first wave ("From", "First wave",
"Member since"), last wave ("To", "Last wave", "Until", "Closed"), note ("Note", "Comments"); others
are ignored. A team is found by its name when exactly one known team has it (whatever the host),
else by name and host as returns give them, else it is a new team (a renamed team is tied with
\`census teams alias\`). Importing the same list again adds nothing. Rows with no
name, a wave that is not a year or a last wave before the first are listed and not imported (exit 1);
the other rows are.

Examples:
  census teams import network-2025.xlsx --from 2025
  census teams import teams.csv --json
${NETWORK_HELP}`,
    )
    .action(async (file: string, opts: Common & { from?: string }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        const defaultFrom = opts.from === undefined ? null : parseWave(opts.from);
        const bytes = readGivenFile(file, 'team list', 'Give the path of a .csv or .xlsx file.');
        let list;
        try {
          list = await readTeamList(bytes);
        } catch (err) {
          throw usageError(
            `${safeName(basename(file))} could not be read as a csv or xlsx team list: ${(err as Error).message}`,
            'Save the list as .xlsx or .csv (UTF-8) and try again.',
          );
        }
        if (!list)
          throw usageError(
            `${safeName(basename(file))} has no header row with a team name column ("Team", "Team name", "Name" or "Service").`,
            'Add a header row above the teams; see `census teams import --help` for the column names.',
          );
        const out = await importTeamList(ctx.db, {
          list,
          file: basename(file),
          sha256: createHash('sha256').update(bytes).digest('hex'),
          defaultFrom,
          by: ctx.actor ?? 'unknown',
          now: ctx.clock.now(),
        });
        const lines = [
          `${safeName(out.file)}${list.sheet ? ` (sheet ${safeName(list.sheet)})` : ''}: ${out.added} registration(s) added (${out.rows.filter((r) => r.newTeam).length} new team(s)), ${out.unchanged} already registered, ${out.bad.length} bad row(s) not imported.`,
          ...out.bad.map((b) => `  row ${b.row}: ${safeName(b.message)}`),
        ];
        if (out.bad.length)
          lines.push('Correct those rows and import the file again: rows already imported are not added twice.');
        print(opts.json, out, `${lines.join('\n')}\n`);
        return out.bad.length ? 1 : 0;
      });
    });
}

function aliasCommand(): Command {
  return new Command('alias')
    .description(
      "Confirm that a name (at a host) is a known team: for a renamed or re-hosted team. Recorded as a 'confirmed' alias.",
    )
    .requiredOption('--team <id>', 'the team (ids from `census teams list`)')
    .requiredOption('--name <name>', 'the name as returns give it')
    .option(
      '--host <organisation>',
      'the host as returns give it (part of the match; leave out only for returns that give none)',
    )
    .option('--by <name>', 'who confirms it (required)')
    .option('--reason <text>', 'why, for the record')
    .addHelpText(
      'after',
      `
Examples:
  census teams alias --team 4 --name "Northshire Baby Bonds" --host "Northshire NHS Trust" --by "A. Lee" --reason "renamed 2024"
If the name had already made a team of its own (its first return loaded as a new team), that team's
returns under the name move to --team, and the empty team is removed.`,
    )
    .action(async (opts: Common & { team: string; name: string; host?: string; by?: string; reason?: string }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        if (!opts.by?.trim())
          throw usageError('--by NAME is required: say who confirms the alias.', 'Add --by "Your Name".');
        const by = recordedText('--by', opts.by, 'name');
        const reason = opts.reason?.trim() ? recordedText('--reason', opts.reason, 'reason') : null;
        if (!opts.name.trim()) throw usageError('--name must not be empty.', 'Give the team name as returns write it.');
        const res = await ctx.db.transaction().execute(async (trx) => {
          const teamId = await existingTeam(trx, opts.team);
          const r = await confirmAlias(trx, {
            teamId,
            name: opts.name,
            host: opts.host?.trim() || null,
            by,
            reason,
            now: ctx.clock.now(),
            takeFromOther: true,
          });
          await recordAudit(trx, {
            at: ctx.clock.now(),
            actor: by,
            action: 'team_alias',
            detail: { teamId, outcome: r.outcome, otherTeam: r.otherTeam, movedReturns: r.movedReturns.length },
          });
          return { teamId, ...r };
        });
        const moved =
          res.outcome === 'moved'
            ? ` It had led to team ${res.otherTeam}: ${res.movedReturns.length} return(s) moved${res.removedTeam ? ', and that empty team was removed' : ''}.`
            : '';
        print(opts.json, res, `"${safeName(opts.name)}" now leads to team ${res.teamId} (${res.outcome}).${moved}\n`);
        return 0;
      });
    });
}

function listCommand(): Command {
  const cmd = new Command('list')
    .description('List the teams: id, name, host, waves with a loaded return, aliases, network registrations.')
    .addHelpText(
      'after',
      `
Examples:
  census teams list
  census teams list --format csv > teams.csv
  census teams list --json`,
    );
  return withFormat(cmd).action(async (opts: Common & { format?: string }) => {
    process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
      const teams = await listTeams(ctx.db);
      await printList(formatOf(opts), teams, {
        columns: [
          { header: 'id', value: (t) => t.id },
          { header: 'team', value: (t) => safeName(t.name) },
          { header: 'host', value: (t) => safeName(t.host ?? '') },
          { header: 'waves', value: (t) => t.waves.join(' ') },
          { header: 'aliases', value: (t) => `${t.aliases} (${t.confirmedAliases} confirmed)` },
          { header: 'registered', value: (t) => t.registered.join(', ') },
        ],
        empty: 'No teams yet.',
      });
      return 0;
    });
  });
}

/** Text under the candidates table: what a pair means and what to do. */
export const CANDIDATES_HELP = `
A pair is two teams of the register that may be one team written two ways: a 2019 name with
"(pilot)", an abbreviation ("PIP" for "Parent Infant Partnership"), "&" for "and", a host written
differently, or a renamed team in the same area with the same host. Nothing is merged by this
command: until a person ties a pair with the \`census teams alias\` command shown (or records that they
are two teams with \`census teams distinct\`), the network counts that team twice. Teams with a loaded return in the same wave, or in
different nations, are never paired.`;

function distinctCommand(): Command {
  return new Command('distinct')
    .description(
      'Record that two teams listed by `census teams candidates` are two teams, not one: the pair is no longer listed or counted as open.',
    )
    .requiredOption('--team <id>', 'one team (ids from `census teams candidates` or `census teams list`)')
    .requiredOption('--other <id>', 'the other team')
    .option('--by <name>', 'who says so (required)')
    .option('--reason <text>', 'why, for the record')
    .addHelpText(
      'after',
      `
Examples:
  census teams distinct --team 12 --other 31 --by "A. Lee" --reason "two services in one borough"`,
    )
    .action(async (opts: Common & { team: string; other: string; by?: string; reason?: string }) => {
      process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
        if (!opts.by?.trim())
          throw usageError('--by NAME is required: say who reviewed the pair.', 'Add --by "Your Name".');
        const by = recordedText('--by', opts.by, 'name');
        const reason = opts.reason?.trim() ? recordedText('--reason', opts.reason, 'reason') : null;
        const res = await ctx.db.transaction().execute(async (trx) => {
          const teamA = await existingTeam(trx, opts.team);
          const teamB = await existingTeam(trx, opts.other);
          if (teamA === teamB)
            throw usageError(`--team and --other are both team ${teamA}.`, 'Give the two teams of a candidate pair.');
          const outcome = await markDistinct(trx, { teamA, teamB, by, reason, now: ctx.clock.now() });
          if (outcome === 'added')
            await recordAudit(trx, {
              at: ctx.clock.now(),
              actor: by,
              action: 'team_distinct',
              detail: { teams: [teamA, teamB], reason },
            });
          return { teams: [teamA, teamB], outcome };
        });
        print(
          opts.json,
          res,
          res.outcome === 'added'
            ? `Teams ${res.teams[0]} and ${res.teams[1]} are recorded as two teams; the pair is no longer a candidate.\n`
            : `Teams ${res.teams[0]} and ${res.teams[1]} were already recorded as two teams.\n`,
        );
        return 0;
      });
    });
}

function candidatesCommand(): Command {
  const cmd = new Command('candidates')
    .description(
      'List pairs of teams that are possibly the same team (a 2019 name written differently, a renamed team), with why and the `census teams alias` command that would tie them. Merges nothing.',
    )
    .addHelpText(
      'after',
      `${CANDIDATES_HELP}

Examples:
  census teams candidates
  census teams candidates --format csv > candidates.csv
  census teams candidates --json`,
    );
  return withFormat(cmd).action(async (opts: Common & { format?: string }) => {
    process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
      const pairs = await teamCandidates(ctx.db);
      const format = formatOf(opts);
      const team = (t: TeamCandidate['keep']): string =>
        `${t.id}: ${safeName(t.name)}${t.host ? ` (${safeName(t.host)})` : ''} [${t.waves.join(' ') || 'no return'}]`;
      await printList(format, pairs, {
        columns: [
          { header: 'keep', value: (p) => team(p.keep) },
          { header: 'possibly the same as', value: (p) => team(p.other) },
          { header: 'why', value: (p) => p.why.join('; ') },
          { header: 'score', value: (p) => p.score },
          { header: 'to tie them', value: (p) => p.commands.map(safeName).join('\n') },
          { header: 'if they are two teams', value: (p) => p.distinct },
        ],
        empty: 'No pair of teams looks like one team: nothing to review.',
      });
      if (format === 'text' && pairs.length)
        process.stdout.write(
          `\n${pairs.length} candidate pair(s) to review. For a pair that is one team, run its alias command (with your name); for two teams, its distinct command. Until then the network counts each such team twice.\n`,
        );
      return 0;
    });
  });
}

export function teamsCommand(): Command {
  const teams = new Command('teams')
    .description(
      "The team register: list teams, pairs that are possibly the same team, confirm a renamed team's name, register teams in the network (one by one or from a list).",
    )
    .addHelpText(
      'after',
      `
Examples:
  census teams list
  census teams alias --team 4 --name "New Name" --host "Host Trust" --by "A. Lee"
  census teams add --name "Harbour Team" --host "Harbour NHS Trust" --from 2025
  census teams import network-2025.xlsx --from 2025
  census teams candidates`,
    );
  for (const sub of [
    listCommand(),
    candidatesCommand(),
    aliasCommand(),
    distinctCommand(),
    addCommand(),
    importCommand(),
  ]) {
    sub.option('--workspace <dir>', 'workspace folder');
    const lists = sub.name() === 'list' || sub.name() === 'candidates';
    if (!lists) sub.option('--json', 'print JSON on stdout');
    if (!lists) sub.option('--no-wait', 'exit at once (code 3) if another command is writing');
    sub.exitOverride();
    sub.addHelpText(
      'after',
      sub.name() === 'import'
        ? EXIT_CODES_HELP.replace(
            'data issues of severity "error" were found (see census issues)',
            'rows were left out (named by row number; the other rows are registered)',
          )
        : EXIT_CODES_NO_ISSUES_HELP,
    );
    teams.addCommand(sub);
  }
  return teams;
}
