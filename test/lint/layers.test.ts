import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of .dependency-cruiser.cjs (README "Layout") run against a small tree made here, so
 * the test shows they pass on imports that run downwards and fail on one that runs the wrong way.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin', 'depcruise');
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'nodenext' } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function cruise(dir: string): { ok: boolean; out: string } {
  try {
    const out = execFileSync(
      BIN,
      ['pipeline', 'sources', 'schemas', 'reports', '--config', join(ROOT, '.dependency-cruiser.cjs')],
      { cwd: dir, encoding: 'utf8' },
    );
    return { ok: true, out };
  } catch (err) {
    const e = err as { stdout?: string };
    return { ok: false, out: e.stdout ?? '' };
  }
}

const base = {
  'schemas/issue.ts': 'export const x = 1;\n',
  'reports/html.ts': "import { x } from '../schemas/issue.ts';\nexport const h = x;\n",
  'sources/reader.ts': "import { x } from '../schemas/issue.ts';\nexport const y = x;\n",
  'pipeline/runtime/ctx.ts': "import { y } from '../../sources/reader.ts';\nexport const c = y;\n",
  'pipeline/cli/run.ts': "import { c } from '../runtime/ctx.ts';\nexport const r = c;\n",
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('layer rules', () => {
  it('pass when every import runs downwards', () => {
    expect(cruise(tree(base)).ok).toBe(true);
  });

  it('fail, naming the rule and both files, when a pure reader imports the CLI', () => {
    const r = cruise(
      tree({ ...base, 'sources/bad.ts': "import { r } from '../pipeline/cli/run.ts';\nexport const z = r;\n" }),
    );
    expect(r.ok).toBe(false);
    expect(r.out).toContain('sources-are-pure');
    expect(r.out).toContain('sources/bad.ts → pipeline/cli/run.ts');
  });

  it('fail on a cycle and on a file loose in pipeline/', () => {
    const r = cruise(
      tree({
        ...base,
        'pipeline/ingest/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
        'pipeline/ingest/b.ts': "import { a } from './a.ts';\nexport const b = a;\n",
        'pipeline/loose.ts': "import { c } from './runtime/ctx.ts';\nexport const l = c;\n",
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.out).toContain('no-circular');
    expect(r.out).toContain('pipeline-has-no-loose-files');
  });
});
