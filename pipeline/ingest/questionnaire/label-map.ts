import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../../schemas/db.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { labelSimilarity, normaliseLabel } from '../../../sources/shared/label-match.ts';
import type { LabelMapping } from '../../../sources/questionnaire/label-target.ts';
import { recordAudit } from '../../db/audit-log.ts';

/** sql/011: one row per mapped label of a wave (question_id null: ignored). */
interface LabelMappingTable {
  wave: number;
  label_key: string;
  label: string;
  question_id: string | null;
  mapped_by: string;
  mapped_at: Date;
}
declare module '../../../schemas/db.ts' {
  interface Database {
    label_mapping: LabelMappingTable;
  }
}

type Db = Kysely<Database> | Transaction<Database>;

/** The wave's mapped labels, in a stable order (the rule version hashes them). */
export async function labelMapFor(db: Db, wave: number): Promise<LabelMapping[]> {
  const rows = await db
    .selectFrom('label_mapping')
    .select(['label', 'question_id'])
    .where('wave', '=', wave)
    .orderBy('label_key')
    .execute();
  return rows.map((r) => ({ label: r.label, questionId: r.question_id }));
}

/**
 * The mapping's part of a file's rule version: empty with no mapping (a wave nobody mapped reads as
 * before), else a hash of every (label, question) pair. A changed mapping changes every file's rule
 * version; `census questions map` re-reads the files it affects and moves the others on to the new
 * version without reading them, so a later `census ingest` skips them.
 */
export function mappingVersion(mapping: readonly LabelMapping[]): string {
  if (mapping.length === 0) return '';
  const pairs = mapping.map((m) => [normaliseLabel(m.label), m.questionId]).sort(([a], [b]) => (a! < b! ? -1 : 1));
  return `|map:${createHash('sha256').update(JSON.stringify(pairs)).digest('hex').slice(0, 12)}`;
}

interface Candidate {
  questionId: string;
  label: string;
  score: number;
}

export interface UnmatchedLabel {
  label: string;
  /** File names, once each, sorted. */
  files: string[];
  hashes: string[];
  /** Where the label sits in the first file (sheet!cell, or column). */
  where: string;
  example: string | null;
  candidates: Candidate[];
}

const UNMATCHED_CODES = ['label_unmatched', 'header_unmatched'] as const;

