import { sql } from 'kysely';
import { canonicalJson, type Json } from '../../reports/canonical-json.ts';
import { sha256Hex } from '../../reports/hash.ts';
import type { Manifest } from '../../reports/manifest.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { correctionManifestEntries } from './manifest-entries.ts';

/** The inputs a manifest records: raw files of the waves shown, corrections people made, the migration level. */
export async function sourceFiles(
  ctx: Ctx,
  waves: readonly number[],
  publicBuild: boolean,
): Promise<{ sources: Manifest['sources']; latestReceived: Date | null }> {
  if (waves.length === 0) return { sources: [], latestReceived: null };
  const rows = await ctx.db
    .selectFrom('report_source_file')
    .selectAll()
    .where('wave', 'in', [...waves])
    .orderBy('wave')
    .orderBy('sha256')
    .execute();
  const latest = rows.reduce<Date | null>(
    (m, r) => (m === null || r.received_at > m ? new Date(r.received_at) : m),
    null,
  );
  return {
    // File names can carry a team's name, so only internal manifests list them.
    sources: rows.map((r) => ({
      wave: r.wave,
      sha256: r.sha256,
      kind: r.source_kind,
      sizeBytes: Number(r.size_bytes),
      ...(publicBuild ? {} : { name: r.original_name }),
    })),
    latestReceived: latest,
  };
}

const rowHash = (row: Record<string, unknown>): string =>
  sha256Hex(canonicalJson(JSON.parse(JSON.stringify(row)) as Json));

/** Every person's decision on a return and every corrected FOI value of the waves, hashed row by row (their text stays out of the manifest). */
export async function corrections(ctx: Ctx, waves: readonly number[]): Promise<Manifest['corrections']> {
  if (waves.length === 0) return [];
  const decisions = await ctx.db
    .selectFrom('return_decision')
    .selectAll()
    .where('wave', 'in', [...waves])
    .orderBy('id')
    .execute();
  const values = await ctx.db
    .selectFrom('foi_value')
    .innerJoin('foi_response', 'foi_response.id', 'foi_value.response_id')
    .selectAll('foi_value')
    .where('foi_response.wave', 'in', [...waves])
    .where('foi_value.correction_of', 'is not', null)
    .orderBy('foi_value.id')
    .execute();
  return [
    ...decisions.map((d) => ({
      kind: 'return_decision',
      id: String(d.id),
      sha256: rowHash(d as unknown as Record<string, unknown>),
    })),
    ...values.map((v) => ({
      kind: 'foi_value_correction',
      id: String(v.id),
      sha256: rowHash(v as unknown as Record<string, unknown>),
    })),
    ...(await correctionManifestEntries(ctx.db, waves)),
  ];
}

export async function correctionCounts(
  ctx: Ctx,
  waves: readonly number[],
): Promise<{ wave: number; kind: string; corrections: number }[]> {
  if (waves.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('report_correction')
    .select(['wave', 'kind', 'corrections'])
    .where('wave', 'in', [...waves])
    .orderBy('wave')
    .orderBy('kind')
    .execute();
  return rows;
}

export async function migrationLevel(ctx: Ctx): Promise<number> {
  const r = await sql<{ level: number | null }>`select max(version) as level from schema_migrations`.execute(ctx.db);
  return r.rows[0]?.level ?? 0;
}
