import ExcelJS from 'exceljs';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseLabel } from '../../../sources/shared/label-match.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { runCensus } from '../../support/cli.ts';

/** A 2019 hand-made workbook: labels in column A, answers in B. */
async function handWorkbook(path: string, team: string, extra: [string, string | number][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date('2019-06-01T00:00:00Z');
  wb.modified = wb.created;
  const ws = wb.addWorksheet('Survey');
  for (const r of [
    ['Name of the team', team],
    ['Nation (England / Scotland / Wales / NI)', 'England'],
    ['Year the team started seeing families', 2016],
    ...extra,
  ])
    ws.addRow(r);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
}

const REPLY = [
  'From the FOI Office, Oxleas NHS Foundation Trust',
  '1. Does the trust accept referrals for children aged under two? Yes.',
  '2. How many referrals for children aged under two did the trust receive?',
  'Year\tReferrals received\tReferrals accepted',
  'FY 2021/22\t12\t10',
  'FY 2022/23\t15\t11',
  '',
].join('\n');

describe('census check and ingest --dry-run: what would be read, nothing stored', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const census = (...args: string[]) => runCensus(args, { cwd: home, env });
  const count = async (table: string) =>
    Number((await t.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n);

  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-dry-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
    expect((await census('init')).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await t.drop();
  });

  it('names the files of a batch with the same bytes and the labels the stored label map would map', async () => {
    const inbox = join(home, 'inbox');
    mkdirSync(inbox);
    await handWorkbook(join(inbox, 'alder.xlsx'), 'Alder Babies', [
      ['Favourite biscuit', 'Custard cream'],
      ['Team size in WTE', 2.8],
    ]);
    copyFileSync(join(inbox, 'alder.xlsx'), join(inbox, 'alder (copy).xlsx'));
    await t.pool.query(
      `insert into label_mapping (wave, label_key, label, question_id, mapped_by, mapped_at) values (2019, $1, 'Favourite biscuit', null, 'A. Lee', now())`,
      [normaliseLabel('Favourite biscuit')],
    );
    const receipts = await count('file_receipt');
    const r = await census('ingest', inbox, '--wave', '2019', '--dry-run');
    expect([0, 1]).toContain(r.code);
    // One of the two is named as the same bytes as the other (the first listed is kept).
    expect(r.stdout).toMatch(
      /Same bytes as an earlier file of this batch[^\n]*\n +\S+alder( \(copy\))?\.xlsx = \S+alder/,
    );
    expect(r.stdout).toMatch(/Favourite biscuit\s+\(ignored\)/);
    expect(r.stdout).toMatch(/Team size in WTE\s+not mapped: census questions map/);
    // The copy is not counted twice.
    expect(r.stdout).toMatch(/^1 file\(s\): 1 return\(s\) would load/m);
    expect(await count('file_receipt')).toBe(receipts);
    const offline = await census('ingest', inbox, '--wave', '2019', '--dry-run', '--no-database');
    expect(offline.stdout).toMatch(/label map \(census questions map\) was not consulted/);
    const j = JSON.parse((await census('ingest', inbox, '--wave', '2019', '--dry-run', '--json')).stdout) as {
      duplicates: { file: string }[];
      mappedLabels: { label: string; questionId: string | null }[];
    };
    expect(j.duplicates).toHaveLength(1);
    expect(j.mappedLabels).toEqual([expect.objectContaining({ label: 'Favourite biscuit', questionId: null })]);
    // --format csv: one row per file, in the order read; the copy names the file of the same bytes and counts nothing.
    const csv = await census('ingest', inbox, '--wave', '2019', '--dry-run', '--format', 'csv');
    expect(csv.stderr).toBe('');
    const [header, ...rows] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe('file,sha256,would load,kept out,errors,warnings,info,same bytes as');
    expect(rows).toHaveLength(2);
    const [first, copy] = [rows.find((r) => !/,[^,]+$/.test(r))!, rows.find((r) => /,[^,]+$/.test(r))!];
    expect(first).toMatch(/^\S+alder( \(copy\))?\.xlsx,[0-9a-f]{64},1,0,\d+,\d+,\d+,$/);
    expect(copy).toMatch(/^\S+alder( \(copy\))?\.xlsx,,,,,,,\S+alder( \(copy\))?\.xlsx$/);
    expect(await count('file_receipt')).toBe(receipts);
  }, 300_000);

  it('checks an FOI reply: the trust it names without a database, the request it answers with one, and its values', async () => {
    const reply = join(home, 'oxleas-reply.txt');
    writeFileSync(reply, REPLY);
    const offline = await census('check', reply, '--wave', '2024', '--no-database');
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toMatch(
      /trust: RPG \(the reply names RPG by name; which request it answers needs the workspace database\)/,
    );
    expect(offline.stdout).toMatch(/q2_referrals_under2\s+FY 2021\/22\s+12\b/);
    expect((await census('foi', 'send', '--wave', '2024', '--sent', '2024-03-11')).code).toBe(0);
    const responses = await count('foi_response');
    const matched = await census('check', reply, '--wave', '2024', '--json');
    expect(matched.code, matched.stderr).toBe(0);
    const [r] = JSON.parse(matched.stdout) as {
      trust: { outcome: string; ods: string };
      values: { questionId: string; value: string }[];
    }[];
    expect(r!.trust).toMatchObject({ outcome: 'matched', ods: 'RPG' });
    expect(r!.values.map((v) => v.value)).toEqual(expect.arrayContaining(['12', '15']));
    expect(await count('foi_response')).toBe(responses);
    const csv = await census('check', reply, '--wave', '2024', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe(
      'file,trust,trust outcome,question,period,value,age band,flags,suggestion,location,quote',
    );
    // The yes/no answer is a row too (no period), not only the counts.
    expect(csv.stdout).toMatch(/^\S+oxleas-reply\.txt,RPG,matched,q1_accepts_under2,,yes,/m);
    expect(csv.stdout).toMatch(/,q2_referrals_under2,FY 2021\/22,12,/);
    const dry = await census('ingest', reply, '--wave', '2024', '--dry-run');
    expect(dry.stdout).toMatch(/^Dry run: nothing was stored or loaded\./);
    expect(dry.stdout).toMatch(/trust: RPG \(matched/);
    // A batch holding the reply twice: --json has the shape of a questionnaire dry run, the copy named.
    const batch = join(home, 'replies');
    mkdirSync(batch);
    copyFileSync(reply, join(batch, 'oxleas-reply.txt'));
    copyFileSync(reply, join(batch, 'oxleas-reply (copy).txt'));
    const json = await census('ingest', batch, '--wave', '2024', '--dry-run', '--json');
    expect(json.code, json.stderr).toBe(0);
    const j = JSON.parse(json.stdout) as {
      dryRun: boolean;
      wave: number;
      files: { trust: { ods: string } }[];
      duplicates: { file: string; sameAs: string }[];
    };
    expect(j).toMatchObject({ dryRun: true, wave: 2024 });
    expect(j.files.map((f) => f.trust.ods)).toEqual(['RPG']);
    expect(j.duplicates).toHaveLength(1);
    // --format csv: the values and answers found, as census check --format csv lists them.
    const dryCsv = await census('ingest', batch, '--wave', '2024', '--dry-run', '--format', 'csv');
    expect(dryCsv.stdout.split('\n')[0]).toBe(csv.stdout.split('\n')[0]);
    expect(dryCsv.stdout).toMatch(/,q2_referrals_under2,FY 2021\/22,12,/);
    const text = await census('ingest', batch, '--wave', '2024', '--dry-run');
    expect(text.stdout).toMatch(/would wait for a person; nothing was stored\.\n\nSame bytes as an earlier file/);
    expect(await count('foi_response')).toBe(responses);
  }, 300_000);
});