/** The label an unmatched-label issue names: its column (readers from issue 14 on), else the quoted text of its message. */
function labelOf(r: { column_name: string | null; message: string; cell: string | null }): string | null {
  if (r.column_name && !/^column \d+$/.test(r.column_name)) return r.column_name;
  const m = /^(?:Row \d+ \("(.*?)"\)|Column "(.*?)") /.exec(r.message);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** The questions a label most resembles, best first (at most `n`, any score above 0). */
function candidatesFor(label: string, list: QuestionList, n = 3): Candidate[] {
  return list.questions
    .map((q) => ({
      questionId: q.id,
      label: q.label,
      score: Math.round(Math.max(...[q.label, ...q.aliases].map((l) => labelSimilarity(label, l))) * 100) / 100,
    }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.questionId.localeCompare(b.questionId))
    .slice(0, n);
}

/**
 * Every label of the wave's files that matched no question and is not mapped yet, once (by its
 * normalised text), with the files it occurs in, an example answer and the best candidate questions.
 */
export async function unmatchedLabels(db: Db, list: QuestionList): Promise<UnmatchedLabel[]> {
  const rows = await db
    .selectFrom('data_issue')
    .select(['sha256', 'file_name', 'message', 'column_name', 'sheet', 'cell', 'raw'])
    .where('wave', '=', list.wave)
    .where('code', 'in', [...UNMATCHED_CODES])
    .where('sha256', 'is not', null)
    .orderBy('file_name')
    .orderBy('id')
    .execute();
  const mapped = new Set((await labelMapFor(db, list.wave)).map((m) => normaliseLabel(m.label)));
  const byKey = new Map<string, UnmatchedLabel>();
  for (const r of rows) {
    const label = labelOf(r);
    const key = label === null ? '' : normaliseLabel(label);
    if (label === null || key === '' || mapped.has(key)) continue;
    let u = byKey.get(key);
    if (!u) {
      u = {
        label,
        files: [],
        hashes: [],
        where: r.sheet && r.cell ? `${r.sheet}!${r.cell}` : (r.cell ?? ''),
        example: null,
        candidates: [],
      };
      byKey.set(key, u);
    }
    if (!u.hashes.includes(r.sha256!)) {
      u.hashes.push(r.sha256!);
      u.files.push(r.file_name);
    }
    if (u.example === null && r.raw !== null && r.raw.trim() !== '') u.example = r.raw;
  }
  const out = [...byKey.values()];
  for (const u of out) {
    u.candidates = candidatesFor(u.label, list);
    u.files.sort();
  }
  // The labels in most files first: mapping them loads the most answers.
  return out.sort((a, b) => b.files.length - a.files.length || a.label.localeCompare(b.label));
}

export interface MappingChange {
  label: string;
  from: string | null | undefined;
  to: string | null;
}

/**
 * Stores a person's mappings (upsert by normalised label) and records what changed in the audit log.
 * Idempotent: mapping a label to what it is already mapped to changes nothing and logs nothing.
 * Returns the changes made, and the files they affect: those whose issues name a newly mapped label,
 * or every file of the wave when an earlier mapping was changed (which files held it is not kept).
 */
export async function storeMappings(
  trx: Transaction<Database>,
  wave: number,
  rows: readonly LabelMapping[],
  actor: string,
  now: Date,
): Promise<{ changes: MappingChange[]; affected: string[] }> {
  const earlier = new Map(
    (await trx.selectFrom('label_mapping').select(['label_key', 'question_id']).where('wave', '=', wave).execute()).map(
      (r) => [r.label_key, r.question_id] as const,
    ),
  );
  const changes: MappingChange[] = [];
  const seen = new Set<string>();
  for (const m of rows) {
    const key = normaliseLabel(m.label);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    const from = earlier.get(key);
    if (from === m.questionId) continue;
    await trx
      .insertInto('label_mapping')
      .values({ wave, label_key: key, label: m.label, question_id: m.questionId, mapped_by: actor, mapped_at: now })
      .onConflict((oc) =>
        oc.columns(['wave', 'label_key']).doUpdateSet({ question_id: m.questionId, mapped_by: actor, mapped_at: now }),
      )
      .execute();
    changes.push({ label: m.label, from, to: m.questionId });
  }
  if (changes.length === 0) return { changes, affected: [] };
  await recordAudit(trx, {
    at: now,
    actor,
    action: 'label_map',
    wave,
    detail: { changes: changes.map((c) => ({ label: c.label, from: c.from ?? null, to: c.to ?? 'ignore' })) },
  });
  const remapped = changes.some((c) => c.from !== undefined);
  const keys = new Set(changes.map((c) => normaliseLabel(c.label)));
  const files = await trx
    .selectFrom('data_issue')
    .select(['sha256', 'message', 'column_name', 'cell'])
    .where('wave', '=', wave)
    .where('code', 'in', [...UNMATCHED_CODES])
    .where('sha256', 'is not', null)
    .execute();
  const affected = new Set(files.filter((r) => keys.has(normaliseLabel(labelOf(r) ?? ''))).map((r) => r.sha256!));
  if (remapped) {
    const all = await trx.selectFrom('file_receipt').select('sha256').where('wave', '=', wave).execute();
    for (const r of all) affected.add(r.sha256);
  }
  return { changes, affected: [...affected].sort() };
}

/**
 * The files of a wave that a changed mapping does not affect are moved on to the rule version they
 * would be read under now (`ruleVersion`), when they were read under the one before (`before`):
 * reading them again would give the same rows, so a later `census ingest` skips them.
 */
export async function advanceUnaffected(
  trx: Transaction<Database>,
  wave: number,
  affected: readonly string[],
  versions: (f: { source_kind: string; processed_rule_version: string | null }) => { before: string; now: string },
): Promise<number> {
  const files = await trx
    .selectFrom('file_receipt')
    .select(['sha256', 'source_kind', 'processed_rule_version'])
    .where('wave', '=', wave)
    .execute();
  let moved = 0;
  for (const f of files) {
    if (affected.includes(f.sha256)) continue;
    const v = versions(f);
    if (f.processed_rule_version !== v.before || v.before === v.now) continue;
    await trx
      .updateTable('file_receipt')
      .set({ processed_rule_version: v.now })
      .where('sha256', '=', f.sha256)
      .where('wave', '=', wave)
      .execute();
    await trx
      .updateTable('questionnaire_return')
      .set({ rule_version: v.now })
      .where('sha256', '=', f.sha256)
      .where('wave', '=', wave)
      .execute();
    moved += 1;
  }
  return moved;
}

/** Forgets the rule version the files were read under, so that the next ingest of them reads them again. */
export async function markForRereading(db: Db, wave: number, hashes: readonly string[]): Promise<void> {
  if (hashes.length === 0) return;
  await db
    .updateTable('file_receipt')
    .set({ processed_rule_version: null })
    .where('wave', '=', wave)
    .where(sql<boolean>`sha256 = any(${[...hashes]}::text[])`)
    .execute();
}
