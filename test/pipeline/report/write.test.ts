import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport, type RenderedReport } from '../../../pipeline/report/build.ts';
import { MANIFEST_FILE, manifestJson, MANIFEST_FORMAT, type Manifest } from '../../../reports/manifest.ts';
import { sha256Hex } from '../../../reports/hash.ts';

function build(files: Record<string, string>): RenderedReport {
  const outputs = new Map(Object.entries(files).map(([p, t]) => [p, Buffer.from(t)]));
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    wave: 2025,
    build: 'public',
    codeVersion: 'test',
    migrationLevel: 1,
    parameters: {},
    sources: [],
    corrections: [],
    reference: {},
    outputs: Object.fromEntries([...outputs].map(([p, b]) => [p, sha256Hex(b)])),
  };
  outputs.set(MANIFEST_FILE, Buffer.from(manifestJson(manifest)));
  return { outputs, manifest };
}

describe('writeReport: writes only where it may and deletes only its own files', () => {
  it('writes into a missing or empty folder', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'write-')), 'new');
    expect(writeReport(out, build({ 'report.html': 'a' }))).toEqual(['manifest.json', 'report.html']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe('a');
  });

  it('refuses a non-empty folder that is not one of its builds, and leaves it as it was', () => {
    const out = mkdtempSync(join(tmpdir(), 'write-'));
    writeFileSync(join(out, 'thesis.docx'), 'mine');
    expect(() => writeReport(out, build({ 'report.html': 'a' }))).toThrow(/not empty and holds no report build/);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    expect(readFileSync(join(out, 'thesis.docx'), 'utf8')).toBe('mine');
  });

  it('with force, writes its files beside the others and deletes nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'write-'));
    mkdirSync(join(out, 'tables'));
    writeFileSync(join(out, 'tables', 'mine.csv'), 'mine');
    writeReport(out, build({ 'report.html': 'a', 'tables/x.csv': 'x' }), { force: true });
    expect(readFileSync(join(out, 'tables', 'mine.csv'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'tables', 'x.csv'), 'utf8')).toBe('x');
  });

  it('over an earlier build, removes the files that build listed and this one does not make, and nothing else', () => {
    const out = mkdtempSync(join(tmpdir(), 'write-'));
    writeReport(out, build({ 'report.html': 'a', 'tables/old.csv': 'old' }));
    writeFileSync(join(out, 'tables', 'notes.csv'), 'mine');
    writeReport(out, build({ 'report.html': 'b', 'tables/new.csv': 'new' }));
    expect(existsSync(join(out, 'tables', 'old.csv'))).toBe(false);
    expect(readFileSync(join(out, 'tables', 'notes.csv'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe('b');
  });

  it('never deletes outside the folder, whatever an edited manifest lists', () => {
    const root = mkdtempSync(join(tmpdir(), 'write-'));
    const out = join(root, 'out');
    writeReport(out, build({ 'report.html': 'a' }));
    writeFileSync(join(root, 'precious.txt'), 'keep');
    const m = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8'));
    m.outputs['../precious.txt'] = '0'.repeat(64);
    writeFileSync(join(out, MANIFEST_FILE), JSON.stringify(m));
    writeReport(out, build({ 'report.html': 'b' }));
    expect(readFileSync(join(root, 'precious.txt'), 'utf8')).toBe('keep');
  });
});
