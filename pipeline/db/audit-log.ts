import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { CensusError } from '../../schemas/fault.ts';

/**
 * The append-only audit log (sql/008): who did what and when. Detail holds ids and counts, never
 * personal data or answer text.
 */
export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  entry: { at: Date; actor: string; action: string; wave?: number | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      wave: entry.wave ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** Refuses to change a locked wave: ingest, corrections and coding all call this first. */
export async function assertWaveUnlocked(
  db: Kysely<Database> | Transaction<Database>,
  wave: number,
  what: string,
): Promise<void> {
  const lock = await db.selectFrom('wave_lock').selectAll().where('wave', '=', wave).executeTakeFirst();
  if (lock) {
    throw new CensusError(
      'wave_locked',
      `Wave ${wave} is locked (by ${lock.locked_by} on ${new Date(lock.locked_at).toISOString().slice(0, 10)}: ${lock.reason}); ${what} was refused.`,
      `If the wave really must change, unlock it first: census unlock --wave ${wave} --by NAME --reason "why"; the unlock is logged.`,
    );
  }
}

export async function lockWave(
  db: Kysely<Database>,
  input: { wave: number; by: string; reason: string; at: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .insertInto('wave_lock')
      .values({ wave: input.wave, locked_at: input.at, locked_by: input.by, reason: input.reason })
      .onConflict((oc) => oc.column('wave').doNothing())
      .returning('wave')
      .executeTakeFirst();
    if (res)
      await recordAudit(trx, {
        at: input.at,
        actor: input.by,
        action: 'lock',
        wave: input.wave,
        detail: { reason: input.reason },
      });
    return res !== undefined;
  });
}

export async function unlockWave(
  db: Kysely<Database>,
  input: { wave: number; by: string; reason: string; at: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('wave_lock').where('wave', '=', input.wave).returning('wave').executeTakeFirst();
    if (res)
      await recordAudit(trx, {
        at: input.at,
        actor: input.by,
        action: 'unlock',
        wave: input.wave,
        detail: { reason: input.reason },
      });
    return res !== undefined;
  });
}
