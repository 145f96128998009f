import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { lockWave, unlockWave, recordAudit } from '../../../pipeline/db/audit-log.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

describe('audit log and wave locks', () => {
  let t: TestDb;
  let inbox: string;
  const processor = questionnaireProcessor(loadQuestionList(2025));
  beforeAll(async () => {
    t = await freshDatabase();
    inbox = mkdtempSync(join(tmpdir(), 'inbox-lock-'));
    await writeSample2025(loadQuestionList(2025), inbox);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('logs each ingest with its actor, wave and counts', async () => {
    const ctx = { ...testCtx(t), actor: 'tester' };
    await ingest({ paths: [inbox], wave: 2025, processor, command: 'test' }, ctx);
    const rows = (
      await t.pool.query("select actor, action, wave, detail->>'files' as files from audit_log order by id")
    ).rows;
    expect(rows).toEqual([{ actor: 'tester', action: 'ingest', wave: 2025, files: '6' }]);
  });

  it('refuses to update, delete or truncate audit rows, even as the superuser the pipeline connects as', async () => {
    await expect(t.pool.query("update audit_log set actor = 'someone else'")).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.pool.query('delete from audit_log')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.pool.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await t.pool.query('select count(*)::int as n from audit_log')).rows[0].n).toBe(1);
  });

  it('refuses an ingest into a locked wave until a logged unlock', async () => {
    const ctx = testCtx(t);
    expect(await lockWave(t.db, { wave: 2025, by: 'A. Researcher', reason: 'verified', at: ctx.clock.now() })).toBe(
      true,
    );
    const err = await ingest({ paths: [inbox], wave: 2025, processor, command: 'test' }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CensusError);
    expect((err as CensusError).code).toBe('wave_locked');
    expect((err as CensusError).message).toMatch(/Wave 2025 is locked \(by A\. Researcher on 2025-06-30: verified\)/);
    expect(
      await unlockWave(t.db, { wave: 2025, by: 'A. Researcher', reason: 'late correction', at: ctx.clock.now() }),
    ).toBe(true);
    await ingest({ paths: [inbox], wave: 2025, processor, command: 'test' }, ctx);
    const actions = (await t.pool.query("select action, detail->>'reason' as reason from audit_log order by id")).rows;
    expect(actions.map((r: { action: string }) => r.action)).toEqual(['ingest', 'lock', 'unlock', 'ingest']);
    expect(actions[2].reason).toBe('late correction');
  });

  it('records arbitrary actions with a detail object', async () => {
    await recordAudit(t.db, {
      at: new Date('2025-07-01T00:00:00Z'),
      actor: 'x',
      action: 'report_build',
      wave: 2025,
      detail: { out: 'r' },
    });
    expect(
      (await t.pool.query("select count(*)::int as n from audit_log where action = 'report_build'")).rows[0].n,
    ).toBe(1);
  });
});
