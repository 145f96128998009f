import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandSummaries } from '../../../pipeline/cli/main.ts';
import { runCensus } from '../../support/cli.ts';

/**
 * bin/census runs the compiled build (scripts/build.mjs, dist/current): the commands that need no
 * database never reach one, the top-level help lists every command from the list written at build
 * time, and --debug prints stack traces that name the TypeScript sources.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// A server that is never there: a command that tried to reach it would fail with exit 3.
const NO_DB = { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:9/none', CENSUS_WORKSPACE: undefined };

describe('the compiled CLI', () => {
  it('--version prints the package version on stdout without a database or a workspace', async () => {
    const home = mkdtempSync(join(tmpdir(), 'census-compiled-'));
    const r = await runCensus(['--version'], { cwd: home, env: NO_DB });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(existsSync(join(ROOT, 'dist', 'current', 'census.mjs'))).toBe(true);
  });

  it('lists every command in its top-level help, as the full program describes them, without a database', async () => {
    const r = await runCensus(['--help'], { cwd: tmpdir(), env: NO_DB });
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\s+/g, ' ');
    for (const c of await commandSummaries()) {
      expect(flat, c.name).toContain(c.term);
      // Commander wraps long descriptions to the width of the output: compare the words.
      expect(flat, c.name).toContain(c.description.replace(/\s+/g, ' ').slice(0, 40));
    }
  });

  it('writes a template and diffs question lists without a database', async () => {
    const home = mkdtempSync(join(tmpdir(), 'census-compiled-'));
    const t = await runCensus(['template', '--wave', '2025', '--out', join(home, 'q.xlsx')], { cwd: home, env: NO_DB });
    expect(t.code, t.stderr).toBe(0);
    expect(existsSync(join(home, 'q.xlsx'))).toBe(true);
    const d = await runCensus(['questions', 'diff', '2023', '2025'], { cwd: home, env: NO_DB });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/Questions of wave 2023 -> 2025/);
  });

  it('with --debug, prints the stack of a failure pointing at the TypeScript files', async () => {
    const home = mkdtempSync(join(tmpdir(), 'census-compiled-'));
    const args = ['issues', '--wave', '2025', '--workspace', join(home, 'not-a-workspace')];
    const plain = await runCensus(args, { cwd: home, env: NO_DB });
    expect(plain.stderr).not.toMatch(/\.ts:\d+:\d+/);
    const debug = await runCensus([...args, '--debug'], { cwd: home, env: NO_DB });
    expect(debug.code).toBe(plain.code);
    expect(debug.stderr).toMatch(/pipeline\/[\w/-]+\.ts:\d+:\d+/);
    expect(debug.stderr).not.toMatch(/dist\/[^\s]*\.mjs:\d+/);
  });
});
