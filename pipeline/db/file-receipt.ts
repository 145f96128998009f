import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';

export interface Receipt {
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  name: string;
  wave: number;
  sourceKind: string;
  at: Date;
  runId: string | null;
  parentHash?: string | null;
}

/** The bytes' row, under the first name they came by. */
const rawRow = (r: Receipt) => ({
  sha256: r.sha256,
  size_bytes: r.sizeBytes,
  media_type: r.mediaType,
  first_name: r.name,
  first_received_at: r.at,
});

/** The receipt of the bytes for a wave. */
const receiptRow = (r: Receipt) => ({
  sha256: r.sha256,
  wave: r.wave,
  original_name: r.name,
  source_kind: r.sourceKind,
  received_at: r.at,
  run_id: r.runId,
  parent_sha256: r.parentHash ?? null,
});

/**
 * A file received for a wave: its bytes' row in raw_file (once, under the first name it came by) and
 * its receipt for the wave (once per wave). True when the receipt is new, false when the same bytes
 * were received for the wave before. Returns, FOI replies, registers and coding sheets alike.
 */
export async function recordReceipt(db: Kysely<Database>, r: Receipt): Promise<boolean> {
  await db
    .insertInto('raw_file')
    .values(rawRow(r))
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const receipt = await db
    .insertInto('file_receipt')
    .values(receiptRow(r))
    .onConflict((oc) => oc.columns(['sha256', 'wave']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return receipt !== undefined;
}

/**
 * receive's receipt in one statement (#18: a statement is a round trip, and outside a transaction a
 * commit): the earlier receipt of the bytes for the wave when there is one, else recordReceipt's two
 * inserts. `earlier` when a receipt was there before (with the rule version it was processed with),
 * `inserted` when this statement made it; `receivedAt` the receipt's time either way.
 */
export async function receiptOf(
  db: Kysely<Database>,
  r: Receipt,
): Promise<{ earlier: boolean; processed: string | null; inserted: boolean; receivedAt: Date | null }> {
  const row = await db
    .with('earlier', (qb) =>
      qb
        .selectFrom('file_receipt')
        .select(['processed_rule_version', 'received_at'])
        .where('sha256', '=', r.sha256)
        .where('wave', '=', r.wave),
    )
    .with('raw', (qb) =>
      qb
        .insertInto('raw_file')
        .values(rawRow(r))
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning('sha256'),
    )
    .with('rec', (qb) =>
      qb
        .insertInto('file_receipt')
        .values(receiptRow(r))
        .onConflict((oc) => oc.columns(['sha256', 'wave']).doNothing())
        .returning(['id', 'received_at']),
    )
    .selectNoFrom([
      sql<boolean>`exists (select 1 from earlier)`.as('earlier'),
      sql<string | null>`(select processed_rule_version from earlier)`.as('processed'),
      sql<boolean>`exists (select 1 from rec)`.as('inserted'),
      sql<Date | null>`coalesce((select received_at from rec), (select received_at from earlier))`.as('received_at'),
    ])
    .executeTakeFirstOrThrow();
  return {
    earlier: row.earlier,
    processed: row.processed,
    inserted: row.inserted,
    receivedAt: row.received_at === null ? null : new Date(row.received_at),
  };
}
