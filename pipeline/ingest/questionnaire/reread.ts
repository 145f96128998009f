import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../../runtime/ctx.ts';
import { readStored } from '../../runtime/store.ts';
import { ingest, type IngestSummary } from '../job.ts';
import { processorFor } from '../processors.ts';
import type { WaveProcessor } from '../processor.ts';
import { advanceUnaffected, labelMapFor, markForRereading, storeMappings, type MappingChange } from './label-map.ts';
import { questionnaireProcessor } from './processor.ts';
import { assertWaveUnlocked } from '../../db/audit-log.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import type { StoredFile } from '../../../schemas/stage.ts';
import type { LabelMapping } from '../../../sources/questionnaire/label-target.ts';

/** A file first loaded with --accept-wave-stamp is read again under the same rule. */
function acceptedWaveStamp(processedRuleVersion: string | null): boolean {
  return (processedRuleVersion ?? '').includes('|accept-wave-stamp');
}

/** The wave's processor as `census ingest` makes it: with the wave's label mapping. */
export async function waveProcessor(ctx: Ctx, wave: number, acceptWaveStamp = false): Promise<WaveProcessor> {
  return processorFor(wave, ctx.workspace.wavesDir, ctx.workspace.config.limits, {
    acceptWaveStamp,
    labelMap: await labelMapFor(ctx.db, wave),
  });
}

/**
 * Reads stored files of a wave again, exactly as `census ingest` would with today's rules and
 * mapping, under their original names (copied from the raw store into a private temporary folder,
 * one sub-folder each, removed afterwards). Each file is read under the wave-stamp rule it was
 * loaded under. Returns one ingest summary per run (none when there is nothing to read).
 */
export async function rereadFiles(
  ctx: Ctx,
  wave: number,
  hashes: readonly string[],
  command: string,
): Promise<IngestSummary[]> {
  if (hashes.length === 0) return [];
  const files = await ctx.db
    .selectFrom('file_receipt')
    .select(['sha256', 'original_name', 'processed_rule_version'])
    .where('wave', '=', wave)
    .where('sha256', 'in', [...hashes])
    .orderBy('original_name')
    .orderBy('sha256')
    .execute();
  const dir = mkdtempSync(join(tmpdir(), 'census-reread-'));
  chmodSync(dir, 0o700);
  try {
    const groups = new Map<boolean, string[]>();
    for (const [i, f] of files.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub, { mode: 0o700 });
      const path = join(sub, f.original_name.replace(/[/\\\u0000]/g, '_') || f.sha256);
      writeFileSync(path, readStored(ctx.workspace.storeDir, f.sha256), { mode: 0o600 });
      const accept = acceptedWaveStamp(f.processed_rule_version);
      groups.set(accept, [...(groups.get(accept) ?? []), path]);
    }
    await markForRereading(
      ctx.db,
      wave,
      files.map((f) => f.sha256),
    );
    const out: IngestSummary[] = [];
    for (const [accept, paths] of [...groups].sort(([a], [b]) => Number(a) - Number(b))) {
      const processor = await waveProcessor(ctx, wave, accept);
      out.push(await ingest({ paths, wave, processor, command }, ctx));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `census questions map`: stores the mappings (audit-logged; a mapping already stored changes
 * nothing), moves the files they do not affect on to the new rule version without reading them, and
 * reads again exactly the files they affect.
 */
export async function mapLabels(
  ctx: Ctx,
  list: QuestionList,
  rows: readonly LabelMapping[],
): Promise<{ changes: MappingChange[]; affected: string[]; advanced: number; runs: IngestSummary[] }> {
  const wave = list.wave;
  await assertWaveUnlocked(ctx.db, wave, 'this mapping');
  const before = await labelMapFor(ctx.db, wave);
  const now = ctx.clock.now();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const stored = await storeMappings(trx, wave, rows, ctx.actor ?? 'unknown', now);
    if (stored.changes.length === 0) return { ...stored, advanced: 0 };
    const after = await labelMapFor(trx, wave);
    const version = (
      labelMap: readonly LabelMapping[],
      f: { source_kind: string; processed_rule_version: string | null },
    ) =>
      questionnaireProcessor(list, {
        labelMap,
        acceptWaveStamp: acceptedWaveStamp(f.processed_rule_version),
      }).ruleVersion({
        sourceKind: f.source_kind,
      } as StoredFile);
    const advanced = await advanceUnaffected(trx, wave, stored.affected, (f) => ({
      before: version(before, f),
      now: version(after, f),
    }));
    return { ...stored, advanced };
  });
  const runs = await rereadFiles(ctx, wave, done.affected, `questions map --wave ${wave}`);
  return { ...done, runs };
}
