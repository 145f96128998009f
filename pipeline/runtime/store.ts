import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asCensusError } from '../../schemas/fault.ts';

/**
 * Content-addressed raw store: `<store>/<aa>/<sha256>`. Files are named by hash only, never by
 * anything taken from the input, and written to a temporary name, fsynced and renamed, so a crash
 * leaves either the whole file or nothing under its final name. Stored files are never modified.
 */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function storedPath(storeDir: string, hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256: ${hash}`);
  return join(storeDir, hash.slice(0, 2), hash);
}

/**
 * Writes bytes under their hash; `added` is false when they were already there. The file system's
 * promise API, so the fsyncs (several milliseconds a file here) wait in libuv's thread pool instead
 * of stopping the thread that drives the database and the parse workers.
 */
export async function putBytes(
  storeDir: string,
  bytes: Buffer,
  hash = sha256(bytes),
  checkpoint?: (point: string) => void,
): Promise<{ hash: string; added: boolean }> {
  const final = storedPath(storeDir, hash);
  // Already there and intact: nothing to write. A stored copy that was damaged or emptied is
  // replaced by these bytes (they match the name), so re-ingesting the original repairs the store.
  if (existsSync(final) && storedIntact(final, hash)) return { hash, added: false };
  const dir = join(storeDir, hash.slice(0, 2));
  const tmp = join(dir, `.tmp-${hash.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = await open(tmp, 'wx', 0o400);
    try {
      await file.writeFile(bytes);
      await file.sync();
      checkpoint?.('store:tmp-written');
    } finally {
      await file.close();
    }
    await rename(tmp, final);
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw asCensusError(err, `writing ${hash.slice(0, 12)} to the raw store ${storeDir}`);
  }
  return { hash, added: true };
}

/** Removes temporary files a killed writer left behind; called with the write lock held. */
export function sweepTemp(storeDir: string): number {
  if (!existsSync(storeDir)) return 0;
  let n = 0;
  for (const d of readdirSync(storeDir)) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of readdirSync(join(storeDir, d)))
      if (f.startsWith('.tmp-')) {
        rmSync(join(storeDir, d, f), { force: true });
        n += 1;
      }
  }
  return n;
}

function storedIntact(path: string, hash: string): boolean {
  try {
    return sha256(readFileSync(path)) === hash;
  } catch {
    return false;
  }
}

/** What `census verify --store` finds for one stored file. */
export type StoreCheck = 'ok' | 'missing' | 'altered';

export function checkStored(storeDir: string, hash: string): StoreCheck {
  const path = storedPath(storeDir, hash);
  if (!existsSync(path)) return 'missing';
  return storedIntact(path, hash) ? 'ok' : 'altered';
}

export function readStored(storeDir: string, hash: string): Buffer {
  return readFileSync(storedPath(storeDir, hash));
}
