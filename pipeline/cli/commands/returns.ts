import { Command } from 'commander';
import { parseWave, usageError, withCtx } from '../run.ts';
import { safeName, terminalWidth, textTable, wrapCell } from '../../runtime/terminal.ts';
import { listReturns, type ReturnListing } from '../../returns/list.ts';
import { missingTeams } from '../../returns/network.ts';
import { waveCoverage, type WaveCoverage } from '../../returns/coverage.ts';
import { questionListFor } from '../../runtime/waves.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { csvText, pageOut, printList, type ListColumn } from '../format.ts';
import { formatOf, withFormat } from '../options.ts';

/** The coverage block of `census returns`: response rate, item non-response per question, files kept out. */
function coverageText(c: WaveCoverage, list: QuestionList | null): string {
  // Sentences wrap at spaces to the terminal, like the tables' cells (piped: unlimited, whole lines).
  const prose = (text: string): string => wrapCell(text, terminalWidth()).join('\n');
  const rate = c.network > 0 ? `${Math.round((100 * c.returned) / c.network)}%` : 'no network yet';
  const lines = [
    prose(
      `Coverage, wave ${c.wave}: ${c.returned} team(s) with a loaded return of ${c.network} in the network (${rate}); ${c.missing} with none (census returns --missing).`,
    ),
    prose(
      c.openCandidatePairs > 0
        ? `The network may count a team twice: ${c.openCandidatePairs} pair(s) of its teams are possibly one team under two names and not reviewed yet (census teams candidates).`
        : 'No pair of teams in the network looks like one team under two names (census teams candidates).',
    ),
  ];
  const label = (q: string): string => list?.questions.find((x) => x.id === q)?.label ?? q;
  const asked = new Set(
    list ? list.questions.filter((q) => !q.personal).map((q) => q.id) : c.questions.map((q) => q.questionId),
  );
  const rows = c.questions.filter((q) => asked.has(q.questionId) && (q.notAnswered > 0 || q.flagged > 0));
  if (rows.length) {
    lines.push(
      '',
      prose('Item non-response (loaded returns): questions with answers not given, unreadable or flagged'),
      textTable(
        ['question', 'label', 'answered', 'not answered', 'of which unreadable', 'flagged'],
        rows
          .sort(
            (a, b) => b.notAnswered + b.flagged - (a.notAnswered + a.flagged) || (a.questionId < b.questionId ? -1 : 1),
          )
          .map((q) => [
            q.questionId,
            safeName(label(q.questionId)),
            q.answered,
            q.notAnswered,
            q.unreadable,
            q.flagged,
          ]),
      ),
    );
  }
  const unreadable = c.questions.reduce((n, q) => n + q.unreadable, 0);
  const flagged = c.questions.reduce((n, q) => n + q.flagged, 0);
  lines.push(
    '',
    prose(
      `${unreadable} answer(s) unreadable (stored missing, raw text kept), ${flagged} answer(s) flagged (kept as given).`,
    ),
  );
  if (c.keptOut.length) {
    lines.push(
      '',
      `Files kept out of the figures (${c.keptOut.length}):`,
      textTable(
        ['file', 'state', 'reason'],
        c.keptOut.map((k) => [safeName(k.part ? `${k.file} #${k.part}` : k.file), k.state, safeName(k.reason)]),
      ),
    );
  } else lines.push('', 'No file kept out of the figures.');
  return `${lines.join('\n')}\n`;
}

/** The columns of `census returns` (text and csv). */
const RETURN_COLUMNS: readonly ListColumn<ReturnListing>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'file', value: (r) => safeName(r.part ? `${r.file} #${r.part}` : r.file) },
  { header: 'team', value: (r) => safeName(r.team ?? r.statedName ?? '') },
  { header: 'state', value: (r) => r.state },
  { header: 'reason / decision', value: (r) => safeName(r.reason ?? '') },
  { header: 'completed', value: (r) => r.dateCompleted ?? '' },
  { header: 'received', value: (r) => r.received.slice(0, 16).replace('T', ' ') },
  { header: 'match', value: (r) => r.match ?? '' },
];

