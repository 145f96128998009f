import type { Transaction } from 'kysely';
import type { Ctx } from '../runtime/ctx.ts';
import type { Database, ReturnDecisionKind, ReturnState } from '../../schemas/db.ts';
import { CensusError } from '../../schemas/fault.ts';
import { recordDecision } from './decisions.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';
import { confirmAlias, statedIdentity, type AliasOutcome } from './team-alias.ts';
import { settleTeamWave } from './teams.ts';

/**
 * `census resolve`: a person settles who a return is. `keep` makes it the team's return for the
 * wave; `as_team` / `new_team` say it is another (or a new) team. The decision is data
 * (return_decision) that settleTeamWave applies on every later load, so it survives re-ingest.
 */
export type ResolveAction = { kind: 'keep' } | { kind: 'as_team'; teamId: string } | { kind: 'new_team' };

export interface ResolveResult {
  decisionId: number;
  returnId: string;
  wave: number;
  decision: ReturnDecisionKind;
  teamId: string;
  /** as_team / new_team: what happened to the return's own name as an alias of its team. */
  alias: AliasOutcome | null;
  /** Every return of the teams involved in that wave, after the decision. */
  returns: { id: string; teamId: string; state: ReturnState; reason: string | null }[];
}

const usage = (message: string, hint: string): CensusError => new CensusError('usage', message, hint);

export async function resolveReturn(
  input: { returnId: string; action: ResolveAction; by: string; reason: string },
  ctx: Ctx,
): Promise<ResolveResult> {
  if (!/^\d+$/.test(input.returnId))
    throw usage(
      `--return must be a return id (a number), not "${input.returnId}".`,
      'Find the id with `census returns --wave W`.',
    );
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const ret = await trx
      .selectFrom('questionnaire_return')
      .select(['id', 'sha256', 'wave', 'part', 'team_id', 'state'])
      .where('id', '=', input.returnId)
      .executeTakeFirst();
    if (!ret)
      throw usage(
        `There is no return ${input.returnId}.`,
        'Return ids change when a file is re-ingested: list the current ones with `census returns --wave W`.',
      );
    if (ret.state === 'rejected' || ret.team_id === null) {
      throw usage(
        `Return ${input.returnId} was rejected (errors in its answers, or no team name), so it cannot be loaded or assigned.`,
        `See \`census issues --wave ${ret.wave}\`; once the team sends a corrected file, ingest it and resolve again if needed.`,
      );
    }
    await assertWaveUnlocked(trx, ret.wave, 'this resolve');
    const fromTeam = String(ret.team_id);
    let teamId = fromTeam;
    let alias: AliasOutcome | null = null;
    if (input.action.kind !== 'keep') {
      const stated = await statedIdentity(trx, String(ret.id));
      if (input.action.kind === 'as_team') {
        teamId = await existingTeam(trx, input.action.teamId);
      } else {
        const from = await trx
          .selectFrom('team')
          .select(['name', 'host_organisation'])
          .where('id', '=', fromTeam)
          .executeTakeFirstOrThrow();
        const made = await trx
          .insertInto('team')
          .values({
            name: stated.name ?? from.name,
            host_organisation: stated.host ?? from.host_organisation,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        teamId = String(made.id);
      }
      if (stated.name) {
        alias = (
          await confirmAlias(trx, {
            teamId,
            name: stated.name,
            host: stated.host,
            by: input.by,
            reason: input.reason,
            now,
            takeFromOther: false,
          })
        ).outcome;
      }
    }
    const decisionId = await recordDecision(trx, {
      sha256: ret.sha256,
      wave: ret.wave,
      part: ret.part,
      kind: input.action.kind,
      teamId,
      by: input.by,
      reason: input.reason,
      at: now,
    });
    await settleTeamWave(trx, fromTeam, ret.wave);
    await recordAudit(trx, {
      at: now,
      actor: input.by,
      action: 'resolve',
      wave: ret.wave,
      detail: { decisionId, returnId: String(ret.id), decision: input.action.kind, fromTeam, teamId, alias },
    });
    const returns = await trx
      .selectFrom('questionnaire_return')
      .select(['id', 'team_id', 'state', 'state_reason'])
      .where('wave', '=', ret.wave)
      .where('team_id', 'in', [...new Set([fromTeam, teamId])])
      .orderBy('id')
      .execute();
    return {
      decisionId,
      returnId: String(ret.id),
      wave: ret.wave,
      decision: input.action.kind,
      teamId,
      alias,
      returns: returns.map((r) => ({
        id: String(r.id),
        teamId: String(r.team_id),
        state: r.state,
        reason: r.state_reason,
      })),
    };
  });
}

export async function existingTeam(trx: Transaction<Database>, id: string): Promise<string> {
  const team = /^\d+$/.test(id)
    ? await trx.selectFrom('team').select('id').where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!team) throw usage(`There is no team ${id}.`, 'List team ids with `census teams list`.');
  return String(team.id);
}
