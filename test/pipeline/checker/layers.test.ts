import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of the self-check page (.dependency-cruiser.cjs), on a small tree made here: its
 * browser script may reach the domains but never the runtime or the database, even through a
 * domain module, and only the CLI imports the checker.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin', 'depcruise');
const dirs: string[] = [];

function cruise(files: Record<string, string>): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'checker-layers-'));
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
    const out = execFileSync(BIN, ['pipeline', 'schemas', '--config', join(ROOT, '.dependency-cruiser.cjs')], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { ok: true, out };
  } catch (err) {
    return { ok: false, out: (err as { stdout?: string }).stdout ?? '' };
  }
}

const base = {
  'schemas/issue.ts': 'export const x = 1;\n',
  'pipeline/runtime/store.ts': "import { x } from '../../schemas/issue.ts';\nexport const s = x;\n",
  'pipeline/ingest/validate.ts': "import { x } from '../../schemas/issue.ts';\nexport const v = x;\n",
  'pipeline/checker/browser.ts': "import { v } from '../ingest/validate.ts';\nexport const b = v;\n",
  'pipeline/checker/page.ts': "import { x } from '../../schemas/issue.ts';\nexport const p = x;\n",
  'pipeline/cli/template.ts': "import { p } from '../checker/page.ts';\nexport const t = p;\n",
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the self-check page layer rules', () => {
  it('pass when the browser script reaches only the domains and the CLI alone imports the checker', () => {
    expect(cruise(base).ok).toBe(true);
  });

  it('fail when the browser script reaches the runtime through a domain module', () => {
    const r = cruise({
      ...base,
      'pipeline/ingest/validate.ts': "import { s } from '../runtime/store.ts';\nexport const v = s;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('checker-script-runs-in-a-browser');
    expect(r.out).toContain('pipeline/runtime/store.ts');
  });

  it('fail when a domain imports the checker', () => {
    const r = cruise({
      ...base,
      'pipeline/ingest/uses-page.ts': "import { p } from '../checker/page.ts';\nexport const u = p;\n",
    });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('checker-below-cli');
  });
});
