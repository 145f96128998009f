import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { safeName, terminalText, textTable, wrapAtSpaces } from '../../../pipeline/runtime/terminal.ts';
import { stderrLogger } from '../../../pipeline/runtime/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { runCensus } from '../../support/cli.ts';

/** Names from input never drive the terminal (issue 17): ESC, CR, C1 and bidi controls are shown, not obeyed. */
const EVIL = 'evil\u001b]0;owned\u0007\u001b[2J\r\u009b31m\u202egpj.xlsx';
// Anything a terminal would act on: C0 but newline/tab, DEL, C1, bidi overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminal text', () => {
  it('makes controls visible in a name (line breaks too) and in a message (its own line breaks kept)', () => {
    expect(safeName('a\nb\u001b[31m')).toBe('a\\x0ab\\x1b[31m');
    expect(safeName('\u202eabc')).toBe('\\u202eabc');
    expect(terminalText('line one\n\tline two \u001b[2J\r')).toBe('line one\n\tline two \\x1b[2J\\x0d');
    expect(safeName(EVIL)).not.toMatch(UNSAFE);
    expect(textTable(['file'], [[EVIL]])).not.toMatch(UNSAFE);
  });

  it('the CLI logger writes every message through it', () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const log = stderrLogger();
      log.info(`Reading ${EVIL}`);
      log.warn(`${EVIL} is odd`);
      log.error(`${EVIL} failed`);
      const written = spy.mock.calls.map((c) => String(c[0])).join('');
      expect(written).not.toMatch(UNSAFE);
      expect(written).toContain('evil\\x1b]0;owned\\x07');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('census ingest of a file with control characters in its name', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('prints the name with its controls made visible, on stdout and stderr', async () => {
    const home = mkdtempSync(join(tmpdir(), 'census-term-'));
    const env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
    expect((await runCensus(['init'], { cwd: home, env })).code).toBe(0);
    const inbox = join(home, 'in');
    mkdirSync(inbox);
    writeFileSync(join(inbox, EVIL), 'not a workbook');
    const r = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: home, env });
    expect([0, 1], r.stderr).toContain(r.code);
    expect(`${r.stdout}${r.stderr}`).toContain('evil\\x1b]0;owned\\x07');
    expect(r.stdout).not.toMatch(UNSAFE);
    expect(r.stderr).not.toMatch(UNSAFE);
  });
});

describe('messages wrapped for a terminal', () => {
  it('breaks at spaces only: a path or command longer than the line stays whole, indentation kept', () => {
    const path = '/home/researcher/census/reports/2025/internal-build/report.html';
    const text = `Report for wave 2025 (internal build) written to ${path}:\n  the annex lists the audit command of every figure in the report`;
    const out = wrapAtSpaces(text, 40);
    expect(out.split('\n')).toContain(path.concat(':'));
    expect(out.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    for (const l of out.split('\n')) if (!l.includes(path)) expect(l.length, l).toBeLessThanOrEqual(40);
    expect(out.split('\n').filter((l) => l.startsWith('  ')).length).toBeGreaterThan(1);
    expect(wrapAtSpaces(text, Infinity)).toBe(text);
  });
});
