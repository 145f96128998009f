import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
  readFileSync,
  appendFileSync,
  chmodSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listInputFiles } from '../../pipeline/ingest/receive.ts';
import { recordedText } from '../../pipeline/db/audit-log.ts';
import { checkStored, putBytes, storedPath } from '../../pipeline/runtime/store.ts';
import { configSchema, insideWorkspaceProblem } from '../../pipeline/runtime/workspace.ts';

describe('inputs taken as given', () => {
  it('skips links out of the folder, loops, second links and dot-files with a reason, and refuses FIFOs and folders named like documents', () => {
    const home = mkdtempSync(join(tmpdir(), 'census-inputs-'));
    const outside = join(home, 'secret.csv');
    writeFileSync(outside, 'not for the census');
    const dir = join(home, 'in');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(join(dir, 'x.xlsx'));
    writeFileSync(join(dir, 'a.csv'), 'a');
    writeFileSync(join(dir, '.hidden.csv'), 'h');
    symlinkSync(outside, join(dir, 'sub', 'out.csv'));
    symlinkSync('..', join(dir, 'sub', 'loop'));
    symlinkSync('a.csv', join(dir, 'again.csv'));
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    const { files, missing, skipped } = listInputFiles([dir]);
    expect(files).toEqual([join(dir, 'a.csv')]);
    expect(missing).toEqual([]);
    const by = Object.fromEntries(skipped.map((s) => [s.path.slice(dir.length + 1), s.code]));
    expect(by).toEqual({
      '.hidden.csv': 'input_skipped',
      'again.csv': 'input_skipped',
      'pipe.csv': 'input_not_regular',
      'sub/loop': 'input_skipped',
      'sub/out.csv': 'input_skipped',
      'x.xlsx': 'input_not_regular',
    });
    expect(skipped.find((s) => s.path.endsWith('out.csv'))!.message).toContain('outside the folder');
    rmSync(home, { recursive: true, force: true });
  });
});

describe('names and reasons recorded in the history', () => {
  it('refuses blank, punctuation-only and invisible-only text, and keeps real text trimmed', () => {
    expect(() => recordedText('--by', '  ', 'name')).toThrow(/--by must be the name/);
    expect(() => recordedText('--reason', '.', 'reason')).toThrow(/--reason must be a reason/);
    expect(() => recordedText('--reason', '\u200b', 'reason')).toThrow(/says nothing/);
    expect(() => recordedText('--reason', 'fixed \u001b[2J typo', 'reason')).toThrow(/holds a control character/);
    expect(recordedText('--reason', '\u200b\u200d ab', 'reason')).toBe('ab');
    expect(recordedText('--reason', '  trust resent  ', 'reason')).toBe('trust resent');
    expect(recordedText('--by', 'Zoë', 'name')).toBe('Zoë');
  });
});

describe('the raw store', () => {
  it('names a missing or altered file, and writing the original bytes again repairs it', async () => {
    const store = mkdtempSync(join(tmpdir(), 'census-store-'));
    const bytes = Buffer.from('a return');
    const { hash } = await putBytes(store, bytes);
    expect(checkStored(store, hash)).toBe('ok');
    chmodSync(storedPath(store, hash), 0o600);
    appendFileSync(storedPath(store, hash), 'junk');
    expect(checkStored(store, hash)).toBe('altered');
    expect((await putBytes(store, bytes)).added).toBe(true);
    expect(readFileSync(storedPath(store, hash))).toEqual(bytes);
    rmSync(storedPath(store, hash));
    expect(checkStored(store, hash)).toBe('missing');
    rmSync(store, { recursive: true, force: true });
  });
});

describe('census.json from a backup', () => {
  it('refuses folders outside the workspace and limits that would switch a guard off', () => {
    const ok = configSchema.parse({ version: 1, database: { kind: 'embedded' } });
    expect(insideWorkspaceProblem(ok)).toBeNull();
    expect(insideWorkspaceProblem({ ...ok, store: '../elsewhere' })).toMatch(/store "..\/elsewhere"/);
    expect(insideWorkspaceProblem({ ...ok, reports: '/tmp/x' })).toMatch(/reports/);
    expect(
      configSchema.safeParse({ version: 1, database: { kind: 'embedded' }, limits: { maxFileBytes: 1e15 } }).success,
    ).toBe(false);
  });
});
