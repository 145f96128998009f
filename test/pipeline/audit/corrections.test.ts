import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctionProblems, recordCorrection, revertCorrection } from '../../../pipeline/audit/corrections.ts';
import { loadCorrectionsFile } from '../../../pipeline/audit/corrections-file.ts';
import { diffBuilds } from '../../../pipeline/audit/diff.ts';
import { lockWave, unlockWave } from '../../../pipeline/db/audit-log.ts';
import { renderReport, writeReport } from '../../../pipeline/report/build.ts';
import { foiValueContentKeys } from '../../../pipeline/report/foi-data.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { loadFlagFixture, valueId } from './fixture.ts';
import { differingFiles } from '../../support/builds.ts';

/** Report wave 2025 shows FOI wave 2024 (the latest FOI wave up to it); no questionnaire data needed. */
describe('corrections of FOI counts, applied on every build', () => {
  let t: TestDb;
  const ctx = (now = '2024-05-01T09:00:00Z') => testCtx(t, { now });
  const build = async () => {
    const report = await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx());
    const dir = mkdtempSync(join(tmpdir(), 'audit-build-'));
    writeReport(dir, report);
    return { dir, outputs: report.outputs, manifest: report.manifest };
  };
  const figure = (dir: string, id: string) =>
    (
      JSON.parse(readFileSync(join(dir, 'figures.json'), 'utf8')) as {
        figures: { id: string; value: { low: number }; records: string[] }[];
      }
    ).figures.find((f) => f.id === id)!;
  let before: Awaited<ReturnType<typeof build>>;
  let rwx: string;
  let rwxKey: string;

  beforeAll(async () => {
    t = await freshDatabase();
    await loadFlagFixture(t);
    before = await build();
    rwx = await valueId(t, 'RWX', 'fy2022_23');
    // figures.json cites a value by content (reply sha256, place, question, period...), not by row id
    rwxKey = (await foiValueContentKeys(ctx(), [rwx])).keys.get(rwx)!;
  }, 180_000);
  afterAll(async () => {
    await t.drop();
  });

  it('moves the figure in the next build, lists the correction in the manifest, and census diff names both; a revert gives back the same bytes', async () => {
    // RWX's 40 in 2022/23 sits in the 11-50 band (foi.referrals.2); corrected to 60 it moves to 51-100.
    expect(figure(before.dir, 'foi.referrals.2').records).toContain(`foi_value:${rwxKey}`);
    const c = await recordCorrection(
      { wave: 2024, valueId: rwx, low: 60, high: 60, by: 'A. Researcher', reason: 'trust letter of 2 May: 60, not 40' },
      ctx(),
    );
    const after = await build();
    expect(figure(after.dir, 'foi.referrals.2').value.low).toBe(figure(before.dir, 'foi.referrals.2').value.low - 1);
    expect(figure(after.dir, 'foi.referrals.3').records).toContain(`foi_value:${rwxKey}`);
    const slot = String(
      (await t.pool.query<{ slot: string }>('select slot from correction where id = $1', [c.id])).rows[0]!.slot,
    );
    expect(after.manifest.corrections).toEqual([
      // named by the value's slot and its place among that value's corrections, not by the row id
      { kind: 'foi_correction', id: `${slot}#1`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    // The reply's own value is untouched.
    expect((await t.pool.query('select low::int from foi_value where id = $1', [rwx])).rows).toEqual([{ low: 40 }]);

    const d = diffBuilds(before.dir, after.dir);
    expect(d.same).toBe(false);
    expect(d.figures.changed.map((f) => [f.id, f.delta])).toEqual(
      expect.arrayContaining([
        ['foi.referrals.2', { low: -1, high: -1 }],
        ['foi.referrals.3', { low: 1, high: 1 }],
      ]),
    );
    expect(d.corrections.added).toEqual(after.manifest.corrections);
    expect(d.sources).toEqual({ added: [], removed: [] });

    await revertCorrection(
      { correctionId: c.id, by: 'A. Researcher', reason: 'the letter was about 2023/24' },
      ctx('2024-05-02T09:00:00Z'),
    );
    const reverted = await build();
    expect([...reverted.outputs.keys()]).toEqual([...before.outputs.keys()]);
    // Outputs byte for byte; report.pdf by the page it printed (test/support/builds.ts).
    expect(
      differingFiles(before.outputs, reverted.outputs, {
        a: before.manifest.renderings,
        b: reverted.manifest.renderings,
      }),
    ).toEqual([]);
    expect(diffBuilds(before.dir, reverted.dir).same).toBe(true);
  });

  it('writes the audit log for a correction and its revert, with who, why and the value before', async () => {
    const log = (
      await t.pool.query("select actor, action, wave, detail from audit_log where action like 'correct%' order by id")
    ).rows;
    expect(log).toEqual([
      {
        actor: 'A. Researcher',
        action: 'correct',
        wave: 2024,
        detail: expect.objectContaining({
          value_id: rwx,
          low: 60,
          high: 60,
          before: { low: 40, high: 40, flags: [] },
          reason: 'trust letter of 2 May: 60, not 40',
        }),
      },
      {
        actor: 'A. Researcher',
        action: 'correct_revert',
        wave: 2024,
        detail: expect.objectContaining({ value_id: rwx, reason: 'the letter was about 2023/24' }),
      },
    ]);
  });

  it('refuses corrections of a locked wave, an unknown value, a wrong wave and a reversed interval', async () => {
    await lockWave(t.db, { wave: 2024, by: 'Lead', reason: 'published', at: new Date('2024-06-01T00:00:00Z') });
    await expect(
      recordCorrection({ wave: 2024, valueId: rwx, low: 1, high: 1, by: 'A', reason: 'r' }, ctx()),
    ).rejects.toMatchObject({ code: 'wave_locked' });
    await unlockWave(t.db, { wave: 2024, by: 'Lead', reason: 'corrections', at: new Date('2024-06-02T00:00:00Z') });
    await expect(
      recordCorrection({ wave: 2024, valueId: '999999', low: 1, high: 1, by: 'A', reason: 'r' }, ctx()),
    ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/no FOI value 999999/) });
    await expect(
      recordCorrection({ wave: 2023, valueId: rwx, low: 1, high: 1, by: 'A', reason: 'r' }, ctx()),
    ).rejects.toMatchObject({ message: expect.stringMatching(/belongs to wave 2024/) });
    await expect(
      recordCorrection({ wave: 2024, valueId: rwx, low: 5, high: 1, by: 'A', reason: 'r' }, ctx()),
    ).rejects.toMatchObject({ code: 'usage' });
    await expect(t.pool.query('delete from correction')).rejects.toThrow(/append-only/);
  });

  it('loads a corrections file all-or-nothing, and loading it again records nothing more', async () => {
    const rv5 = await valueId(t, 'RV5', 'fy2022_23');
    const dir = mkdtempSync(join(tmpdir(), 'corr-'));
    const good = join(dir, 'good.csv');
    writeFileSync(
      good,
      `value_id,low,high,flags,by,reason\n${rv5},30,open,suppressed,A. Researcher,trust wrote "30 or more"\n`,
    );
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `value_id,low,high,flags,by,reason\n${rv5},3,3,,A,ok\n${rv5},3,3,nonsense,A,bad flag\n`);
    const first = await loadCorrectionsFile({ path: good, wave: 2024 }, ctx());
    expect(first.recorded).toHaveLength(1);
    expect(await loadCorrectionsFile({ path: good, wave: 2024 }, ctx())).toMatchObject({ recorded: [], skipped: 1 });
    await expect(loadCorrectionsFile({ path: bad, wave: 2024 }, ctx())).rejects.toMatchObject({
      message: expect.stringMatching(/row 3: Unknown flag "nonsense"/),
    });
    expect((await t.pool.query('select count(*)::int as n from correction where reverts is null')).rows[0].n).toBe(2);
    expect(
      (await t.pool.query('select low::int, high, flags from foi_value_corrected where id = $1', [rv5])).rows,
    ).toEqual([{ low: 30, high: null, flags: ['suppressed'] }]);
  });
  it('refuses a count too large to keep exactly, and reads a blank high of a corrections file as the low, as census correct does', async () => {
    await expect(
      recordCorrection({ wave: 2024, valueId: rwx, low: 2 ** 53, high: 2 ** 53, by: 'A', reason: 'r' }, ctx()),
    ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/^--low is too large/) });
    const problems = correctionProblems(
      { wave: 2024, valueId: rwx, low: 5, high: 1, by: ' ', reason: 'r' },
      { low: 'Low', high: 'High', flags: 'Flags', by: 'Your name', reason: 'Reason' },
    );
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['by', 'Your name must be the name of a person: "" says nothing.'],
      ['high', 'High must be a whole number not below Low (5), or "open".'],
    ]);
    const rv5 = await valueId(t, 'RV5', 'fy2022_23');
    const file = join(mkdtempSync(join(tmpdir(), 'corr-')), 'blank-high.csv');
    writeFileSync(file, `value_id,low,high,flags,by,reason\n${rv5},12,,,A. Researcher,the trust's letter\n`);
    expect((await loadCorrectionsFile({ path: file, wave: 2024 }, ctx())).recorded).toHaveLength(1);
    expect(
      (await t.pool.query('select low::int, high::int from foi_value_corrected where id = $1', [rv5])).rows,
    ).toEqual([{ low: 12, high: 12 }]);
  });
});
