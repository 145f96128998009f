import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { receiptOf } from '../db/file-receipt.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { issue, type Issue, type IssueCode } from '../../schemas/issue.ts';
import { putBytes, sha256 } from '../runtime/store.ts';
import { sniffMediaType } from '../../sources/shared/sniff.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import { chooseSourceKind, type WaveKinds } from '../../sources/index.ts';

/** Something named in, or found under, the paths given that is not taken as a file, and why. */
export interface SkippedInput {
  path: string;
  code: 'input_skipped' | 'input_not_regular';
  /** A link or dot-file passed over is a warning; something that is not a file at all, an error. */
  severity: 'warning' | 'error';
  message: string;
}

/** Extensions of the documents census reads: a folder so named was probably meant to be a file. */
const DOCUMENT_EXT = /\.(xlsx|xlsm|xls|ods|csv|tsv|pdf|docx|doc|odt|rtf|txt|zip|eml|msg|html?)$/i;

function kindOf(st: import('node:fs').Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Expands the paths a user gave into files, folders recursively, in a stable (sorted) order. Inputs
 * are taken as given, never followed elsewhere:
 * - a symbolic link found inside a folder is followed only when its target stays inside that
 *   folder (a link out of it, to /etc/passwd say, is skipped with a reason); a path the user
 *   named directly is taken as named, links included;
 * - a folder met twice (a link loop) is walked once;
 * - names starting with "." (system and editor files) are reported as skipped, not dropped silently;
 * - FIFOs, devices, sockets, and folders named like documents (`x.xlsx/`) are refused with an issue.
 * A path the user named that does not exist is "missing"; an entry inside a folder that cannot be
 * read (a dangling link, no permission) is still listed, so it gets an issue instead of stopping
 * the batch.
 */
export function listInputFiles(paths: string[]): { files: string[]; missing: string[]; skipped: SkippedInput[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const skipped: SkippedInput[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const inside = (p: string, root: string): boolean =>
    p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  const walk = (p: string, root: string | null): void => {
    let st;
    let real: string;
    try {
      st = statSync(p);
      real = realpathSync(p);
    } catch {
      (root === null ? missing : files).push(p);
      return;
    }
    if (root !== null) {
      let isLink = false;
      try {
        isLink = lstatSync(p).isSymbolicLink();
      } catch {
        /* gone since: stat above decides */
      }
      if (isLink && !inside(real, root)) {
        skipped.push({
          path: p,
          code: 'input_skipped',
          severity: 'warning',
          message: `${basename(p)} is a symbolic link to ${real}, outside the folder given; it was not read. Copy the file into the folder if it belongs to the census.`,
        });
        return;
      }
    }
    if (st.isDirectory()) {
      if (seenDirs.has(real)) {
        if (root !== null)
          skipped.push({
            path: p,
            code: 'input_skipped',
            severity: 'warning',
            message: `${basename(p)} leads back to a folder already read (${real}): a link loop or a second link; it was read once.`,
          });
        return;
      }
      if (DOCUMENT_EXT.test(basename(p))) {
        skipped.push({
          path: p,
          code: 'input_not_regular',
          severity: 'error',
          message: `${basename(p)} is a folder, not a file, although its name looks like a document; nothing in it was read. If the file was unpacked into a folder, ingest the original file instead.`,
        });
        return;
      }
      seenDirs.add(real);
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch {
        files.push(p);
        return;
      }
      const base = root ?? real;
      for (const name of names) {
        if (name.startsWith('.')) {
          skipped.push({
            path: join(p, name),
            code: 'input_skipped',
            severity: 'warning',
            message: `${name} was skipped: names starting with "." are system or editor files (e.g. ~lock files, .DS_Store). Rename it if it is a return.`,
          });
          continue;
        }
        walk(join(p, name), base);
      }
    } else if (st.isFile()) {
      // The same file reached twice through links is listed once (its bytes would be a duplicate anyway).
      if (seenFiles.has(real)) {
        skipped.push({
          path: p,
          code: 'input_skipped',
          severity: 'warning',
          message: `${basename(p)} is another name (a link) for a file already read (${real}); it was read once.`,
        });
        return;
      }
      seenFiles.add(real);
      files.push(p);
    } else
      skipped.push({
        path: p,
        code: 'input_not_regular',
        severity: 'error',
        message: `${basename(p)} is ${kindOf(st)}, not a file; it was not read. Give census the file itself.`,
      });
  };
  for (const p of paths) walk(p, null);
  return { files, missing, skipped };
}

export interface Received {
  file: StoredFile | null;
  issues: Issue[];
  path: string;
}

/** Longest original name kept; a name from an e-mail header can be any length. */
const MAX_NAME_CHARS = 500;

/**
 * A received file's name as it is recorded: the sender's text, kept as data (never a path), with
 * NUL (which PostgreSQL text cannot hold) shown as U+FFFD and an absurd length cut.
 */
function recordedName(name: string): string {
  const clean = name.replace(/\u0000/g, '\uFFFD');
  return clean.length > MAX_NAME_CHARS ? `${clean.slice(0, MAX_NAME_CHARS)}…` : clean;
}

/**
 * receive: copies each file once into the content-addressed store and records it. The bytes are
 * named by hash; the original name is data (a column), never part of a path.
 */
export async function receiveBytes(
  bytes: Buffer,
  originalName: string,
  input: { wave: number; runId: string; kinds: WaveKinds; parentHash?: string },
  ctx: Ctx,
): Promise<StoredFile> {
  originalName = recordedName(originalName);
  const hash = sha256(bytes);
  await putBytes(ctx.workspace.storeDir, bytes, hash, ctx.checkpoint);
  const mediaType = sniffMediaType(bytes, originalName);
  const sourceKind = chooseSourceKind({ mediaType, originalName, wave: input.wave, kinds: input.kinds });
  const now = ctx.clock.now();
  // One statement, one commit (#18): the earlier receipt of these bytes for the wave if any (a rerun),
  // else the bytes' raw_file row (once) and the new receipt. A receipt implies its raw_file row, so
  // for an earlier receipt both inserts are no-ops; all parts of the statement see the one snapshot.
  const { earlier, processed, inserted, receivedAt } = await receiptOf(ctx.db, {
    sha256: hash,
    sizeBytes: bytes.length,
    mediaType,
    name: originalName,
    wave: input.wave,
    sourceKind,
    at: now,
    runId: input.runId,
    parentHash: input.parentHash ?? null,
  });
  const file: StoredFile = {
    hash,
    originalName,
    size: bytes.length,
    mediaType,
    wave: input.wave,
    sourceKind,
    alreadyReceived: !inserted,
    ...(receivedAt ? { receivedAt } : {}),
  };
  if (earlier) file.processedRuleVersion = processed;
  if (input.parentHash) file.parentHash = input.parentHash;
  return file;
}

export async function receivePath(
  path: string,
  input: { wave: number; runId: string; kinds: WaveKinds },
  ctx: Ctx,
): Promise<Received> {
  const name = basename(path);
  const max = ctx.workspace.config.limits.maxFileBytes;
  const refuse = (code: IssueCode, message: string): Received => ({
    path,
    file: null,
    issues: [issue(code, 'error', message, {}, { raw: recordedName(name) })],
  });
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > max)
      return refuse(
        'file_too_large',
        `${name} is ${size} bytes, over the limit of ${max} bytes; it was not received. Raise limits.maxFileBytes in census.json if the file is genuine.`,
      );
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return refuse(
      'file_not_readable',
      `${name} could not be read from disk (${code}: ${(err as Error).message}). Check the file exists, is a regular file and is readable, then ingest it again.`,
    );
  }
  // The file may have grown between the size check and the read.
  if (bytes.length > max)
    return refuse(
      'file_too_large',
      `${name} is ${bytes.length} bytes, over the limit of ${max} bytes; it was not received. Raise limits.maxFileBytes in census.json if the file is genuine.`,
    );
  if (bytes.length === 0)
    return refuse(
      'file_empty',
      `${name} is empty (0 bytes); it was not received. The file was probably not saved or not attached properly: ask the sender for it again.`,
    );
  const file = await receiveBytes(bytes, name, input, ctx);
  return { path, file, issues: [] };
}
