import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, writeReport, type RenderedReport } from '../../../pipeline/report/build.ts';
import { backTest } from '../../../pipeline/report/back-test.ts';
import { defaultParams, mergeParams } from '../../../schemas/report-params.ts';
import { verifyReport } from '../../../pipeline/report/verify.ts';
import type { Figure } from '../../../reports/figures.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { loadGolden } from './golden/build.ts';

/**
 * The golden scenario: inputs consistent with the published figures (spec/README.md), fed through the
 * real ingest, must make the report print those figures, computed.
 */
describe('golden scenario: the published figures, computed', () => {
  let t: TestDb;
  let ctx: ReturnType<typeof testCtx>;
  let report: RenderedReport;
  let html: string;
  let figures: Map<string, Figure & { records: string[] }>;
  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t);
    await loadGolden(ctx);
    report = await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx);
    html = report.outputs.get('report.html')!.toString('utf8');
    const json = JSON.parse(report.outputs.get('figures.json')!.toString('utf8')) as {
      figures: (Figure & { records: string[] })[];
    };
    figures = new Map(json.figures.map((f) => [f.id, f]));
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  const fig = (id: string) => {
    const f = figures.get(id);
    if (!f)
      throw new Error(
        `no figure ${id}; have ${[...figures.keys()].filter((k) => k.startsWith(id.split('.')[0]!)).join(', ')}`,
      );
    return f;
  };

  it('counts 49 teams in 2025 (10 in development) and 45 in 2023 (14 in development)', () => {
    expect(fig('growth.teams').text).toBe('49');
    expect(fig('growth.status.in_development').text).toBe('10');
    expect(fig('over-time.teams.2023').text).toBe('45');
    expect(fig('over-time.in_development.2023').text).toBe('14');
    expect(fig('growth.flow.0').text).toBe('8');
    expect(fig('growth.flow.2').text).toBe('4');
  });

  it('prints families supported as "4,400 to 6,500", from "fewer than 25" to "more than 300", with its denominator', () => {
    const f = fig('families.total');
    expect(f.text).toBe('4,400 to 6,500');
    expect(f.value).toEqual({ low: 4400, high: 6500 });
    expect(f.denominator).toEqual({ answered: 45, notAnswered: 4, of: 'teams' });
    expect(f.records).toHaveLength(45);
    expect(fig('families.smallest_band').text).toBe('Fewer than 25');
    expect(fig('families.largest_band').text).toBe('More than 300');
    expect(html).toContain(
      'Teams supported 4,400 to 6,500 families directly in the year, of 45 teams that answered (4 did not answer).',
    );
  });

  // The published "4-6%" at the precision the report now prints (one decimal below 10%, issue 16).
  it('computes reach under each need scenario of the parameters: "4-6%" (4.0% to 5.9%) for the UK need of 110,000', () => {
    expect(fig('families.reach.uk_specialist_need').text).toBe('4.0% to 5.9%');
    expect(fig('families.reach.england_disorganised_attachment').denominator?.answered).toBe(36);
  });

  it('gives "13-19%" (13% to 19%) for a fixed need of 34,000 carried as a scenario in the parameters', async () => {
    const params = mergeParams({
      needScenarios: [
        {
          id: 'estimate_2024',
          name: '2024 estimate',
          citation: 'test',
          need: { kind: 'fixed', babiesPerYear: 34_000 },
          nations: null,
        },
      ],
    });
    const r = await renderReport({ wave: 2025, publicBuild: false, params }, ctx);
    const json = JSON.parse(r.outputs.get('figures.json')!.toString('utf8')) as { figures: Figure[] };
    expect(json.figures.find((f) => f.id === 'families.reach.estimate_2024')?.text).toBe('13% to 19%');
  });

  it('sums professionals reached as "over" the low ends when answers are open above', () => {
    expect(fig('offer.professionals_consulted').text).toBe('over 2,000');
    expect(fig('offer.professionals_supervised').text).toBe('over 1,500');
    expect(fig('offer.professionals_trained').text).toBe('over 40,000');
  });

  it('words shares by rule: a third offer parental mental health support, around half share a perinatal pathway and involve parents', () => {
    expect(fig('offer.parental_mh_support.yes.share').text).toBe('33%');
    expect(html).toContain(
      'Teams offering mental health support to parents themselves: a third (33%, 15 of 45 teams that answered)',
    );
    expect(html).toContain(
      'Teams sharing a referral pathway with perinatal mental health services: around half (50%, 22 of 44 teams that answered)',
    );
    expect(html).toContain(
      'Teams involving parents in service design or feedback: around half (52%, 24 of 46 teams that answered)',
    );
  });

  it('reads the FOI: 50 trusts asked, 5 take no under-two referrals (n = 45), most receive 0-10', () => {
    expect(fig('foi.asked').text).toBe('50');
    expect(fig('foi.accepts.no').text).toBe('5');
    expect(fig('foi.accepts.yes').text).toBe('45');
    expect(fig('foi.in_time').text).toBe('40');
    expect(html).toContain(
      '5 trusts take no referrals for under-twos (n = 45 take them), of 50 trusts that answered (0 did not answer).',
    );
    expect(fig('foi.few_referrals').text).toBe(
      'Most trusts that accept under-two referrals and gave a figure for the year (28 of 42) received 0-10 referrals for under-twos.',
    );
    expect(fig('foi.referrals.5').text).toBe('1');
    const withTeam = fig('foi.median.with_team').value!;
    const without = fig('foi.median.without_team').value!;
    expect(withTeam.low).toBeGreaterThan(without.high!);
  });

  it('builds byte-identical outputs twice from the same database and parameters', async () => {
    const again = await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx);
    expect([...again.outputs.keys()]).toEqual([...report.outputs.keys()]);
    for (const [path, bytes] of report.outputs) expect(again.outputs.get(path)!.equals(bytes), path).toBe(true);
  });

  it('writes every table as csv and in tables.xlsx, and records the inputs in the manifest', () => {
    const m = report.manifest;
    expect(m.sources.filter((s) => s.wave === 2025)).toHaveLength(49);
    expect(m.sources.filter((s) => s.wave === 2024)).toHaveLength(50);
    expect((m.parameters as { openBandCaps: Record<string, number> }).openBandCaps.families_supported).toBe(500);
    expect(Object.keys(m.outputs)).toContain('tables/families_by_band.csv');
    expect(report.outputs.get('tables/families_by_band.csv')!.toString()).toContain(
      'Total (teams that answered),45,4400,6500',
    );
    // The "to date" year is shown only in its own table, as given.
    expect(report.outputs.get('tables/foi_to_date_fy2023_24.csv')!.toString()).toMatch(
      /,9,9,2023\/24 to date,under 2\n$/,
    );
  });

  it('public build: no team names, e-mails, comments or file names; small cells [c]; no records listed', async () => {
    const pub = await renderReport({ wave: 2025, publicBuild: true, params: defaultParams() }, ctx);
    const text = [...pub.outputs.entries()]
      .filter(([p]) => p !== 'tables.xlsx')
      .map(([, b]) => b.toString('utf8'))
      .join('\n');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(pub.outputs.get('tables.xlsx') as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((c) => {
          cells.push(String(c.value));
        }),
      ),
    );
    for (const secret of [
      'Golden Team',
      'Respondent 1',
      '@example.org',
      'HYPERLINK',
      'team-01.xlsx',
      'Host Organisation',
    ]) {
      expect(text).not.toContain(secret);
      expect(cells.join('\n')).not.toContain(secret);
    }
    expect(pub.outputs.has('tables/teams.csv')).toBe(false);
    expect(pub.outputs.get('tables/families_by_band.csv')!.toString()).toContain('Fewer than 25,[c],[c],[c]');
    const json = JSON.parse(pub.outputs.get('figures.json')!.toString()) as {
      figures: { id: string; records: unknown }[];
    };
    // Not even a count or a hash: the count behind a withheld figure is the figure (issue 16).
    expect(json.figures.every((f) => f.records === null)).toBe(true);
    expect(pub.manifest.sources.every((x) => x.name === undefined)).toBe(true);
    // Per-trust FOI figures are public: a "<5" stays as the trust wrote it and as its range, never an exact number.
    expect(pub.outputs.get('tables/foi_trusts.csv')!.toString()).toMatch(/,1,4,<5,under 2\n/);
  });

  it('back test: passes on a rebuild, fails when a rule change un-suppresses a cell of the previous public build', async () => {
    const strict = mergeParams({ disclosure: { threshold: 5 } });
    const previous = mkdtempSync(join(tmpdir(), 'golden-prev-'));
    writeReport(previous, await renderReport({ wave: 2025, publicBuild: true, params: strict }, ctx));
    const same = backTest(previous, await renderReport({ wave: 2025, publicBuild: true, params: strict }, ctx));
    expect(same).toEqual({ findings: [], failed: false });
    const looser = backTest(
      previous,
      await renderReport({ wave: 2025, publicBuild: true, params: defaultParams() }, ctx),
    );
    expect(looser.failed).toBe(true);
    expect(looser.findings.some((f) => f.finding.code === 'unsuppressed')).toBe(true);
  });

  it('verify: every file identical on a rebuild; names the one file whose byte changed, then those a changed answer touches', async () => {
    const out = mkdtempSync(join(tmpdir(), 'golden-out-'));
    writeReport(out, report);
    expect((await verifyReport(out, ctx)).ok).toBe(true);
    const csv = join(out, 'tables', 'reach.csv');
    const bytes = readFileSync(csv);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 1, bytes.length - 2);
    writeFileSync(csv, bytes);
    const v = await verifyReport(out, ctx);
    expect(v.files.filter((f) => f.status !== 'identical')).toEqual([
      { path: 'tables/reach.csv', status: 'different' },
    ]);
    await t.pool.query(`update answer set low = 30, high = 30 where question_id = 'families_supported' and low = 45`);
    const changed = (await verifyReport(out, ctx)).files.filter((f) => f.status !== 'identical').map((f) => f.path);
    expect(changed).toEqual(
      expect.arrayContaining([
        'figures.json',
        'manifest.json',
        'report.html',
        'tables.xlsx',
        'tables/families_by_band.csv',
        'tables/reach.csv',
      ]),
    );
    expect(changed).not.toContain('tables/foi_trusts.csv');
  });

  it('prints the release date and contact of the build parameters on the bulletin and the workbook cover, the same bytes on a rebuild', async () => {
    const params = mergeParams({ releaseDate: '2026-03-05', contact: 'Census team, census@example.org' });
    const a = await renderReport({ wave: 2025, publicBuild: true, params }, ctx);
    const b = await renderReport({ wave: 2025, publicBuild: true, params }, ctx);
    const page = a.outputs.get('report.html')!.toString('utf8');
    expect(page).toMatch(/Release date<\/dt>\s*<dd>5 March 2026<\/dd>/);
    expect(page).toContain('Census team, census@example.org');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(a.outputs.get('tables.xlsx')! as unknown as ArrayBuffer);
    const cover = wb.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cover).toEqual(expect.arrayContaining(['5 March 2026', 'Census team, census@example.org']));
    expect(a.manifest.parameters).toMatchObject({
      releaseDate: '2026-03-05',
      contact: 'Census team, census@example.org',
    });
    // report.pdf is a rendering (issue 17): Chromium may write the same page to other bytes; the page it
    // printed is what must be the same.
    const rendered = new Set(Object.keys(a.manifest.renderings ?? {}));
    expect([...a.outputs].filter(([p, bytes]) => !rendered.has(p) && !b.outputs.get(p)!.equals(bytes))).toEqual([]);
    for (const p of rendered) expect(b.manifest.renderings?.[p]?.source).toBe(a.manifest.renderings?.[p]?.source);
    // Not given: the data date, never the clock.
    const dated = (await renderReport({ wave: 2025, publicBuild: true, params: defaultParams() }, ctx)).manifest;
    expect(dated.parameters).toMatchObject({ releaseDate: null });
  });

  it('says "fewer than half" when most trusts receive more than 10 (the false case)', async () => {
    await t.pool.query(
      `update foi_value set low = low + 20, high = high + 20 where question_id = 'q2_referrals_under2' and low is not null`,
    );
    const r = await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx);
    const text = r.outputs.get('report.html')!.toString('utf8');
    expect(text).toContain(
      'Fewer than half of the trusts that accept under-two referrals and gave a figure for the year (0 of 42) received 0-10 referrals for under-twos.',
    );
    expect(text).not.toContain('Most trusts that accept');
  });
});
