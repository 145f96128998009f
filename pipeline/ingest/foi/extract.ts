import type { FoiReader, FoiReaderContext, FoiReadResult } from '../../../schemas/foi.ts';
import type { Issue } from '../../../schemas/issue.ts';
import type { FoiKind } from '../../../sources/index.ts';
import { responseBasis } from '../../../sources/foi/result.ts';
import { FOI_READER_KINDS, lazyFoiReaders, type FoiReaders } from './reader-table.ts';
import { warmParsePool } from '../../runtime/isolate.ts';
import { checkBeforeParse, parseIsolated } from '../parse-guard.ts';
import { sniffMediaType } from '../../../sources/shared/sniff.ts';
import type { Limits } from '../../runtime/workspace.ts';
import type { StoredFile } from '../../../schemas/stage.ts';

/**
 * The questionnaire extract's protections for FOI replies: the same preflight (size, zip bomb,
 * password, legacy format, rows, pages) before any reader opens a file, and the same parse worker,
 * terminated when a reply takes longer than limits.parseTimeoutMs. A refused or stopped reply is
 * not lost: like any reply a reader cannot code, it is kept for a person (needsManualCoding).
 * `guardedFoiReaders(limits)` wraps the reader table that pipeline/foi/processor.ts takes; files of
 * no FOI kind (an old .xls, a password-protected workbook) never reach a reader, so
 * `foiPreflight` gives the processor their specific issue before it looks a reader up.
 */

/** The parse itself, in the worker: the shipped reader of `kind`. */
export async function readFoiInWorker(kind: FoiKind, bytes: Uint8Array, ctx: FoiReaderContext): Promise<FoiReadResult> {
  const reader = (await import('./readers.ts')).FOI_READERS[kind as (typeof FOI_READER_KINDS)[number]];
  if (!reader) throw new Error(`no FOI reader for ${kind}`);
  return reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ctx);
}

/** A reply no reader could code: kept, with why, for a person to code (census foi coding-sheet). */
export function forPerson(issues: Issue[]): FoiReadResult {
  return { values: [], issues, basis: responseBasis([], []), needsManualCoding: true, textAnswers: [], trustHint: {} };
}

/** Structured clone turns Buffers into plain Uint8Arrays: attachments are made Buffers again. */
function revive(r: FoiReadResult): FoiReadResult {
  if (!r.attachments) return r;
  return {
    ...r,
    attachments: r.attachments.map((a) => ({
      ...a,
      bytes: Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength),
    })),
  };
}

/** The reply's refusal (kept for a person) when the preflight finds a reason not to parse it; else null. */
export function foiPreflight(
  file: Pick<StoredFile, 'hash' | 'originalName' | 'mediaType'>,
  bytes: Buffer,
  limits: Limits,
): FoiReadResult | null {
  const checked = checkBeforeParse(
    bytes,
    { mediaType: file.mediaType, name: file.originalName, fileHash: file.hash },
    limits,
  );
  return checked.refused ? forPerson(checked.issues) : null;
}

async function guardedRead(
  kind: FoiKind,
  bytes: Buffer,
  given: FoiReaderContext,
  limits: Limits,
  local: FoiReader | null,
): Promise<FoiReadResult> {
  const ctx: FoiReaderContext = { ...given, maxPages: limits.maxPages };
  const target = { mediaType: sniffMediaType(bytes, ctx.originalName), name: ctx.originalName, fileHash: ctx.fileHash };
  const checked = checkBeforeParse(bytes, target, limits);
  if (checked.refused) return forPerson(checked.issues);
  // A reader passed in by a caller (tests) cannot be sent to the worker: it runs here.
  if (local) return local(bytes, ctx);
  const call = {
    module: import.meta.url,
    fn: 'readFoiInWorker',
    args: [kind, bytes, ctx],
    fallback: () => lazyFoiReaders()[kind]!(bytes, ctx),
  };
  const out = await parseIsolated<FoiReadResult>(call, target, limits, {
    timeout: '; it is kept for coding by hand. Raise limits.parseTimeoutMs in census.json if the reply is genuine.',
    crashed: '; it is kept for coding by hand.',
  });
  if ('stopped' in out) return forPerson([...checked.issues, out.stopped]);
  const read = revive(out.value);
  return checked.issues.length ? { ...read, issues: [...checked.issues, ...read.issues] } : read;
}

/** Starts the parse workers with the FOI readers loaded. */
export function warmFoiExtract(): void {
  void warmParsePool([import.meta.url, new URL('./readers.ts', import.meta.url).href]);
}

/** The shipped readers (run in the parse workers) or, for tests, `inner` (run on this thread), behind the preflight. */
export function guardedFoiReaders(limits: Limits, inner?: FoiReaders): FoiReaders {
  const out: FoiReaders = {};
  for (const kind of inner ? (Object.keys(inner) as FoiKind[]) : FOI_READER_KINDS) {
    out[kind] = (bytes, ctx) => guardedRead(kind, bytes, ctx, limits, inner?.[kind] ?? null);
  }
  return out;
}
