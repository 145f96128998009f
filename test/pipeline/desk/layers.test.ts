import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The desk's layer rules of .dependency-cruiser.cjs, run against a small tree made here. */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin', 'depcruise');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cruise(files: Record<string, string>): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'desk-layers-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'nodenext' } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    const out = execFileSync(BIN, ['pipeline', '--config', join(ROOT, '.dependency-cruiser.cjs')], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { ok: true, out };
  } catch (err) {
    return { ok: false, out: (err as { stdout?: string }).stdout ?? '' };
  }
}

const base = {
  'pipeline/runtime/ctx.ts': 'export const c = 1;\n',
  'pipeline/audit/trail.ts': "import { c } from '../runtime/ctx.ts';\nexport const t = c;\n",
  'pipeline/desk/app.ts': "import { t } from '../audit/trail.ts';\nexport const a = t;\n",
  'pipeline/cli/serve.ts': "import { a } from '../desk/app.ts';\nexport const s = a;\n",
};

describe('the desk layer', () => {
  it('may import the layers below the CLI and be imported by the CLI', () => {
    expect(cruise(base).ok).toBe(true);
  });

  it('may not be imported by any other layer', () => {
    const r = cruise({
      ...base,
      'pipeline/audit/uses-desk.ts': "import { a } from '../desk/app.ts';\nexport const u = a;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('desk-below-cli');
  });

  it('may not import the CLI', () => {
    const r = cruise({
      ...base,
      'pipeline/desk/uses-cli.ts': "import { s } from '../cli/serve.ts';\nexport const u = s;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('desk-never-imports-cli');
  });
});
