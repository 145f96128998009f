import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { putBytes, sha256, storedPath } from '../../../pipeline/runtime/store.ts';

describe('raw store', () => {
  it('stores bytes under their sha256, read-only, and says when they were already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    const bytes = Buffer.from('hello census');
    const first = await putBytes(dir, bytes);
    expect(first).toEqual({ hash: sha256(bytes), added: true });
    expect(readFileSync(storedPath(dir, first.hash)).equals(bytes)).toBe(true);
    expect(statSync(storedPath(dir, first.hash)).mode & 0o222).toBe(0);
    expect((await putBytes(dir, bytes)).added).toBe(false);
    expect(readdirSync(join(dir, first.hash.slice(0, 2)))).toEqual([first.hash]);
  });

  it('never uses anything but a hash as a path', () => {
    expect(() => storedPath('/tmp', '../../etc/passwd')).toThrow(/not a sha256/);
  });
});
