import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { listReturns, type ReturnListing } from '../../../pipeline/returns/list.ts';
import { resolveReturn } from '../../../pipeline/returns/resolve.ts';
import { confirmAlias } from '../../../pipeline/returns/team-alias.ts';
import { lockWave } from '../../../pipeline/db/audit-log.ts';
import { listIssues } from '../../../pipeline/db/issue-rows.ts';
import { hasOpenErrors, settledFiles } from '../../../pipeline/returns/open-errors.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { PINNED_NOW, testCtx } from '../../support/ctx.ts';
import { laterWave, teamAnswers, writeReturn } from '../../support/returns.ts';

const list = loadQuestionList(2025);
const processor = questionnaireProcessor(list);
const LATER = '2025-07-15T09:00:00Z';

describe('resubmissions, conflicts and team identity', () => {
  let t: TestDb;
  let ws: string;
  let inbox: string;
  const ctx = (now = PINNED_NOW) => testCtx(t, { dir: ws, now });
  const run = (paths: string[], now?: string, p = processor, wave = 2025) =>
    ingest({ paths, wave, processor: p, command: 'test' }, ctx(now));
  const returns = async (wave = 2025): Promise<Map<string, ReturnListing>> =>
    new Map((await listReturns(t.db, wave)).map((r) => [r.file, r]));
  const reingestAll = async (): Promise<void> => {
    await t.pool.query('update file_receipt set processed_rule_version = null');
    await run([inbox]);
  };
  const count = async (q: string): Promise<number> => Number((await t.pool.query(q)).rows[0].n);

  beforeAll(async () => {
    t = await freshDatabase();
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    inbox = mkdtempSync(join(tmpdir(), 'inbox-resub-'));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads the later of two returns from one respondent (by date completed) and keeps the earlier, superseded', async () => {
    await writeReturn(
      inbox,
      'alder-1.xlsx',
      list,
      teamAnswers('Alder Team', 'Alder Trust', 'ann@alder.example'),
      '2025-05-20',
    );
    await writeReturn(
      inbox,
      'alder-2.xlsx',
      list,
      teamAnswers('Alder Team', 'Alder Trust', 'ann@alder.example', { referrals_received: 12 }),
      '2025-05-02',
    );
    await run([inbox]);
    const r = await returns();
    expect(r.get('alder-1.xlsx')).toMatchObject({
      state: 'loaded',
      reason: 'resubmission: latest of 2 returns (by date completed)',
    });
    expect(r.get('alder-2.xlsx')).toMatchObject({
      state: 'superseded',
      reason: `superseded by return ${r.get('alder-1.xlsx')!.id} from the same respondent, completed or received later`,
    });
    expect(await count('select count(*)::int as n from raw_file')).toBe(2);
    expect(await count("select count(*)::int as n from team_wave where team_name = 'Alder Team'")).toBe(1);
  });

  it('without dates completed, goes by the time each file was first received', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-birch-'));
    await run([
      await writeReturn(dir, 'birch-b.xlsx', list, teamAnswers('Birch Team', 'Birch Trust', 'bo@birch.example')),
    ]);
    await run(
      [
        await writeReturn(
          dir,
          'birch-a.xlsx',
          list,
          teamAnswers('Birch Team', 'Birch Trust', 'bo@birch.example', { referrals_received: 9 }),
        ),
      ],
      LATER,
    );
    const r = await returns();
    expect(r.get('birch-a.xlsx')).toMatchObject({
      state: 'loaded',
      reason: 'resubmission: latest of 2 returns (by time received)',
    });
    expect(r.get('birch-b.xlsx')!.state).toBe('superseded');
  });

  it('loads neither of two returns claiming one team from different respondents: a conflict', async () => {
    await writeReturn(
      inbox,
      'cedar-1.xlsx',
      list,
      teamAnswers('Cedar Team', 'Cedar Trust', 'pat@cedar.example'),
      '2025-05-01',
    );
    await writeReturn(
      inbox,
      'cedar-2.xlsx',
      list,
      teamAnswers('Cedar Team', 'Cedar Trust', 'quinn@cedar.example'),
      '2025-05-03',
    );
    await run([inbox]);
    const r = await returns();
    for (const f of ['cedar-1.xlsx', 'cedar-2.xlsx']) {
      expect(r.get(f)!.state).toBe('conflict');
      expect(r.get(f)!.reason).toMatch(
        /2 returns claim this team for wave 2025 from different respondents; resolve with `census resolve`/,
      );
    }
    expect(await count("select count(*)::int as n from team_wave where team_name = 'Cedar Team'")).toBe(0);
  });

  it('resolve --keep loads the kept return, supersedes the other, and records who decided and why', async () => {
    const before = await returns();
    const res = await resolveReturn(
      {
        returnId: before.get('cedar-2.xlsx')!.id,
        action: { kind: 'keep' },
        by: 'A. Lee',
        reason: 'the first form was a draft',
      },
      ctx(),
    );
    expect(res.returns.map((x) => x.state).sort()).toEqual(['loaded', 'superseded']);
    const r = await returns();
    expect(r.get('cedar-2.xlsx')).toMatchObject({
      state: 'loaded',
      reason: 'kept by A. Lee on 2025-06-30: the first form was a draft',
    });
    expect(r.get('cedar-2.xlsx')!.decision).toMatchObject({
      kind: 'keep',
      by: 'A. Lee',
      reason: 'the first form was a draft',
    });
    expect(r.get('cedar-1.xlsx')).toMatchObject({ state: 'superseded', decision: null });
    expect(r.get('cedar-1.xlsx')!.reason).toMatch(/^not kept: return \d+ was kept by A\. Lee/);
  });

  it('keeps the decision through a re-ingest of every file, although the return ids change', async () => {
    const ids = [...(await returns()).values()].map((r) => r.id).sort();
    await reingestAll();
    const r = await returns();
    expect([...r.values()].map((x) => x.id).sort()).not.toEqual(ids);
    expect(r.get('cedar-2.xlsx')).toMatchObject({ state: 'loaded', decision: { kind: 'keep', by: 'A. Lee' } });
    expect(r.get('cedar-1.xlsx')!.state).toBe('superseded');
    expect(r.get('alder-1.xlsx')!.state).toBe('loaded');
    expect(await count('select count(*)::int as n from return_decision')).toBe(1);
  });

  it('weighs a return arriving after a keep against the kept one: same respondent supersedes, another respondent conflicts', async () => {
    await run(
      [
        await writeReturn(
          inbox,
          'cedar-3.xlsx',
          list,
          teamAnswers('Cedar Team', 'Cedar Trust', 'quinn@cedar.example', { referrals_received: 20 }),
          '2025-07-10',
        ),
      ],
      LATER,
    );
    let r = await returns();
    expect(r.get('cedar-3.xlsx')!.state).toBe('loaded');
    expect(r.get('cedar-2.xlsx')!.state).toBe('superseded');
    await run(
      [
        await writeReturn(
          inbox,
          'cedar-4.xlsx',
          list,
          teamAnswers('Cedar Team', 'Cedar Trust', 'rae@cedar.example'),
          '2025-07-11',
        ),
      ],
      LATER,
    );
    r = await returns();
    expect([r.get('cedar-3.xlsx')!.state, r.get('cedar-4.xlsx')!.state]).toEqual(['conflict', 'conflict']);
    expect(r.get('cedar-1.xlsx')!.state).toBe('superseded');
  });

  it('resolve --new-team loads the return as a team of its own, and so it stays after re-ingest', async () => {
    await writeReturn(
      inbox,
      'dune-1.xlsx',
      list,
      teamAnswers('Dune Team', 'Dune Trust', 'dee@dune.example'),
      '2025-05-01',
    );
    await writeReturn(
      inbox,
      'dune-2.xlsx',
      list,
      teamAnswers('Dune Team', 'Dune Trust', 'dan@dune-south.example'),
      '2025-05-02',
    );
    await run([inbox]);
    const before = await returns();
    expect(before.get('dune-2.xlsx')!.state).toBe('conflict');
    const res = await resolveReturn(
      {
        returnId: before.get('dune-2.xlsx')!.id,
        action: { kind: 'new_team' },
        by: 'A. Lee',
        reason: 'Dune South is a second team at the trust',
      },
      ctx(),
    );
    expect(res.alias).toBe('held_by_other');
    for (const check of [
      await returns(),
      await (async () => {
        await reingestAll();
        return returns();
      })(),
    ]) {
      expect(check.get('dune-1.xlsx')).toMatchObject({ state: 'loaded' });
      expect(check.get('dune-2.xlsx')).toMatchObject({ state: 'loaded', match: 'confirmed', teamId: res.teamId });
      expect(check.get('dune-1.xlsx')!.teamId).not.toBe(res.teamId);
    }
  });

  it('loads a return with an unreadable answer: the answer is missing "unreadable" with its raw text, and the issue keeps its cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-unreadable-'));
    await writeReturn(
      dir,
      'juniper.xlsx',
      list,
      teamAnswers('Juniper Team', 'Juniper Trust', 'j@juniper.example', { babies_under_2: 'see comments' }),
      '2025-05-01',
    );
    const s = await run([dir]);
    expect(s.returnsLoaded).toBe(1);
    const r = (await returns()).get('juniper.xlsx')!;
    expect(r.state).toBe('loaded');
    const a = (
      await t.pool.query(
        "select a.missing_reason, a.raw_text, a.cell from answer a where a.return_id = $1 and a.question_id = 'babies_under_2'",
        [r.id],
      )
    ).rows[0];
    expect(a).toMatchObject({ missing_reason: 'unreadable', raw_text: 'see comments' });
    const issues = (await listIssues(t.db, 2025)).filter((i) => i.file === 'juniper.xlsx');
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'error', questionId: 'babies_under_2', location: `Questionnaire!${a.cell}` }),
    ]);
    // It still waits for follow-up: census issues exits 1 for it.
    expect(hasOpenErrors(issues, await settledFiles(t.db, 2025))).toBe(true);
  });

  it('supersedes a first return that had an error by the corrected one; the first is flagged duplicate_submission and its errors stop counting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-resub-error-'));
    await writeReturn(
      dir,
      'kale v1.xlsx',
      list,
      teamAnswers('Kale Team', 'Kale Trust', 'k@kale.example', { families_supported: '50-99', babies_under_2: 219 }),
      '2025-05-01',
    );
    await run([dir]);
    expect((await returns()).get('kale v1.xlsx')!.state).toBe('loaded');
    const before = await listIssues(t.db, 2025);
    expect(before.some((i) => i.file === 'kale v1.xlsx' && i.severity === 'error')).toBe(true);
    await writeReturn(
      dir,
      'kale v2.xlsx',
      list,
      teamAnswers('Kale Team', 'Kale Trust', 'k@kale.example', { families_supported: '50-99', babies_under_2: 40 }),
      '2025-05-10',
    );
    await run([dir]);
    const r = await returns();
    expect(r.get('kale v1.xlsx')!.state).toBe('superseded');
    expect(r.get('kale v2.xlsx')!.state).toBe('loaded');
    const after = await listIssues(t.db, 2025);
    expect(after.filter((i) => i.file === 'kale v1.xlsx').map((i) => i.code)).toContain('duplicate_submission');
    const settled = await settledFiles(t.db, 2025);
    expect(
      hasOpenErrors(
        after.filter((i) => i.file.startsWith('kale')),
        settled,
      ),
    ).toBe(false);
  });

  it('keeps a return made for another wave out with wrong_wave, saying which wave and how to load it; --accept-wave-stamp loads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-wrong-wave-'));
    const path = await writeReturn(
      dir,
      'laurel.xlsx',
      list,
      teamAnswers('Laurel Team', 'Laurel Trust', 'l@laurel.example'),
      '2023-06-01',
    );
    await run([path]);
    const r = (await returns()).get('laurel.xlsx')!;
    expect(r.state).toBe('rejected');
    expect(r.reason).toMatch(/^wrong_wave: /);
    const ww = (await listIssues(t.db, 2025)).find((i) => i.file === 'laurel.xlsx' && i.code === 'wrong_wave')!;
    expect(ww.message).toMatch(/belongs to wave 2023/);
    expect(ww.message).toContain('census ingest "laurel.xlsx" --wave 2023');
    expect(ww.message).toContain('--accept-wave-stamp');
    await run([path], undefined, questionnaireProcessor(list, { acceptWaveStamp: true }));
    expect((await returns()).get('laurel.xlsx')!.state).toBe('loaded');
    expect((await listIssues(t.db, 2025)).some((i) => i.file === 'laurel.xlsx' && i.code === 'wrong_wave')).toBe(false);
  });

  it("keeps out a return on another wave's template even when completed in this wave (issue 14: the stamp decides)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-old-template-'));
    const path = await writeReturn(
      dir,
      'hazel.xlsx',
      list,
      teamAnswers('Hazel Team', 'Hazel Trust', 'h@hazel.example'),
      '2025-06-10',
    );
    // The About sheet's wave stamp as the 2023 template printed it.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    for (const ws of wb.worksheets)
      ws.eachRow((row) =>
        row.eachCell((c, n) => {
          if (c.value === 'Wave') row.getCell(n + 1).value = 2023;
        }),
      );
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    await run([path]);
    expect((await returns()).get('hazel.xlsx')!.state).toBe('rejected');
    const ww = (await listIssues(t.db, 2025)).find((i) => i.file === 'hazel.xlsx' && i.code === 'wrong_wave')!;
    expect(ww.message).toMatch(/its About sheet says wave 2023/);
    expect(ww.message).toContain('--accept-wave-stamp');
  });

  it('refuses to keep a rejected return, with a hint', async () => {
    // Completed before the wave's reporting period ended: a file-level problem (wrong_wave) keeps it out.
    await writeReturn(
      inbox,
      'elder.xlsx',
      list,
      teamAnswers('Elder Team', 'Elder Trust', 'e@elder.example'),
      '2023-06-01',
    );
    await run([inbox]);
    const id = (await returns()).get('elder.xlsx')!.id;
    await expect(
      resolveReturn({ returnId: id, action: { kind: 'keep' }, by: 'A. Lee', reason: 'x' }, ctx()),
    ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/was rejected/) });
    await expect(
      resolveReturn({ returnId: '999999', action: { kind: 'keep' }, by: 'A. Lee', reason: 'x' }, ctx()),
    ).rejects.toMatchObject({ code: 'usage', hint: expect.stringMatching(/census returns/) });
  });

  it('logs each decision in the audit log, and refuses one on a locked wave', async () => {
    expect(await count("select count(*)::int as n from audit_log where action = 'resolve' and actor = 'A. Lee'")).toBe(
      2,
    );
    const id = (await returns()).get('cedar-3.xlsx')!.id;
    await lockWave(t.db, { wave: 2025, by: 'B. Ray', reason: 'published', at: new Date(PINNED_NOW) });
    await expect(
      resolveReturn({ returnId: id, action: { kind: 'keep' }, by: 'A. Lee', reason: 'x' }, ctx()),
    ).rejects.toMatchObject({ code: 'wave_locked' });
    await t.pool.query('delete from wave_lock');
  });

  it("keeps a renamed team's identity through a confirmed alias, given before or after the new name arrives", async () => {
    const list27 = laterWave(join(ws, 'waves'), 2027);
    const p27 = questionnaireProcessor(list27);
    const dir25 = mkdtempSync(join(tmpdir(), 'inbox-25-'));
    const dir27 = mkdtempSync(join(tmpdir(), 'inbox-27-'));
    await run([
      await writeReturn(dir25, 'elm.xlsx', list, teamAnswers('Elm Team', 'Elm Trust', 'e@elm.example')),
      await writeReturn(dir25, 'fir.xlsx', list, teamAnswers('Fir Team', 'Fir Trust', 'f@fir.example')),
    ]);
    const r25 = await returns();
    const [elm, fir] = [r25.get('elm.xlsx')!.teamId!, r25.get('fir.xlsx')!.teamId!];
    const alias = (teamId: string, name: string, host: string) =>
      t.db.transaction().execute((trx) =>
        confirmAlias(trx, {
          teamId,
          name,
          host,
          by: 'A. Lee',
          reason: 'renamed in 2026',
          now: new Date(PINNED_NOW),
          takeFromOther: true,
        }),
      );

    expect((await alias(elm, 'Elm Parent-Infant Service', 'Elm Trust')).outcome).toBe('added');
    await writeReturn(
      dir27,
      'elm-27.xlsx',
      list27,
      teamAnswers('Elm Parent-Infant Service', 'Elm Trust', 'e@elm.example'),
    );
    await writeReturn(dir27, 'fir-27.xlsx', list27, teamAnswers('Fir Centre', 'Fir Trust', 'f@fir.example'));
    await run([dir27], undefined, p27, 2027);
    let r27 = await returns(2027);
    expect(r27.get('elm-27.xlsx')).toMatchObject({ teamId: elm, match: 'confirmed', state: 'loaded' });
    expect(r27.get('fir-27.xlsx')).toMatchObject({ match: 'new' });

    const moved = await alias(fir, 'Fir Centre', 'Fir Trust');
    expect(moved).toMatchObject({ outcome: 'moved', removedTeam: true });
    await t.pool.query('update file_receipt set processed_rule_version = null where wave = 2027');
    await run([dir27], undefined, p27, 2027);
    r27 = await returns(2027);
    expect(r27.get('fir-27.xlsx')).toMatchObject({
      teamId: fir,
      match: 'confirmed',
      state: 'loaded',
      team: 'Fir Team',
      statedName: 'Fir Centre',
    });
    expect(await count(`select count(*)::int as n from team_wave where team_id = ${Number(fir)}`)).toBe(2);
  });
});
