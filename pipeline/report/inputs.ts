import { sql } from 'kysely';
import type { Manifest } from '../../reports/manifest.ts';
import { byText } from '../../reports/order.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { correctionManifestEntries, decisionHash } from './manifest-entries.ts';

/**
 * The files that are a person's decisions, not data received: a coding sheet's rows are recorded by
 * what they coded (`foi_coded_value` under corrections), whichever sheet, desk form or day they came
 * through, and do not move the data date.
 */
const DECISION_FILES = ['foi_coding_sheet'];

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
    .where('source_kind', 'not in', DECISION_FILES)
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

const DECISION_FIELDS = ['sha256', 'wave', 'part', 'decision', 'team_id'] as const;
/** What a coded FOI value says and where it points in the reply: not who coded it, when, or their note. */
const CODED_FIELDS = [
  'reply',
  'coding_key',
  'question_id',
  'period_id',
  'period_start',
  'period_end',
  'period_label',
  'period_type',
  'low',
  'high',
  'flags',
  'age_band_label',
  'age_months_low',
  'age_months_high',
  'age_band_exact',
  'band_accepted',
  'basis',
  'service',
  'yes_no',
  'text_value',
  'exemptions',
  'missing_reason',
  'page',
  'line',
  'sheet',
  'cell',
  'row_no',
  'column_name',
  'quote',
  'replaces',
] as const;

/**
 * Every person's decision on a return and every FOI value a person coded (in force) of the waves,
 * each hashed by what it decides (manifest-entries.ts: not by who, when or through which sheet or
 * form), and the corrections that apply.
 */
export async function corrections(ctx: Ctx, waves: readonly number[]): Promise<Manifest['corrections']> {
  if (waves.length === 0) return [];
  const decisions = await ctx.db
    .selectFrom('return_decision')
    .selectAll()
    .where('wave', 'in', [...waves])
    .orderBy('id')
    .execute();
  const coded = await ctx.db
    .selectFrom('foi_value_current as v')
    .innerJoin('foi_response as r', 'r.id', 'v.response_id')
    .selectAll('v')
    .select(['r.sha256 as reply_sha256', 'r.joint_ods'])
    .where('r.wave', 'in', [...waves])
    .where('v.method', '=', 'coded')
    .orderBy('v.id')
    .execute();
  return [
    ...decisions.map((d) => ({
      kind: 'return_decision',
      id: String(d.id),
      sha256: decisionHash(d as unknown as Record<string, unknown>, DECISION_FIELDS),
    })),
    ...coded
      .map((v) => ({
        kind: 'foi_coded_value',
        id: v.coding_key ?? String(v.id),
        sha256: decisionHash(
          {
            ...v,
            reply: `${v.reply_sha256}${v.joint_ods ? `@${v.joint_ods}` : ''}`,
            replaces: v.correction_of !== null,
          } as unknown as Record<string, unknown>,
          CODED_FIELDS,
        ),
      }))
      // by the row's key, not the order people coded them in
      .sort((x, y) => byText(x.id, y.id) || byText(x.sha256, y.sha256)),
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
