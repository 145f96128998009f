import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../../schemas/issue-codes.ts';
import { runCensus } from '../../support/cli.ts';

describe('census issues --codes', () => {
  // No workspace anywhere and a database that cannot be reached: --codes must need neither.
  const cwd = mkdtempSync(join(tmpdir(), 'census-codes-'));
  const env = { CENSUS_WORKSPACE: undefined, DATABASE_URL: 'postgres://census:secret@127.0.0.1:1/none' };

  it('prints the catalogue as a table without a workspace or database', async () => {
    const r = await runCensus(['issues', '--codes'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^code\s+severity\s+touches\s+meaning\s+action$/);
    expect(lines).toHaveLength(2 + Object.keys(ISSUE_CODES).length);
    expect(r.stdout).toMatch(/\nrequired_missing\s+error\s+cell\s+A question that must be answered/);
    expect(r.stdout, 'a code raised at more than one severity shows both').toMatch(
      /\nsum_mismatch\s+warning\/error\s+row\s/,
    );
  });

  it('prints the catalogue as JSON with --json', async () => {
    const r = await runCensus(['issues', '--codes', '--json'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as {
      code: string;
      severity: string;
      also: string[];
      touches: string;
      meaning: string;
      action: string;
    }[];
    expect(rows.map((x) => x.code)).toEqual(Object.keys(ISSUE_CODES));
    expect(rows.find((x) => x.code === 'band_unknown')).toEqual({
      code: 'band_unknown',
      ...ISSUE_CODES.band_unknown,
      also: [],
    });
    expect(rows.find((x) => x.code === 'exceeds_other_answer')).toMatchObject({
      severity: 'error',
      also: ['warning'],
      touches: 'row',
    });
  });

  it('still requires --wave when listing issues', async () => {
    const r = await runCensus(['issues'], { cwd, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--wave <year>' not specified/);
  });
});
