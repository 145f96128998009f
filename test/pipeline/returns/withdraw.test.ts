import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { rereadFiles, waveProcessor } from '../../../pipeline/ingest/questionnaire/reread.ts';
import { listReturns, type ReturnListing } from '../../../pipeline/returns/list.ts';
import { findReturnFile, withdrawReturns } from '../../../pipeline/returns/withdraw.ts';
import { settledFiles } from '../../../pipeline/returns/open-errors.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { PINNED_NOW, testCtx } from '../../support/ctx.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

const list = loadQuestionList(2025);

describe('census returns withdraw (and --undo)', () => {
  let t: TestDb;
  let ws: string;
  let inbox: string;
  const ctx = () => ({ ...testCtx(t, { dir: ws, now: PINNED_NOW }), actor: 'A. Lee' });
  const returns = async (): Promise<Map<string, ReturnListing>> =>
    new Map((await listReturns(t.db, 2025)).map((r) => [r.file, r]));
  const withdraw = async (name: string, undo = false, reason = 'sent by mistake') =>
    withdrawReturns(t.db, {
      file: await findReturnFile(t.db, name, null),
      part: null,
      undo,
      by: 'A. Lee',
      reason,
      now: new Date(PINNED_NOW),
    });

  beforeAll(async () => {
    t = await freshDatabase();
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    inbox = mkdtempSync(join(tmpdir(), 'inbox-withdraw-'));
    const ann = (extra = {}) => teamAnswers('Alder Team', 'Alder Trust', 'ann@alder.example', extra);
    await writeReturn(inbox, 'alder-1.xlsx', list, ann(), '2025-05-02');
    await writeReturn(inbox, 'alder-2.xlsx', list, ann({ referrals_received: 12 }), '2025-05-20');
    await writeReturn(inbox, 'birch.xlsx', list, teamAnswers('Birch Team', 'Birch Trust', 'bo@birch.example'));
    await ingest({ paths: [inbox], wave: 2025, processor: await waveProcessor(ctx(), 2025), command: 'test' }, ctx());
  });
  afterAll(async () => {
    await t.drop();
  });

  it('keeps a withdrawn return out of every figure, listed with who, when and why, and audit-logged', async () => {
    const out = await withdraw('birch.xlsx');
    expect(out.parts).toEqual([0]);
    const birch = (await returns()).get('birch.xlsx')!;
    expect(birch.state).toBe('rejected');
    expect(birch.reason).toBe('withdrawn by A. Lee on 2025-06-30: sent by mistake');
    const teams = await t.pool.query(`select team_name from team_wave where wave = 2025 order by 1`);
    expect(teams.rows.map((r) => r.team_name)).toEqual(['Alder Team']);
    expect((await settledFiles(t.db, 2025)).has((await findReturnFile(t.db, 'birch.xlsx', 2025)).sha256)).toBe(true);
    const audit = await t.pool.query(`select actor, detail from audit_log where action = 'return_withdraw'`);
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor: 'A. Lee', detail: expect.objectContaining({ reason: 'sent by mistake' }) }),
    ]);
  });

  it('records nothing when the return is already withdrawn', async () => {
    const again = await withdraw('birch.xlsx');
    expect(again).toMatchObject({ parts: [], unchanged: [0] });
    expect((await t.pool.query(`select count(*)::int as n from return_withdrawal`)).rows[0].n).toBe(1);
  });

  it('stays withdrawn when its file is read again', async () => {
    await rereadFiles(ctx(), 2025, [(await findReturnFile(t.db, 'birch.xlsx', 2025)).sha256], 'test');
    expect((await returns()).get('birch.xlsx')!.reason).toMatch(/^withdrawn by A\. Lee/);
  });

  it('counts a withdrawn return read again as kept out, not loaded, in the ingest summary', async () => {
    const [summary] = await rereadFiles(ctx(), 2025, [(await findReturnFile(t.db, 'birch.xlsx', 2025)).sha256], 'test');
    expect(summary).toMatchObject({ returnsLoaded: 0, returnsRejected: 1 });
    expect(summary!.files).toEqual([
      expect.objectContaining({ name: 'birch.xlsx', status: 'rejected', returnsLoaded: 0, returnsRejected: 1 }),
    ]);
  });

  it("lets a team's earlier return stand again when its later one is withdrawn", async () => {
    expect((await returns()).get('alder-2.xlsx')!.state).toBe('loaded');
    await withdraw('alder-2.xlsx');
    const r = await returns();
    expect(r.get('alder-2.xlsx')!.state).toBe('rejected');
    expect(r.get('alder-1.xlsx')!.state).toBe('loaded');
  });

  it('undo gives the return back the state its contents give it, audit-logged', async () => {
    const out = await withdraw('alder-2.xlsx', true, 'withdrawn by mistake');
    expect(out.parts).toEqual([0]);
    await rereadFiles(ctx(), 2025, [out.file.sha256], 'test');
    const r = await returns();
    expect(r.get('alder-2.xlsx')!.state).toBe('loaded');
    expect(r.get('alder-1.xlsx')!.state).toBe('superseded');
    expect(
      (await t.pool.query(`select count(*)::int as n from audit_log where action = 'return_withdraw_undo'`)).rows[0].n,
    ).toBe(1);
  });

  it('refuses a file it does not know, saying how to name one', async () => {
    await expect(findReturnFile(t.db, 'nobody.xlsx', null)).rejects.toThrow(/No questionnaire return was received/);
  });
});
