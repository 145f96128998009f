import type { FoiReadResult, FoiQuestionList } from '../../schemas/foi.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { FoiKind, QuestionnaireKind } from '../../sources/index.ts';
import { readWithReader } from './questionnaire/extract.ts';
import { readFoiInWorker } from './foi/extract.ts';
import { readStored } from '../runtime/store.ts';
import type { ExtractedReturn, StoredFile } from '../../schemas/stage.ts';
import type { PoolTask } from '../runtime/workers/pool.ts';

/**
 * Extraction of a stored file as a pool task, for the bench's pool section (test/bench/pool-bench.ts): the worker reads the bytes from the raw store by hash
 * (nothing large crosses between threads on the way in) and returns plain data.
 */
export const EXTRACT_TASK_MODULE = import.meta.url;

export interface FoiExtractInput {
  storeDir: string;
  hash: string;
  kind: FoiKind;
  originalName: string;
  wave: FoiQuestionList;
  sentDate: string;
}

/** Runs in a worker. */
export async function extractFoiStored(input: FoiExtractInput): Promise<FoiReadResult> {
  return readFoiInWorker(input.kind, readStored(input.storeDir, input.hash), {
    fileHash: input.hash,
    originalName: input.originalName,
    wave: input.wave,
    sentDate: input.sentDate,
  });
}

/** Runs in a worker. */
export async function extractReturnStored(input: {
  storeDir: string;
  file: StoredFile;
  list: QuestionList;
}): Promise<{ returns: ExtractedReturn[]; issues: unknown[] }> {
  return readWithReader(
    input.file.sourceKind as QuestionnaireKind,
    readStored(input.storeDir, input.file.hash),
    input.file,
    input.list,
  );
}

export const foiTask = (input: FoiExtractInput): PoolTask => ({
  module: EXTRACT_TASK_MODULE,
  fn: 'extractFoiStored',
  args: [input],
});
export const returnTask = (input: { storeDir: string; file: StoredFile; list: QuestionList }): PoolTask => ({
  module: EXTRACT_TASK_MODULE,
  fn: 'extractReturnStored',
  args: [input],
});
