import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { expectHelpWithExamplesAndExitCodes, runCensus } from '../../support/cli.ts';
import { buildProgram } from '../../../pipeline/cli/main.ts';

describe('census foi from the command line', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const census = (...args: string[]) => runCensus(args, { cwd: home, env });
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-foi-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
    expect((await census('init')).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await t.drop();
  });

  it('prints help with examples and exit codes for the group and every sub-command', async () => {
    // In-process: the help is the same text bin/census prints, without a node start per command.
    const foi = (await buildProgram()).commands.find((c) => c.name() === 'foi')!;
    const all = [foi, ...foi.commands, ...foi.commands.flatMap((c) => c.commands)];
    expect(all.map((c) => c.name())).toEqual([
      'foi',
      'send',
      'status',
      'chase',
      'event',
      'retract',
      'letters',
      'export',
      'register',
      'unmatched',
      'match',
      'unmatch',
      'coding-sheet',
      'code',
      'load',
    ]);
    expectHelpWithExamplesAndExitCodes(all);
  });

  it('refuses a sent date outside the holiday calendar with exit 2, saying what to do', async () => {
    const r = await census('foi', 'send', '--wave', '2024', '--sent', '2029-06-01');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2029-06-01 is outside the bank-holiday calendar[\s\S]*what to do: Add that year/);
  }, 180_000);

  it('sends once, then shows the register, the chase list and one trust in detail as of a date', async () => {
    const sent = await census('foi', 'send', '--wave', '2024', '--sent', '2024-03-11', '--json');
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout).created).toHaveLength(52);
    const again = await census('foi', 'send', '--wave', '2024', '--sent', '2024-03-11', '--explain');
    expect(again.stdout).toMatch(/0 request\(s\) recorded as sent 2024-03-11; 52 already recorded/);
    expect(again.stdout).toMatch(/2024-03-29: Good Friday/);
    const ev = await census(
      'foi',
      'event',
      '--trust',
      'RXT',
      '--wave',
      '2024',
      '--kind',
      'clarification_asked',
      '--date',
      '2024-03-20',
    );
    expect(ev.code, ev.stderr).toBe(0);
    const status = await census('foi', 'status', '--wave', '2024', '--as-of', '2024-04-12', '--json');
    const statuses = JSON.parse(status.stdout) as { wave: number; asOf: string; trust: string; status: string }[];
    expect(statuses.find((l) => l.trust === 'RXT')!.status).toBe('clarification');
    expect(statuses.filter((l) => l.status === 'overdue')).toHaveLength(51);
    expect(statuses.every((l) => l.wave === 2024 && l.asOf === '2024-04-12')).toBe(true);
    const chase = await census('foi', 'chase', '--wave', '2024', '--as-of', '2024-04-12');
    expect(chase.stdout).toMatch(/RPG\s+Oxleas NHS Foundation Trust\s+overdue\s+2024-03-11\s+2024-04-11\s+21\s+32/);
    const detail = await census('foi', 'status', '--wave', '2024', '--trust', 'RPG', '--as-of', '2024-04-12');
    expect(detail.stdout).toMatch(/Due date: Received 2024-03-11 \(day 0\); 20 working days counted/);
    expect(detail.stdout).toMatch(/2024-04-12\s+overdue\s+\(due_date_passed\)/);
  }, 300_000);

  it('lists the register, chase list and unmatched replies as text, csv or json, one request shape for status and chase', async () => {
    const asOf = ['--wave', '2024', '--as-of', '2024-04-12'];
    const csv = await census('foi', 'status', ...asOf, '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^trust,name,status,sent,due,replied,.*,our ref,their ref,note$/);
    expect(lines).toHaveLength(1 + 52);
    expect(lines.find((l) => l.startsWith('RXT,'))).toMatch(/,clarification,2024-03-11,/);
    const status = JSON.parse((await census('foi', 'status', ...asOf, '--format', 'json')).stdout) as {
      trust: string;
    }[];
    const chase = JSON.parse((await census('foi', 'chase', ...asOf, '--json')).stdout) as { trust: string }[];
    expect(chase.length).toBeGreaterThan(0);
    // The chase list's objects are the register's, key for key.
    for (const c of chase) expect(c).toEqual(status.find((s) => s.trust === c.trust));
    const one = await census('foi', 'status', ...asOf, '--trust', 'RPG', '--format', 'csv');
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(2);
    const chaseCsv = await census('foi', 'chase', ...asOf, '--format', 'csv');
    expect(chaseCsv.stdout.split('\n')[0]).toBe('trust,name,status,sent,due,working days,calendar days,their ref');
    const unmatched = await census('foi', 'unmatched', '--wave', '2024', '--format', 'csv');
    expect(unmatched.code, unmatched.stderr).toBe(0);
    expect(unmatched.stdout).toBe('sha256,file,kind,why,candidates,hints\n');
    expect(JSON.parse((await census('foi', 'unmatched', '--wave', '2024', '--format', 'json')).stdout)).toEqual([]);
    const bad = await census('foi', 'status', '--wave', '2024', '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are text, json, csv/);
    // An export's --out names its format by extension: another one is refused, naming both.
    const txt = await census('foi', 'export', 'status', '--wave', '2024', '--out', join(home, 'status.txt'));
    expect(txt.code).toBe(2);
    expect(txt.stderr).toMatch(/this writes \.csv or \.xlsx, not "\.txt"/);
    const xlsx = await census('foi', 'export', 'status', '--wave', '2024', '--out', join(home, 'status.xlsx'));
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(readFileSync(join(home, 'status.xlsx')).subarray(0, 2).toString()).toBe('PK');
  }, 300_000);

  it('writes the coding sheet to an .xlsx and replaces an earlier one only with --force', async () => {
    const out = join(home, 'coding-2024.xlsx');
    const csv = await census('foi', 'coding-sheet', '--wave', '2024', '--out', join(home, 'coding.csv'));
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--out .*coding\.csv: this writes \.xlsx, not "\.csv"/);
    const first = await census('foi', 'coding-sheet', '--wave', '2024', '--out', out);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(out, 'half filled in');
    const again = await census('foi', 'coding-sheet', '--wave', '2024', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/coding-2024\.xlsx already exists; nothing was written\.\nwhat to do: Add --force/);
    expect(readFileSync(out, 'utf8')).toBe('half filled in');
    const forced = await census('foi', 'coding-sheet', '--wave', '2024', '--out', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  }, 180_000);

  it('exits 2 for a reply or trust it cannot find', async () => {
    expect(
      (await census('foi', 'match', '--file', 'abcdef12', '--trust', 'RXT', '--by', 'Me', '--wave', '2024')).stderr,
    ).toMatch(/No reply in wave 2024 has the file name, path or sha256 "abcdef12"/);
    expect(
      (
        await census(
          'foi',
          'event',
          '--trust',
          'ZZZ',
          '--wave',
          '2024',
          '--kind',
          'clarification_asked',
          '--date',
          '2024-03-20',
        )
      ).code,
    ).toBe(2);
  }, 180_000);
  it('foi status names the replies that wait for a person to code, with their questions and the command', async () => {
    // Runs last: a reply that answers the counts but not questions 4 and 5 (partial until coded).
    const inbox = mkdtempSync(join(home, 'replies-'));
    writeFileSync(
      join(inbox, 'oxleas-reply.txt'),
      [
        'Oxleas NHS Foundation Trust',
        'Date: 4 April 2024',
        '',
        '1. Yes, we accept referrals for children aged under two.',
        '2. Referrals received: 2021/22: 34; 2022/23: 41; 2023/24 (to date): 29.',
        '3. Referrals accepted: 2021/22: 30; 2022/23: 37; 2023/24 (to date): 25.',
        '',
      ].join('\n'),
    );
    const ingested = await census('ingest', inbox, '--wave', '2024');
    expect([0, 1], ingested.stderr).toContain(ingested.code);
    const r = await census('foi', 'status', '--wave', '2024', '--as-of', '2024-04-12');
    expect(r.stdout).toMatch(/^RPG\s+Oxleas NHS Foundation Trust\s+partial\b/m);
    expect(r.stdout).toMatch(
      /^Waiting for a person to code \(1\): RPG \(q4_parent_infant_service, q5_receiving_service\)\. The coding sheet lists them:\n {2}census foi coding-sheet --wave 2024 --out coding-2024\.xlsx$/m,
    );
  }, 300_000);
});
