import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readWithReader } from '../../pipeline/ingest/questionnaire/extract.ts';
import { FOI_READERS } from '../../pipeline/ingest/foi/readers.ts';
import { sniffMediaType } from '../../sources/shared/sniff.ts';
import { putBytes } from '../../pipeline/runtime/store.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import { EXTRACT_TASK_MODULE, foiTask, returnTask } from '../../pipeline/ingest/extract-task.ts';
import { startPool, type PoolTask } from '../../pipeline/runtime/workers/pool.ts';
import type { FoiQuestionList } from '../../schemas/foi.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { foiKind, type FoiKind, type QuestionnaireKind } from '../../sources/index.ts';

/**
 * Extraction alone (readers, no database) of stored files: on this thread one after another, and
 * through a worker pool of 1 and of 2 started once. Results of the pool must equal this thread's.
 */
export type BenchFile =
  | { domain: 'foi'; path: string; file: StoredFile; wave: FoiQuestionList }
  | { domain: 'questionnaire'; path: string; file: StoredFile; list: QuestionList };

/** Puts the file in the store (as receive would) and describes it for the readers. */
export async function benchFile(
  path: string,
  storeDir: string,
  wave: number,
  ref: { foi: FoiQuestionList } | { list: QuestionList },
): Promise<BenchFile> {
  const bytes = readFileSync(path);
  const { hash } = await putBytes(storeDir, bytes);
  const mediaType = sniffMediaType(bytes, basename(path));
  const sourceKind = 'foi' in ref ? foiKind(mediaType) : 'team_workbook';
  const file: StoredFile = {
    hash,
    originalName: basename(path),
    size: bytes.length,
    mediaType,
    wave,
    sourceKind,
    alreadyReceived: true,
  };
  return 'foi' in ref
    ? { domain: 'foi', path, file, wave: ref.foi }
    : { domain: 'questionnaire', path, file, list: ref.list };
}

async function direct(f: BenchFile): Promise<unknown> {
  const bytes = readFileSync(f.path);
  if (f.domain === 'questionnaire')
    return readWithReader(f.file.sourceKind as QuestionnaireKind, bytes, f.file, f.list);
  return FOI_READERS[f.file.sourceKind as FoiKind]!(bytes, {
    fileHash: f.file.hash,
    originalName: f.file.originalName,
    wave: f.wave,
    sentDate: f.wave.sentDate,
  });
}

function task(f: BenchFile, storeDir: string): PoolTask {
  if (f.domain === 'questionnaire') return returnTask({ storeDir, file: f.file, list: f.list });
  return foiTask({
    storeDir,
    hash: f.file.hash,
    kind: f.file.sourceKind as FoiKind,
    originalName: f.file.originalName,
    wave: f.wave,
    sentDate: f.wave.sentDate,
  });
}

export interface ExtractRun {
  ms: number;
  startMs: number;
  perFileMs: number[];
  results: unknown[];
}

export async function extractOnThread(files: readonly BenchFile[]): Promise<ExtractRun> {
  const perFileMs: number[] = [];
  const results: unknown[] = [];
  for (const f of files) {
    const t0 = performance.now();
    results.push(await direct(f));
    perFileMs.push(performance.now() - t0);
  }
  return { ms: perFileMs.reduce((a, b) => a + b, 0), startMs: 0, perFileMs, results };
}

export async function extractInPool(files: readonly BenchFile[], storeDir: string, size: number): Promise<ExtractRun> {
  const s0 = performance.now();
  const pool = await startPool({ size, preload: [EXTRACT_TASK_MODULE] });
  const startMs = performance.now() - s0;
  try {
    const t0 = performance.now();
    // Largest first, as census ingest queues files: a big file started last would run alone at the end.
    const order = files.map((f, i) => i).sort((a, b) => files[b]!.file.size - files[a]!.file.size || a - b);
    const sorted = await pool.map(order.map((i) => task(files[i]!, storeDir)));
    const out = new Array<(typeof sorted)[number]>(files.length);
    order.forEach((fileIndex, k) => {
      out[fileIndex] = sorted[k]!;
    });
    const ms = performance.now() - t0;
    const failed = out.find((r) => !r.ok);
    if (failed && !failed.ok)
      throw new Error(`a pool task failed (${failed.reason}): ${failed.message.split('\n')[0]}`);
    return { ms, startMs, perFileMs: [], results: out.map((r) => (r.ok ? r.value : null)) };
  } finally {
    await pool.close();
  }
}

/** Attachments come back from a worker as Uint8Array, not Buffer (which JSON writes as {type, data}): compared as bytes. */
const bytesOf = (x: unknown): string | null => {
  if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
  const b = x as { type?: unknown; data?: unknown } | null;
  return b?.type === 'Buffer' && Array.isArray(b.data) ? Buffer.from(b.data as number[]).toString('base64') : null;
};
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => bytesOf(x) ?? x));

export function sameResults(a: readonly unknown[], b: readonly unknown[]): number {
  return a.filter((x, i) => !isDeepStrictEqual(plain(x), plain(b[i]))).length;
}
