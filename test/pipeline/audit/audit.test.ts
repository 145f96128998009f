import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCorrection } from '../../../pipeline/audit/corrections.ts';
import { auditFigure } from '../../../pipeline/audit/figure.ts';
import { trustHistory } from '../../../pipeline/audit/trust.ts';
import { buildProgram } from '../../../pipeline/cli/main.ts';
import { renderReport, writeReport } from '../../../pipeline/report/build.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { expectHelpWithExamplesAndExitCodes, runCensus } from '../../support/cli.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { loadFlagFixture, valueId } from './fixture.ts';

describe('census audit: from a figure or a trust to the quoted source', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  let reportDir: string;
  const ctx = () => testCtx(t, { now: '2024-05-01T09:00:00Z' });
  const census = (...args: string[]) => runCensus(args, { cwd: home, env });

  beforeAll(async () => {
    t = await freshDatabase();
    await loadFlagFixture(t);
    reportDir = mkdtempSync(join(tmpdir(), 'audit-report-'));
    writeReport(reportDir, await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx()));
    home = mkdtempSync(join(tmpdir(), 'census-audit-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws'), CENSUS_USER: 'tester' };
    expect((await census('init')).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await t.drop();
  });

  it('prints help with examples and exit codes for audit, correct and diff', async () => {
    const program = await buildProgram();
    const audit = program.commands.find((c) => c.name() === 'audit')!;
    const all = [
      audit,
      ...audit.commands,
      ...['correct', 'diff'].map((n) => program.commands.find((c) => c.name() === n)!),
    ];
    expect(all.map((c) => c.name())).toEqual(['audit', 'figure', 'trust', 'flags', 'review', 'correct', 'diff']);
    expectHelpWithExamplesAndExitCodes(all);
  });

  it('lists every value behind a figure of a build with its file, sha256, page:line and quoted line', async () => {
    const rwx = await valueId(t, 'RWX', 'fy2022_23');
    const a = await auditFigure(
      { wanted: 'foi.referrals.2', wave: 2024, report: reportDir, params: defaultParams() },
      ctx(),
    );
    const v = a.values.find((x) => x.valueId === rwx)!;
    expect(v).toMatchObject({
      trustOds: 'RWX',
      questionId: 'q2_referrals_under2',
      period: '2022/23',
      interval: { low: 40, high: 40 },
      flags: [],
      file: { name: 'rwx.txt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      location: 'p2:11',
      quote: 'In 2022/23 the trust received 40 referrals',
      how: 'automatic',
      corrections: [],
    });
    expect(a.values.map((x) => x.trustOds).sort()).toEqual(['RRP', 'RV5', 'RWX']);
  });

  it('reaches the quoted line in one command from the figure id, rebuilding the figures when no build is named', async () => {
    const r = await census('audit', 'figure', 'foi.referrals.2', '--wave', '2024');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/figure foi\.referrals\.2: Trusts receiving 11-50 under-two referrals a year/);
    expect(r.stdout).toMatch(
      /source rwx\.txt {2}sha256 [0-9a-f]{64}\n {2}at p2:11: "In 2022\/23 the trust received 40 referrals"/,
    );
    const csv = await census(
      'audit',
      'figure',
      'foi.referrals.2',
      '--wave',
      '2024',
      '--report',
      reportDir,
      '--format',
      'csv',
    );
    expect(csv.stdout.split('\n')[0]).toBe(
      'figure_id,value_id,wave,trust_ods,trust_name,question_id,period,period_dates,basis,age_band,team,low,high,reply_low,reply_high,missing,answer,flags,file_name,file_sha256,location,quote,how,corrections,in_report',
    );
    expect((await census('audit', 'figure', 'no.such.figure', '--wave', '2024', '--report', reportDir)).code).toBe(2);
    const same = await census('diff', reportDir, join(reportDir, 'manifest.json'));
    expect([same.code, same.stdout]).toEqual([
      0,
      `The builds are the same: ${join(reportDir, 'manifest.json')} and ${join(reportDir, 'manifest.json')}.\n`,
    ]);
  });

  it("corrects from the command line, and the trust's history shows the value as the reply said it and the correction with its reason", async () => {
    const rv5 = await valueId(t, 'RV5', 'fy2021_22');
    const r = await census(
      'correct',
      '--wave',
      '2024',
      '--value',
      rv5,
      '--low',
      '11',
      '--by',
      'A. Researcher',
      '--reason',
      'letter says eleven',
    );
    expect(r.code, r.stderr).toBe(0);
    const h = await trustHistory('rv5', ctx());
    expect(h.requests.map((q) => q.wave)).toEqual([2024]);
    expect(h.events.map((e) => e.kind)).toEqual(['reply']);
    expect(h.responses.map((x) => x.file)).toEqual(['rv5.txt']);
    const v = h.values.find((x) => x.valueId === rv5)!;
    expect(v).toMatchObject({ interval: { low: 11, high: 11 }, rawInterval: { low: 10, high: 10 } });
    expect(v.corrections).toEqual([
      expect.objectContaining({
        id: r.stdout.trim(),
        by: 'A. Researcher',
        reason: 'letter says eleven',
        revertedBy: null,
      }),
    ]);
    expect(h.flags.map((f) => [f.kind, f.status])).toEqual([['jump_3', 'corrected']]);
    const text = await census('audit', 'trust', 'RV5');
    expect(text.stdout).toMatch(
      /value 11 {2}\(reply said 10\)[\s\S]*correction \d+ to 11 by A\. Researcher at [^:]+:\d\d:\d\d\.\d+Z: letter says eleven/,
    );
  });

  it('lists the open flags with exit 1, and keeps a correction through a reprocessing that renumbers the values', async () => {
    const flags = await census('audit', 'flags', '--wave', '2024', '--open', '--format', 'json');
    expect(flags.code).toBe(1);
    expect((JSON.parse(flags.stdout) as { kind: string }[]).map((f) => f.kind).sort()).toEqual([
      'duplicate_response',
      'jump_10',
      'not_accepted_but_reported',
      'under2_above_wider_band',
    ]);
    // storeResponse replaces a reply's automatic values with new ids; the correction follows the slot.
    const rwx = await valueId(t, 'RWX', 'fy2022_23');
    await recordCorrection({ wave: 2024, valueId: rwx, low: 4, high: 4, by: 'A', reason: 'typo' }, ctx());
    const cols = (
      await t.pool.query(
        "select string_agg(column_name, ', ' order by ordinal_position) as c from information_schema.columns where table_name = 'foi_value' and column_name <> 'id'",
      )
    ).rows[0].c as string;
    const moved = await t.pool.query(
      `insert into foi_value (${cols}) select ${cols} from foi_value where id = $1 returning id`,
      [rwx],
    );
    await t.pool.query('delete from foi_value where id = $1', [rwx]);
    expect(
      (await t.pool.query('select low::int, raw_low::int from foi_value_corrected where id = $1', [moved.rows[0].id]))
        .rows,
    ).toEqual([{ low: 4, raw_low: 40 }]);
  });
});