/** The per-question coverage as csv (`census returns --coverage --format csv`). */
const COVERAGE_COLUMNS: readonly ListColumn<WaveCoverage['questions'][number]>[] = [
  { header: 'question', value: (q) => q.questionId },
  { header: 'teams', value: (q) => q.teams },
  { header: 'answered', value: (q) => q.answered },
  { header: 'not answered', value: (q) => q.notAnswered },
  { header: 'of which unreadable', value: (q) => q.unreadable },
  { header: 'flagged', value: (q) => q.flagged },
];

export const NETWORK_HELP = `
The network of wave W (for --missing) is read as:
  - every team with a loaded return in an earlier wave, unless it was registered with an end
    (census teams add --to) before W, plus
  - every team registered with \`census teams add\` for a period covering W.
A team whose only returns were rejected, superseded or in conflict is not in it until registered.`;

function withdrawCommand(): Command {
  return new Command('withdraw')
    .description(
      'Withdraw a return (kept in the store, listed with its reason, feeds no figure), or take a withdrawal back with --undo.',
    )
    .argument('<file>', 'the file as `census returns` lists it (a path is cut to its name), or the start of its sha256')
    .requiredOption('--reason <text>', 'why (required; kept with the return and in the audit log)')
    .option('--wave <year>', 'the wave, when the same file was received for more than one')
    .option('--part <n>', 'one row of a survey export (default: every return of the file)')
    .option(
      '--undo',
      'take the withdrawal back: the file is read again and its return gets the state its contents give it',
    )
    .option('--workspace <dir>', 'workspace folder')
    .option('--json', 'print the outcome as JSON on stdout')
    .option('--no-wait', 'exit at once (code 3) if another command is writing')
    .addHelpText(
      'after',
      `
Examples:
  census returns withdraw "Alder Team.xlsx" --reason "sent by mistake; the team has not started yet"
  census returns withdraw "Alder Team.xlsx" --undo --reason "withdrawn by mistake"
  census returns withdraw export-2023.csv --part 7 --wave 2023 --reason "test response"
The person recorded is $CENSUS_USER (else the login name).`,
    )
    .action(
      async (
        file: string,
        own: {
          reason: string;
          wave?: string;
          part?: string;
          undo?: boolean;
          workspace?: string;
          json?: boolean;
          wait?: boolean;
        },
        cmd: Command,
      ) => {
        // --workspace, --wave and --json after \`withdraw\` may be taken by \`returns\` itself, which has them too.
        const opts = { ...cmd.parent?.opts(), ...own } as typeof own;
        process.exitCode = await withCtx(opts, { writes: true }, async (ctx) => {
          const reason = opts.reason.trim();
          if (!/\p{L}|\p{N}/u.test(reason))
            throw usageError(
              '--reason is required: say why, for whoever reads the record later.',
              'e.g. --reason "sent by mistake"',
            );
          const part = opts.part === undefined ? null : Number(opts.part);
          if (part !== null && !(Number.isInteger(part) && part >= 0))
            throw usageError(
              `--part ${opts.part} is not a row number.`,
              'Give the number after # in `census returns`.',
            );
          const { findReturnFile, withdrawReturns } = await import('../../returns/withdraw.ts');
          const found = await findReturnFile(ctx.db, file, opts.wave === undefined ? null : parseWave(opts.wave));
          const undo = opts.undo === true;
          const out = await withdrawReturns(ctx.db, {
            file: found,
            part,
            undo,
            by: ctx.actor ?? 'unknown',
            reason,
            now: ctx.clock.now(),
          });
          if (undo && out.parts.length) {
            const { rereadFiles } = await import('../../ingest/questionnaire/reread.ts');
            await rereadFiles(ctx, found.wave, [found.sha256], `returns withdraw --undo --wave ${found.wave}`);
          }
          const states = (await listReturns(ctx.db, found.wave)).filter(
            (r) => r.file === found.name && (part === null || r.part === part),
          );
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...out, undo, returns: states }, null, 2)}\n`);
          else {
            const what = undo ? 'withdrawal taken back' : 'withdrawn';
            process.stdout.write(
              out.parts.length
                ? `${safeName(found.name)} (wave ${found.wave}): ${out.parts.length} return(s) ${what}.\n`
                : `${safeName(found.name)} (wave ${found.wave}): nothing to do, already ${undo ? 'not withdrawn' : 'withdrawn'}.\n`,
            );
            for (const r of states)
              process.stdout.write(`  return ${r.id}: ${r.state}${r.reason ? ` (${safeName(r.reason)})` : ''}\n`);
          }
          return 0;
        });
      },
    );
}

export function returnsCommand(): Command {
  const cmd = new Command('returns')
    .description(
      'List every return of a wave: file, team, state (loaded / superseded / conflict / rejected) and why, date completed, received, how the team was matched.',
    )
    .option('--wave <year>', 'wave, e.g. 2025 (required)')
    .option('--workspace <dir>', 'workspace folder')
    .option('--missing', 'instead, list the teams of the network with no loaded return for the wave yet')
    .option(
      '--coverage',
      'instead, only the coverage: response rate, item non-response per question, files kept out (with --json: one object)',
    )
    .addHelpText(
      'after',
      `
Examples:
  census returns --wave 2025
  census returns --wave 2025 --json
  census returns --wave 2025 --format csv > returns-2025.csv
  census returns --wave 2025 --missing
  census returns --wave 2025 --coverage --json
  census returns --wave 2025 --coverage --format csv > item-nonresponse.csv
  census returns withdraw "Alder Team.xlsx" --reason "sent by mistake"
The id column is what \`census resolve --return ID\` takes; ids change when a file is re-ingested.
States: loaded feeds the figures; superseded (an earlier or not-kept return of the same team) and
conflict (two respondents claim one team; see census resolve) and rejected (a file-level problem,
or withdrawn with \`census returns withdraw\`, with who, when and why) feed none.
Below the list, the coverage: teams with a loaded return / teams in the network (the response rate),
per question the answers not given, unreadable (stored missing, raw text kept) and flagged (kept as
given, with an issue), and every file kept out of the figures with its reason.
--format csv writes one table: the returns, the missing teams (--missing), or the per-question
counts (--coverage); json writes the same data as --json.
${NETWORK_HELP}`,
    )
    .addCommand(withdrawCommand());
  return withFormat(cmd).action(
    async (opts: {
      wave?: string;
      workspace?: string;
      json?: boolean;
      format?: string;
      missing?: boolean;
      coverage?: boolean;
    }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        if (opts.wave === undefined)
          throw usageError("required option '--wave <year>' not specified", 'e.g. census returns --wave 2025');
        const wave = parseWave(opts.wave);
        const out = process.stdout;
        const format = formatOf(opts);
        if (opts.missing) {
          const teams = await missingTeams(ctx.db, wave);
          await printList(format, teams, {
            columns: [
              { header: 'team id', value: (t) => t.teamId },
              { header: 'team', value: (t) => safeName(t.name) },
              { header: 'host', value: (t) => safeName(t.host ?? '') },
              { header: 'last loaded wave', value: (t) => t.lastWave ?? '' },
              { header: 'registered', value: (t) => (t.registered ? 'yes' : 'no') },
            ],
            empty: `Every team of the wave ${wave} network has a loaded return.`,
            footer: `${teams.length} team(s) of the network have no loaded return for ${wave}.`,
          });
          return 0;
        }
        const list = (): QuestionList | null => {
          try {
            return questionListFor(wave, ctx.workspace.wavesDir);
          } catch {
            return null;
          }
        };
        if (opts.coverage) {
          const c = await waveCoverage(ctx.db, wave);
          if (format === 'csv') out.write(csvText(COVERAGE_COLUMNS, c.questions));
          else if (format === 'json') out.write(`${JSON.stringify(c, null, 2)}\n`);
          else await pageOut(coverageText(c, list()));
          return 0;
        }
        const rows = await listReturns(ctx.db, wave);
        if (format !== 'text') {
          await printList(format, rows, { columns: RETURN_COLUMNS });
          return 0;
        }
        // The list, its count and the coverage as one text: paged together on a terminal when longer than it.
        const count = (s: string): number => rows.filter((r) => r.state === s).length;
        const listed =
          rows.length === 0
            ? `No returns for wave ${wave}.\n`
            : `${textTable(
                RETURN_COLUMNS.map((c) => c.header),
                rows.map((r) => RETURN_COLUMNS.map((c) => c.value(r) ?? '')),
              )}\n\n${wrapCell(
                `${rows.length} return(s): ${count('loaded')} loaded, ${count('superseded')} superseded, ${count('conflict')} in conflict, ${count('rejected')} rejected.`,
                terminalWidth(),
              ).join('\n')}\n`;
        await pageOut(`${listed}\n${coverageText(await waveCoverage(ctx.db, wave), list())}`);
        return 0;
      });
    },
  );
}
