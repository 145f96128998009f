import type { Kysely } from 'kysely';
import { canonicalJson, type Json } from '../../reports/canonical-json.ts';
import { sha256Hex } from '../../reports/hash.ts';
import type { Manifest } from '../../reports/manifest.ts';
import { byText } from '../../reports/order.ts';
import type { Database } from '../../schemas/db.ts';

/**
 * A person's decision as a manifest input: the hash of what it decides (the fields named), never of
 * who made it, when, the words of their reason, or the form, sheet or file it came through. The same
 * decisions made on the review desk or through the command line's round trips, by another person or
 * on another day, give the same manifest (issue 20: the two reports must be byte-identical); who,
 * when and why stay in the audit log and in `census audit`.
 */
export function decisionHash(row: Record<string, unknown>, fields: readonly string[]): string {
  const kept = Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));
  return sha256Hex(canonicalJson(JSON.parse(JSON.stringify(kept)) as Json));
}

const CORRECTION_FIELDS = ['wave', 'response_sha256', 'slot', 'low', 'high', 'flags'] as const;

/**
 * The corrections a build applied, as manifest inputs (report.md: "content hash of every ... correction"),
 * each by what it sets on which value (its slot, the identity that survives reprocessing, by which a
 * correction is applied). Only
 * corrections in force are listed: a reverted correction no longer shapes any output, so that a revert
 * gives back the earlier build byte for byte, manifest included. Reverts show in census audit.
 */
export async function correctionManifestEntries(
  db: Kysely<Database>,
  waves: readonly number[],
): Promise<Manifest['corrections']> {
  if (waves.length === 0) return [];
  const rows = await db
    .selectFrom('correction_in_force')
    .selectAll()
    .where('wave', 'in', [...waves])
    .orderBy('id')
    .execute();
  // Named by the value's slot and the correction's place among those of that value (1, 2, ...), not by
  // its row id: corrections of several values made in another order name the same entries.
  const seen = new Map<string, number>();
  return rows
    .map((r) => {
      const n = (seen.get(r.slot) ?? 0) + 1;
      seen.set(r.slot, n);
      return {
        slot: r.slot,
        n,
        entry: {
          kind: 'foi_correction',
          id: `${r.slot}#${n}`,
          sha256: decisionHash(r as unknown as Record<string, unknown>, CORRECTION_FIELDS),
        },
      };
    })
    .sort((x, y) => byText(x.slot, y.slot) || x.n - y.n)
    .map((x) => x.entry);
}
