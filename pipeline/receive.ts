import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Ctx } from './ctx.ts';
import { issue, type Issue } from '../schemas/issue.ts';
import { putBytes, sha256 } from './store.ts';
import { sniffMediaType } from './sniff.ts';
import type { StoredFile } from './types.ts';
import { chooseSourceKind, type WaveKinds } from "../sources/index.ts";

/** Expands the paths a user gave into files, folders recursively, in a stable (sorted) order. */
export function listInputFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (p: string): void => {
    let st;
    try { st = statSync(p); } catch { missing.push(p); return; }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('.')) walk(join(p, name));
    } else if (st.isFile()) files.push(p);
  };
  for (const p of paths) walk(p);
  return { files, missing };
}

export interface Received { file: StoredFile | null; issues: Issue[]; path: string }

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
  const hash = sha256(bytes);
  putBytes(ctx.workspace.storeDir, bytes, hash, ctx.checkpoint);
  const mediaType = sniffMediaType(bytes, originalName);
  const sourceKind = chooseSourceKind({ mediaType, originalName, wave: input.wave, kinds: input.kinds });
  const now = ctx.clock.now();
  await ctx.db.insertInto('raw_file')
    .values({ sha256: hash, size_bytes: bytes.length, media_type: mediaType, first_name: originalName, first_received_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const inserted = await ctx.db.insertInto('file_receipt')
    .values({ sha256: hash, wave: input.wave, original_name: originalName, source_kind: sourceKind, received_at: now, run_id: input.runId, parent_sha256: input.parentHash ?? null })
    .onConflict((oc) => oc.columns(['sha256', 'wave']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const file: StoredFile = { hash, originalName, size: bytes.length, mediaType, wave: input.wave, sourceKind, alreadyReceived: inserted === undefined };
  if (input.parentHash) file.parentHash = input.parentHash;
  return file;
}

export async function receivePath(path: string, input: { wave: number; runId: string; kinds: WaveKinds }, ctx: Ctx): Promise<Received> {
  const name = basename(path);
  const size = statSync(path).size;
  const max = ctx.workspace.config.limits.maxFileBytes;
  if (size > max) {
    return { path, file: null, issues: [issue('file_too_large', 'error', `${name} is ${size} bytes, over the limit of ${max} bytes; it was not received. Raise limits.maxFileBytes in census.json if the file is genuine.`, {}, { raw: name })] };
  }
  const bytes = readFileSync(path);
  const file = await receiveBytes(bytes, name, input, ctx);
  return { path, file, issues: [] };
}
