import { sql } from 'kysely';
import type { Ctx } from '../../runtime/ctx.ts';
import type { Database } from '../../../schemas/db.ts';
import type { Issue } from '../../../schemas/issue.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { issueRow } from '../../db/issue-rows.ts';
import { fileTransaction } from '../../db/commit-group.ts';
import type { NormalisedFile } from './normalise.ts';
import { resolveTeam, settleTeamWave } from '../../returns/teams.ts';
import { applyWithdrawals } from '../../returns/withdraw.ts';
import { yearOnYearIssues } from './year-on-year.ts';

export interface LoadResult {
  returnsLoaded: number;
  returnsRejected: number;
  issues: Issue[];
}

/** PostgreSQL takes at most 65,535 bind parameters in one statement. */
const MAX_BIND_PARAMETERS = 65_535;

/**
 * Rows of one multi-row insert cut into statements under the bind-parameter limit (a workbook with
 * thousands of cells must not fail with "bind message has N parameter formats").
 */
export function bindChunks<T extends object>(rows: readonly T[], limit = MAX_BIND_PARAMETERS): T[][] {
  if (rows.length === 0) return [];
  const perRow = Math.max(1, ...rows.map((r) => Object.keys(r).length));
  const size = Math.max(1, Math.floor(limit / perRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * load: one file, one transaction. Earlier rows of the same file and wave are replaced, so a
 * rerun after a crash or a rule change gives exactly the rows of one clean run; a failure rolls
 * the whole file back and leaves other files untouched.
 */
export async function load(
  nf: NormalisedFile,
  input: { runId: string; ruleVersion: string },
  ctx: Ctx,
  /** The wave's files with a withdrawal row (filesWithWithdrawals), when the caller read them once for its batch. */
  withdrawals?: ReadonlySet<string>,
  /** The file's wave's question list, when the caller holds it (for the year-on-year checks). */
  list?: QuestionList,
): Promise<LoadResult> {
  const { file } = nf;
  const allIssues = [...nf.issues, ...nf.returns.flatMap((r) => r.issues)];
  const now = ctx.clock.now();
  let loaded = 0;
  let rejected = 0;
  // In the ingest's open group of files under a savepoint of its own (pipeline/db/commit-group.ts).
  await fileTransaction(
    ctx,
    async (trx) => {
      // Earlier rows of the file and its issues go in one statement (a data-modifying CTE): every
      // statement is a round trip to the server, and the thread that drives the database is the
      // bottleneck of an ingest (BENCHMARKS.md). A byte-identical copy received under another name
      // keeps its own row (file_duplicate_in_batch, issue 14 coverage).
      const previous = await trx
        .with('gone', (qb) =>
          qb
            .deleteFrom('data_issue')
            .where('sha256', '=', file.hash)
            .where('wave', '=', file.wave)
            .where('code', '<>', 'file_duplicate_in_batch')
            .returning('id'),
        )
        .deleteFrom('questionnaire_return')
        .where('sha256', '=', file.hash)
        .where('wave', '=', file.wave)
        .returning('team_id')
        .execute();
      const touched = new Set(previous.flatMap((t) => (t.team_id === null ? [] : [String(t.team_id)])));
      for (const r of nf.returns) {
        const team = r.teamName ? await resolveTeam(trx, r.teamName, r.hostOrganisation, now) : null;
        const values = {
          sha256: file.hash,
          wave: file.wave,
          source_kind: file.sourceKind,
          part: r.part,
          team_id: team?.teamId ?? null,
          team_match: team?.match ?? null,
          state: r.blocked || !team ? 'rejected' : 'loaded',
          state_reason: r.blocked ?? (team ? null : 'no team name'),
          template_version: r.templateVersion,
          date_completed: r.dateCompleted,
          received_at: now,
          rule_version: input.ruleVersion,
          run_id: input.runId,
        } as const;
        // The return, its answers (up to the bind-parameter limit) and its respondent in one
        // statement: the answers and the respondent take the new return's id from the CTE.
        const [first, ...rest] = bindChunks(r.answers, MAX_BIND_PARAMETERS - 64);
        const p = r.respondent;
        const hasRespondent = p.name !== null || p.email !== null || p.comments !== null;
        const newId = sql<string>`(select id from r)`;
        const withReturn = trx.with('r', (qb) => qb.insertInto('questionnaire_return').values(values).returning('id'));
        // (The CTE names added are not read again: typed as the statement without them.)
        const withAnswers = (first
          ? withReturn.with('a', (qb) =>
              qb
                .insertInto('answer')
                .values(first.map((a) => ({ ...a, return_id: newId })))
                .returning('return_id'),
            )
          : withReturn) as unknown as typeof withReturn;
        const withRespondent = (hasRespondent
          ? withAnswers.with('p', (qb) =>
              qb
                .insertInto('respondent')
                .values({ return_id: newId, ...p })
                .returning('return_id'),
            )
          : withAnswers) as unknown as typeof withReturn;
        const ret = await withRespondent.selectFrom('r').select('id').executeTakeFirstOrThrow();
        for (const part of bindChunks(rest.flat().map((a) => ({ ...a, return_id: String(ret.id) }))))
          await trx.insertInto('answer').values(part).execute();
        if (team) touched.add(team.teamId);
        if (r.blocked || !team) rejected += 1;
        else loaded += 1;
      }
      ctx.checkpoint?.('load:in-transaction');
      // A return a person withdrew stays withdrawn however often its file is read again.
      const withdrawn =
        withdrawals && !withdrawals.has(file.hash)
          ? { teams: [], keptOutParts: [] }
          : await applyWithdrawals(trx, file.hash, file.wave);
      for (const teamId of withdrawn.teams) touched.add(teamId);
      // A withdrawn return read again is kept out, not loaded (issue 14).
      loaded -= withdrawn.keptOutParts.length;
      rejected += withdrawn.keptOutParts.length;
      for (const teamId of [...touched].sort()) await settleTeamWave(trx, teamId, file.wave);
      allIssues.push(...(await yearOnYearIssues(trx, file, ctx, list?.wave === file.wave ? list : undefined)));
      const receipt = trx
        .updateTable('file_receipt')
        .set({ processed_rule_version: input.ruleVersion })
        .where('sha256', '=', file.hash)
        .where('wave', '=', file.wave);
      const issueRows = allIssues.map((i) =>
        issueRow({ ...i, location: { ...i.location, fileHash: file.hash } }, file.originalName, file.wave, input.runId),
      );
      // The receipt's rule version and the first issues in one statement.
      const [firstIssues, ...moreIssues] = bindChunks(issueRows, MAX_BIND_PARAMETERS - 64);
      if (firstIssues)
        await trx
          .with('receipt', () => receipt.returning('sha256'))
          .insertInto('data_issue')
          .values(firstIssues)
          .execute();
      else await receipt.execute();
      for (const part of moreIssues) await trx.insertInto('data_issue').values(part).execute();
      return issueRows.length + nf.returns.reduce((n, r) => n + 1 + r.answers.length, 0);
    },
    (rows) => rows,
  );
  return { returnsLoaded: loaded, returnsRejected: rejected, issues: allIssues };
}
