import { basename } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { CensusError } from '../../schemas/fault.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';
import { settleTeamWave } from './teams.ts';
import { WITHDRAWN_PREFIX } from './withdraw-state.ts';

/** sql/011: one row per withdrawal of a return or undo of one; the latest row of a return applies. */
interface ReturnWithdrawalTable {
  id: import('kysely').Generated<string>;
  sha256: string;
  wave: number;
  part: number;
  withdrawn: boolean;
  decided_by: string;
  reason: string;
  decided_at: Date;
}
declare module '../../schemas/db.ts' {
  interface Database {
    return_withdrawal: ReturnWithdrawalTable;
  }
}

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredReturnFile {
  sha256: string;
  wave: number;
  name: string;
}

/**
 * The received file a person names: by its name as received (a path is cut to its name) or by the
 * start of its sha256 (8 characters or more), in the wave given if any. Exactly one must fit.
 */
export async function findReturnFile(db: Db, named: string, wave: number | null): Promise<StoredReturnFile> {
  const name = basename(named.trim());
  const byHash = /^[0-9a-f]{8,64}$/i.test(name) ? name.toLowerCase() : null;
  let q = db
    .selectFrom('file_receipt as f')
    .innerJoin('questionnaire_return as r', (j) => j.onRef('r.sha256', '=', 'f.sha256').onRef('r.wave', '=', 'f.wave'))
    .select(['f.sha256', 'f.wave', 'f.original_name'])
    .distinct()
    .where((eb) =>
      byHash
        ? eb.or([eb('f.original_name', '=', name), eb('f.sha256', 'like', `${byHash}%`)])
        : eb('f.original_name', '=', name),
    );
  if (wave !== null) q = q.where('f.wave', '=', wave);
  const rows = await q.orderBy('f.wave').orderBy('f.sha256').execute();
  if (rows.length === 0)
    throw new CensusError(
      'usage',
      `No questionnaire return was received as "${name}"${wave !== null ? ` for wave ${wave}` : ''}.`,
      'Give the file name as `census returns --wave W` lists it, or the start of its sha256.',
    );
  if (rows.length > 1)
    throw new CensusError(
      'usage',
      `"${name}" names ${rows.length} received files: ${rows.map((r) => `${r.original_name} (wave ${r.wave}, ${r.sha256.slice(0, 12)})`).join(', ')}.`,
      'Add --wave W, or give the start of the sha256 instead of the name.',
    );
  return { sha256: rows[0]!.sha256, wave: rows[0]!.wave, name: rows[0]!.original_name };
}

/**
 * The files of a wave that have any withdrawal row (withdrawn or taken back): read once per ingest
 * batch, so a file with none skips applyWithdrawals' query (#18). Withdrawals are made under the
 * workspace's write lock, which the ingest holds: the set cannot change while it runs.
 */
export async function filesWithWithdrawals(db: Db, wave: number): Promise<Set<string>> {
  const rows = await db.selectFrom('return_withdrawal').select('sha256').distinct().where('wave', '=', wave).execute();
  return new Set(rows.map((r) => r.sha256));
}

/** The latest withdrawal row of each part of a file, withdrawn or not. */
async function latestOf(db: Db, sha256: string, wave: number): Promise<Map<number, ReturnWithdrawalRow>> {
  const rows = await db
    .selectFrom('return_withdrawal')
    .select(['part', 'withdrawn', 'decided_by', 'reason', 'decided_at'])
    .where('sha256', '=', sha256)
    .where('wave', '=', wave)
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.part, { ...r, decided_at: new Date(r.decided_at) }]));
}
type ReturnWithdrawalRow = { part: number; withdrawn: boolean; decided_by: string; reason: string; decided_at: Date };

/** The state_reason of a withdrawn return: starts with WITHDRAWN_PREFIX (open-errors.ts reads it). */
function withdrawnReason(w: ReturnWithdrawalRow): string {
  return `${WITHDRAWN_PREFIX} by ${w.decided_by} on ${w.decided_at.toISOString().slice(0, 10)}: ${w.reason}`;
}

