import type { Kysely } from 'kysely';
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

/**
 * A file received for a wave: its bytes' row in raw_file (once, under the first name it came by) and
 * its receipt for the wave (once per wave). True when the receipt is new, false when the same bytes
 * were received for the wave before. Returns, FOI replies, registers and coding sheets alike.
 */
export async function recordReceipt(db: Kysely<Database>, r: Receipt): Promise<boolean> {
  await db
    .insertInto('raw_file')
    .values({
      sha256: r.sha256,
      size_bytes: r.sizeBytes,
      media_type: r.mediaType,
      first_name: r.name,
      first_received_at: r.at,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const receipt = await db
    .insertInto('file_receipt')
    .values({
      sha256: r.sha256,
      wave: r.wave,
      original_name: r.name,
      source_kind: r.sourceKind,
      received_at: r.at,
      run_id: r.runId,
      parent_sha256: r.parentHash ?? null,
    })
    .onConflict((oc) => oc.columns(['sha256', 'wave']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return receipt !== undefined;
}
