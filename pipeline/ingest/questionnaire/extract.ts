import type { Ctx } from '../../runtime/ctx.ts';
import { issue, type Issue } from '../../../schemas/issue.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { readStored } from '../../runtime/store.ts';
import type { Extraction, ExtractedReturn, StoredFile } from '../../../schemas/stage.ts';
import { questionnaireReader } from '../../../sources/questionnaire/index.ts';
import type { QuestionnaireKind } from '../../../sources/index.ts';
import { preflight } from '../../../sources/shared/preflight.ts';
import { runIsolated, warmParsePool } from '../../runtime/isolate.ts';

const FORMAT_ADVICE: Record<string, string> = {
  'application/octet-stream': 'This file is binary and not a format census reads. Ask for an .xlsx or a UTF-8 .csv.',
  'application/zip': 'This is a zip archive, not a workbook. Unpack it and ingest the files inside.',
  'application/pdf': 'Questionnaire returns are read from workbooks or survey exports; a PDF needs typing in by hand.',
};

type ReadResult = { returns: ExtractedReturn[]; issues: Issue[] };

/** The parse itself, run in the parse worker (pipeline/runtime/isolate.ts) by module URL and name. */
export async function readWithReader(kind: QuestionnaireKind, bytes: Uint8Array, file: StoredFile, list: QuestionList): Promise<ReadResult> {
  const reader = questionnaireReader(kind);
  if (!reader) throw new Error(`no questionnaire reader for ${kind}`);
  return reader.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file, list);
}

/** Starts the parse workers with the questionnaire readers loaded. */
export function warmExtract(): void {
  void warmParsePool([import.meta.url]);
}

/** Resolves after `ms` with a timeout marker; only used when no worker can run (the parse goes on). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let t: NodeJS.Timeout;
  const timer = new Promise<'timeout'>((resolve) => { t = setTimeout(() => resolve('timeout'), ms); });
  return Promise.race([p.finally(() => clearTimeout(t)), timer]);
}

/**
 * Parses in the worker, which is terminated when the time limit passes; falls back to this thread
 * (where a timer cannot stop CPU-bound work) only when the worker cannot start.
 */
async function parse(kind: QuestionnaireKind, bytes: Buffer, file: StoredFile, list: QuestionList, ms: number): Promise<ReadResult | 'timeout' | { crashed: string }> {
  const r = await runIsolated<ReadResult>(import.meta.url, 'readWithReader', [kind, bytes, file, list], ms);
  if (r.ok) return r.value;
  if (r.reason === 'timeout') return 'timeout';
  if (r.reason === 'failed') throw new Error(r.message.split('\n')[0]);
  if (r.reason === 'crashed') return { crashed: r.message };
  return withTimeout(readWithReader(kind, bytes, file, list), ms);
}

/** extract: finds every answer in a stored file with its location. Never throws for bad data. */
export async function extract(file: StoredFile, list: QuestionList, ctx: Ctx): Promise<Extraction> {
  const fileLoc = { fileHash: file.hash };
  const limits = ctx.workspace.config.limits;
  const bytes = readStored(ctx.workspace.storeDir, file.hash);
  const refused = preflight(bytes, { mediaType: file.mediaType, name: file.originalName, fileHash: file.hash }, limits);
  if (refused.some((i) => i.severity === 'error')) return { file, returns: [], issues: refused };
  const issues: Issue[] = [...refused];
  const reader = questionnaireReader(file.sourceKind as QuestionnaireKind);
  if (!reader) {
    const advice = FORMAT_ADVICE[file.mediaType] ?? `Files of type ${file.mediaType} are not read for wave ${file.wave}; send an .xlsx return or a survey export.`;
    return { file, returns: [], issues: [...issues, issue('unsupported_format', 'error', `${file.originalName}: ${advice}`, fileLoc)] };
  }
  if (file.mediaType === 'application/vnd.ms-excel.sheet.macroEnabled.12') {
    issues.push(issue('macros_present', 'warning', `${file.originalName} contains macros. They were not run (census never runs them); only the saved cell values were read.`, fileLoc));
  }
  try {
    const out = await parse(reader.kind, bytes, file, list, limits.parseTimeoutMs);
    if (out === 'timeout') {
      return { file, returns: [], issues: [...issues, issue('parse_timeout', 'error', `${file.originalName} took longer than ${limits.parseTimeoutMs} ms to read and was stopped. Check the file (a sheet with far more cells than a return needs?), or raise limits.parseTimeoutMs in census.json.`, fileLoc)] };
    }
    if ('crashed' in out) {
      return { file, returns: [], issues: [...issues, issue('parse_failed', 'error', `${file.originalName} could not be read: the reader stopped (${out.crashed.slice(0, 200)}), usually because the file needs more memory than allowed. Check it is the right file; ask the team to remove unused sheets and send it again.`, fileLoc)] };
    }
    return { file, returns: out.returns, issues: [...issues, ...out.issues] };
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    return { file, returns: [], issues: [...issues, issue('file_unreadable', 'error', `${file.originalName} could not be opened as a workbook (${msg.slice(0, 200)}). It may be truncated or corrupt: ask the team to send it again.`, fileLoc)] };
  }
}
