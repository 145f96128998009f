import { basename } from 'node:path';
import type { Issue, IssueCode } from '../../schemas/issue.ts';
import { readCodingSheet, writeCodingSheet, type CodingRow } from '../../sources/foi/coding-sheet.ts';
import { readGivenFile } from '../runtime/given-file.ts';
import { recordReceipt } from '../db/file-receipt.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { issueRow } from '../db/issue-rows.ts';
import { putBytes, sha256 } from '../runtime/store.ts';
import { codingConflicts } from './conflicts.ts';
import { codingRows } from './coding-rows.ts';
import { codedRowValue, parseKey, sameCoding, type AutomaticBandValue } from './coding-value.ts';
import { foiWave } from './wave.ts';
import { maybeDry } from './dry-run.ts';
import { assertWaveUnlocked, recordAudit, recordedText } from '../db/audit-log.ts';

/**
 * The coding sheet round trip: write what needs a person, record what the person filled in. Each filled
 * row becomes a coded foi_value (method 'coded', who, when); a row loaded again with the same answer
 * changes nothing, with another answer it is a correction that keeps the earlier value. No ingest run
 * is recorded for a sheet, so that loading the same sheet twice leaves every table as it was.
 */

export async function buildCodingSheet(wave: number, ctx: Ctx): Promise<{ rows: CodingRow[]; bytes: Buffer }> {
  const list = foiWave(wave, ctx.workspace.wavesDir);
  const rows = await codingRows(wave, list, ctx);
  const wb = writeCodingSheet(rows, { wave, created: ctx.clock.now() });
  return { rows, bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
}

export interface CodingLoad {
  sha256: string;
  filled: number;
  recorded: number;
  corrected: number;
  unchanged: number;
  issues: Issue[];
}

export async function loadCodingSheet(
  input: { path: string; wave: number; by: string; dryRun?: boolean },
  ctx: Ctx,
): Promise<CodingLoad> {
  // The one rule for recorded names (no blank, punctuation-only or invisible text).
  const by = recordedText('--by', input.by, 'name');
  const list = foiWave(input.wave, ctx.workspace.wavesDir);
  const bytes = readGivenFile(
    input.path,
    'coding sheet',
    `Check the path; write a sheet with census foi coding-sheet --wave ${input.wave} --out FILE.xlsx.`,
  );
  const hash = sha256(bytes);
  const name = basename(input.path);
  const now = ctx.clock.now();
  await assertWaveUnlocked(ctx.db, input.wave, 'loading a coding sheet');
  if (!input.dryRun) await putBytes(ctx.workspace.storeDir, bytes, hash);
  const read = await readCodingSheet(bytes, hash);
  const issues: Issue[] = [...read.issues];
  const out: CodingLoad = { sha256: hash, filled: read.rows.length, recorded: 0, corrected: 0, unchanged: 0, issues };
  // --dry-run: the same work in a transaction rolled back at the end, so the counts are what loading would record.
  await maybeDry(ctx, input.dryRun, async (trx) => {
    await recordReceipt(trx, {
      sha256: hash,
      sizeBytes: bytes.length,
      mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      name,
      wave: input.wave,
      sourceKind: 'foi_coding_sheet',
      at: now,
      runId: null,
    });
    const touched = new Map<string, { sha256: string; keys: Set<string> }>();
    for (const row of read.rows) {
      const key = parseKey(row.key);
      const where = { fileHash: hash, sheet: 'Coding', row: row.row };
      if (key === null) {
        issues.push({
          code: 'coding_row_key_invalid' satisfies IssueCode,
          severity: 'error',
          message: 'The hidden key of this row was changed or lost; nothing recorded. Copy the row from a fresh sheet.',
          location: where,
          raw: row.key,
        });
        continue;
      }
      const response = await trx
        .selectFrom('foi_response')
        .select('id')
        .where('sha256', '=', key.sha256)
        .where('wave', '=', input.wave)
        .where('joint_ods', key.part === null ? 'is' : '=', key.part)
        .executeTakeFirst();
      if (!response) {
        issues.push({
          code: 'coding_row_reply_unknown' satisfies IssueCode,
          severity: 'error',
          message: `No reply ${key.sha256.slice(0, 12)} in wave ${input.wave}; was the sheet written for another wave or workspace?`,
          location: where,
          raw: row.key,
        });
        continue;
      }
      const responseId = String(response.id);
      const current = await trx
        .selectFrom('foi_value_current')
        .selectAll()
        .where('response_id', '=', responseId)
        .orderBy('id')
        .execute();
      const automatic =
        key.kind === 'band'
          ? current.find(
              (v) =>
                v.method === 'automatic' &&
                v.question_id === key.questionId &&
                v.period_id === key.periodId &&
                (v.basis ?? null) === key.basis &&
                (v.age_band_label ?? '') === (key.band ?? '') &&
                v.flags.includes('band_mismatch'),
            )
          : key.kind === 'confirm'
            ? singleSuggestion(
                current.filter(
                  (v) =>
                    v.method === 'automatic' &&
                    v.suggestion !== null &&
                    v.question_id === key.questionId &&
                    v.period_id === key.periodId &&
                    (v.basis ?? null) === key.basis &&
                    v.service === null,
                ),
              )
            : undefined;
      const built = codedRowValue(row, key, {
        list,
        responseId,
        by,
        at: now,
        sheetHash: hash,
        ...(automatic ? { automatic: automatic as unknown as AutomaticBandValue } : {}),
      });
      issues.push(...built.issues);
      if (built.value === null) continue;
      const before = current.find((v) => v.method === 'coded' && v.coding_key === row.key);
      if (before && sameCoding(before as unknown as Record<string, unknown>, built.value)) {
        out.unchanged += 1;
      } else {
        // A few rows per reply: Kysely inserts (COPY pays only for bulk rows).
        await trx
          .insertInto('foi_value')
          .values({
            ...built.value,
            ...(before
              ? {
                  correction_of: String(before.id),
                  correction_reason: row.note ?? `coding sheet ${name} loaded with a different answer`,
                }
              : {}),
          })
          .execute();
        if (before) out.corrected += 1;
        else out.recorded += 1;
      }
      const t = touched.get(responseId) ?? { sha256: key.sha256, keys: new Set<string>() };
      t.keys.add(row.key);
      touched.set(responseId, t);
    }
    for (const [responseId, t] of [...touched].sort(([a], [b]) => Number(a) - Number(b))) {
      const current = await trx
        .selectFrom('foi_value_current')
        .selectAll()
        .where('response_id', '=', responseId)
        .orderBy('id')
        .execute();
      issues.push(
        ...codingConflicts(
          // Suggestions are what the person was asked to judge: a different answer is no conflict.
          current.filter((v) => v.method === 'automatic' && v.suggestion === null),
          current.filter((v) => v.method === 'coded' && t.keys.has(v.coding_key ?? '')),
          t.sha256,
          by,
          (k) => ({ fileHash: hash, sheet: 'Coding', row: read.rows.find((r) => r.key === k)?.row ?? 1 }),
        ),
      );
    }
    // Logged only when a value was recorded: loading the same sheet again leaves every table as it was.
    if (out.recorded + out.corrected > 0) {
      await recordAudit(trx, {
        at: now,
        actor: by,
        action: 'foi_coding_sheet',
        wave: input.wave,
        detail: { sha256: hash, recorded: out.recorded, corrected: out.corrected },
      });
    }
    await trx.deleteFrom('data_issue').where('sha256', '=', hash).where('wave', '=', input.wave).execute();
    if (issues.length)
      await trx
        .insertInto('data_issue')
        .values(issues.map((i) => issueRow(i, name, input.wave, null)))
        .execute();
  });
  return out;
}

/** The one reading a "confirm" row offers: undefined when the suggestions of the slot disagree (a person must type it). */
function singleSuggestion<T extends { low: unknown; high: unknown; missing_reason: string | null }>(
  found: readonly T[],
): T | undefined {
  const readings = new Set(found.map((v) => `${v.low}|${v.high}|${v.missing_reason}`));
  return readings.size === 1 ? found[0] : undefined;
}
