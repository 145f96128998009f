import type { Kysely } from 'kysely';
import { canonicalJson, type Json } from '../../reports/canonical-json.ts';
import { sha256Hex } from '../../reports/hash.ts';
import type { Manifest } from '../../reports/manifest.ts';
import type { Database } from '../../schemas/db.ts';

/**
 * The corrections a build applied, as manifest inputs (report.md: "content hash of every ... correction").
 * Only corrections in force are listed: a reverted correction no longer shapes any output, so that a
 * revert gives back the earlier build byte for byte, manifest included. Reverts show in census audit.
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
  return rows.map((r) => ({
    kind: 'foi_correction',
    id: String(r.id),
    sha256: sha256Hex(canonicalJson(JSON.parse(JSON.stringify(r)) as Json)),
  }));
}