/**
 * Puts the withdrawals in force on a file's returns (state rejected, with who, when and why): run by
 * load before the teams are settled, so a withdrawal outlives every re-ingest. Returns the teams of
 * the returns it changed.
 */
export async function applyWithdrawals(
  trx: Transaction<Database>,
  sha256: string,
  wave: number,
): Promise<{ teams: string[]; keptOutParts: number[] }> {
  const latest = await latestOf(trx, sha256, wave);
  const teams: string[] = [];
  const keptOutParts: number[] = [];
  for (const [part, w] of latest) {
    if (!w.withdrawn) continue;
    // Only returns the load had counted as loaded (a return rejected for its own reason stays counted as rejected).
    const before = await trx
      .selectFrom('questionnaire_return')
      .select('state')
      .where('sha256', '=', sha256)
      .where('wave', '=', wave)
      .where('part', '=', part)
      .executeTakeFirst();
    const changed = await trx
      .updateTable('questionnaire_return')
      .set({ state: 'rejected', state_reason: withdrawnReason(w) })
      .where('sha256', '=', sha256)
      .where('wave', '=', wave)
      .where('part', '=', part)
      .returning('team_id')
      .execute();
    if (changed.length && before && before.state !== 'rejected') keptOutParts.push(part);
    for (const c of changed) if (c.team_id !== null) teams.push(String(c.team_id));
  }
  return { teams, keptOutParts };
}

export interface WithdrawOutcome {
  file: StoredReturnFile;
  parts: number[];
  /** Parts already in the state asked for (nothing recorded for them). */
  unchanged: number[];
}

/**
 * Withdraws a file's returns (`undo`: takes the withdrawal back), recorded with who and why and in
 * the audit log. A withdrawn return is kept in the store, listed with its reason and feeds no figure;
 * the team's other returns are settled again (an earlier return may stand again). After an undo the
 * caller reads the file again, which gives the return the state its contents give it.
 */
export async function withdrawReturns(
  db: Kysely<Database>,
  input: {
    file: StoredReturnFile;
    part: number | null;
    undo: boolean;
    by: string;
    reason: string;
    now: Date;
  },
): Promise<WithdrawOutcome> {
  const { file } = input;
  await assertWaveUnlocked(db, file.wave, 'this withdrawal');
  return db.transaction().execute(async (trx) => {
    const returns = await trx
      .selectFrom('questionnaire_return')
      .select(['part', 'team_id'])
      .where('sha256', '=', file.sha256)
      .where('wave', '=', file.wave)
      .orderBy('part')
      .execute();
    const parts = returns.map((r) => r.part).filter((p) => input.part === null || p === input.part);
    if (parts.length === 0)
      throw new CensusError(
        'usage',
        `${file.name} has no return ${input.part} for wave ${file.wave}.`,
        'See the parts with `census returns --wave W` (a survey export lists one per row: name #part).',
      );
    const latest = await latestOf(trx, file.sha256, file.wave);
    const todo = parts.filter((p) => (latest.get(p)?.withdrawn ?? false) === input.undo);
    const unchanged = parts.filter((p) => !todo.includes(p));
    if (todo.length === 0) return { file, parts: [], unchanged };
    await trx
      .insertInto('return_withdrawal')
      .values(
        todo.map((part) => ({
          sha256: file.sha256,
          wave: file.wave,
          part,
          withdrawn: !input.undo,
          decided_by: input.by,
          reason: input.reason,
          decided_at: input.now,
        })),
      )
      .execute();
    if (!input.undo) {
      const teams = new Set([
        ...(await applyWithdrawals(trx, file.sha256, file.wave)).teams,
        ...returns.flatMap((r) => (r.team_id === null ? [] : [String(r.team_id)])),
      ]);
      for (const team of [...teams].sort()) await settleTeamWave(trx, team, file.wave);
    }
    await recordAudit(trx, {
      at: input.now,
      actor: input.by,
      action: input.undo ? 'return_withdraw_undo' : 'return_withdraw',
      wave: file.wave,
      detail: { sha256: file.sha256, file: file.name, parts: todo, reason: input.reason },
    });
    return { file, parts: todo, unchanged };
  });
}
