import { Command } from 'commander';
import { parseWave, withCtx } from '../run.ts';
import { safeName, textTable } from '../../runtime/terminal.ts';
import { listReturns } from '../../returns/list.ts';
import { missingTeams } from '../../returns/network.ts';

export const NETWORK_HELP = `
The network of wave W (for --missing) is read as:
  - every team with a loaded return in an earlier wave, unless it was registered with an end
    (census teams add --to) before W, plus
  - every team registered with \`census teams add\` for a period covering W.
A team whose only returns were rejected, superseded or in conflict is not in it until registered.`;

export function returnsCommand(): Command {
  return new Command('returns')
    .description(
      'List every return of a wave: file, team, state (loaded / superseded / conflict / rejected) and why, date completed, received, how the team was matched.',
    )
    .requiredOption('--wave <year>', 'wave, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder')
    .option('--missing', 'instead, list the teams of the network with no loaded return for the wave yet')
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  census returns --wave 2025
  census returns --wave 2025 --json
  census returns --wave 2025 --missing
The id column is what \`census resolve --return ID\` takes; ids change when a file is re-ingested.
States: loaded feeds the figures; superseded (an earlier or not-kept return of the same team) and
conflict (two respondents claim one team; see census resolve) and rejected (errors) feed none.
${NETWORK_HELP}`,
    )
    .action(async (opts: { wave: string; workspace?: string; json?: boolean; missing?: boolean }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        const wave = parseWave(opts.wave);
        const out = process.stdout;
        if (opts.missing) {
          const teams = await missingTeams(ctx.db, wave);
          if (opts.json) out.write(`${JSON.stringify(teams, null, 2)}\n`);
          else if (teams.length === 0) out.write(`Every team of the wave ${wave} network has a loaded return.\n`);
          else {
            out.write(
              `${textTable(
                ['team id', 'team', 'host', 'last loaded wave', 'registered'],
                teams.map((t) => [
                  t.teamId,
                  safeName(t.name),
                  safeName(t.host ?? ''),
                  t.lastWave ?? '-',
                  t.registered ? 'yes' : 'no',
                ]),
              )}\n\n${teams.length} team(s) of the network have no loaded return for ${wave}.\n`,
            );
          }
          return 0;
        }
        const rows = await listReturns(ctx.db, wave);
        if (opts.json) out.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) out.write(`No returns for wave ${wave}.\n`);
        else {
          out.write(
            `${textTable(
              ['id', 'file', 'team', 'state', 'reason / decision', 'completed', 'received', 'match'],
              rows.map((r) => [
                r.id,
                safeName(r.part ? `${r.file} #${r.part}` : r.file),
                safeName(r.team ?? r.statedName ?? '-'),
                r.state,
                safeName(r.reason ?? ''),
                r.dateCompleted ?? '-',
                r.received.slice(0, 16).replace('T', ' '),
                r.match ?? '-',
              ]),
            )}\n`,
          );
          const count = (s: string): number => rows.filter((r) => r.state === s).length;
          out.write(
            `\n${rows.length} return(s): ${count('loaded')} loaded, ${count('superseded')} superseded, ${count('conflict')} in conflict, ${count('rejected')} rejected.\n`,
          );
        }
        return 0;
      });
    });
}
