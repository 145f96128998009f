import type { FoiReadResult, FoiReader, FoiQuestionList } from '../../schemas/foi.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { FoiKind, QuestionnaireKind } from '../../sources/index.ts';
import { readWithReader } from '../extract.ts';
import { FOI_READERS, type FoiReaders } from '../foi/readers.ts';
import { readStored } from '../store.ts';
import type { ExtractedReturn, StoredFile } from '../types.ts';
import type { PoolTask, WorkerPool } from './pool.ts';

/**
 * Extraction of a stored file as a pool task: the worker reads the bytes from the raw store by hash
 * (nothing large crosses between threads on the way in) and returns plain data.
 */
export const EXTRACT_TASK_MODULE = import.meta.url;

export interface FoiExtractInput { storeDir: string; hash: string; kind: FoiKind; originalName: string; wave: FoiQuestionList; sentDate: string }

/** Runs in a worker. */
export async function extractFoiStored(input: FoiExtractInput): Promise<FoiReadResult> {
  const reader = FOI_READERS[input.kind];
  if (!reader) throw new Error(`no FOI reader for ${input.kind}`);
  return reader(readStored(input.storeDir, input.hash), { fileHash: input.hash, originalName: input.originalName, wave: input.wave, sentDate: input.sentDate });
}

/** Runs in a worker. */
export async function extractReturnStored(input: { storeDir: string; file: StoredFile; list: QuestionList }): Promise<{ returns: ExtractedReturn[]; issues: unknown[] }> {
  return readWithReader(input.file.sourceKind as QuestionnaireKind, readStored(input.storeDir, input.file.hash), input.file, input.list);
}

export const foiTask = (input: FoiExtractInput): PoolTask => ({ module: EXTRACT_TASK_MODULE, fn: 'extractFoiStored', args: [input] });
export const returnTask = (input: { storeDir: string; file: StoredFile; list: QuestionList }): PoolTask => ({ module: EXTRACT_TASK_MODULE, fn: 'extractReturnStored', args: [input] });

/**
 * FOI readers that send files of at least `minBytes` to the pool and read smaller ones on this
 * thread, where a small file costs less than the round trip (test/bench measures both). For
 * foiProcessorFor(wave, { readers }); a pool failure becomes a reader error, which the processor
 * records as foi_reader_failed and keeps the reply for coding by hand.
 */
export function pooledFoiReaders(pool: WorkerPool, storeDir: string, opts: { minBytes: number }): FoiReaders {
  const readers: FoiReaders = {};
  for (const [kind, direct] of Object.entries(FOI_READERS) as [FoiKind, FoiReader][]) {
    readers[kind] = async (bytes, ctx) => {
      if (bytes.length < opts.minBytes) return direct(bytes, ctx);
      const r = await pool.run<FoiReadResult>(foiTask({ storeDir, hash: ctx.fileHash, kind, originalName: ctx.originalName, wave: ctx.wave, sentDate: ctx.sentDate }));
      if (!r.ok) throw new Error(`the parse worker ${r.reason === 'failed' ? 'failed' : r.reason === 'timeout' ? 'timed out' : 'crashed'}: ${r.message.split('\n')[0]}`);
      // Structured clone turns Buffers into Uint8Arrays; attachments go on to receiveBytes as Buffers.
      for (const a of r.value.attachments ?? []) a.bytes = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
      return r.value;
    };
  }
  return readers;
}
