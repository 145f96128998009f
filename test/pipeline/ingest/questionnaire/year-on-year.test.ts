import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../../pipeline/ingest/questionnaire/processor.ts';
import { listIssues } from '../../../../pipeline/db/issue-rows.ts';
import { listReturns } from '../../../../pipeline/returns/list.ts';
import { formatSpan, yearOnYearChange } from '../../../../pipeline/ingest/questionnaire/year-on-year.ts';
import type { QuestionList } from '../../../../schemas/question-list.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../../support/db.ts';
import { testCtx } from '../../../support/ctx.ts';
import { laterWave, teamAnswers, writeReturn } from '../../../support/returns.ts';
import type { TypedAnswer } from '../../../../sources/questionnaire/fill-return.ts';

describe('yearOnYearChange (conservative on intervals)', () => {
  it('flags a rise when the new low is at least factor x the old high', () => {
    expect(yearOnYearChange({ low: 40, high: 40 }, { low: 120, high: 120 }, 3)).toBe('up');
    expect(yearOnYearChange({ low: 40, high: 40 }, { low: 119, high: 119 }, 3)).toBeNull();
  });
  it('flags a fall the same way', () => {
    expect(yearOnYearChange({ low: 90, high: 90 }, { low: 30, high: 30 }, 3)).toBe('down');
    expect(yearOnYearChange({ low: 89, high: 89 }, { low: 30, high: 30 }, 3)).toBeNull();
  });
  it('does not flag a move between adjacent-ish bands whose midpoints differ by the factor ("25-49" -> "100-199")', () => {
    expect(yearOnYearChange({ low: 25, high: 49 }, { low: 100, high: 199 }, 3)).toBeNull();
    expect(yearOnYearChange({ low: 0, high: 24 }, { low: 100, high: 199 }, 3)).toBe('up');
  });
  it('never takes an open top band as the smaller side', () => {
    expect(yearOnYearChange({ low: 301, high: null }, { low: 2000, high: 2000 }, 3)).toBeNull();
    expect(yearOnYearChange({ low: 1000, high: 1000 }, { low: 301, high: null }, 3)).toBeNull();
    expect(yearOnYearChange({ low: 20, high: 20 }, { low: 301, high: null }, 3)).toBe('up');
  });
  it('flags a rise from zero but not zero to zero', () => {
    expect(yearOnYearChange({ low: 0, high: 0 }, { low: 5, high: 5 }, 3)).toBe('up');
    expect(yearOnYearChange({ low: 0, high: 0 }, { low: 0, high: 0 }, 3)).toBeNull();
  });
  it('prints spans the way teams wrote them', () => {
    expect([
      formatSpan({ low: 40, high: 40, approximate: true }),
      formatSpan({ low: 301, high: null }),
      formatSpan({ low: 25, high: 49 }),
    ]).toEqual(['about 40', '301 or more', '25-49']);
  });
});

describe('year_on_year_change issues at load time', () => {
  let t: TestDb;
  let ws: string;
  const lists = new Map<number, QuestionList>();
  const load = async (wave: number, files: [string, Record<string, TypedAnswer>][]) => {
    const dir = mkdtempSync(join(tmpdir(), `inbox-${wave}-`));
    const list = lists.get(wave)!;
    const paths = await Promise.all(files.map(([f, a]) => writeReturn(dir, f, list, a)));
    return ingest({ paths, wave, processor: questionnaireProcessor(list), command: 'test' }, testCtx(t, { dir: ws }));
  };
  const team = (n: string, extra: Record<string, TypedAnswer>) =>
    teamAnswers(`${n} Team`, `${n} Trust`, `r@${n.toLowerCase()}.example`, extra);

  beforeAll(async () => {
    t = await freshDatabase();
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    lists.set(2025, loadQuestionList(2025));
    lists.set(2027, laterWave(join(ws, 'waves'), 2027));
    lists.set(2029, laterWave(join(ws, 'waves'), 2029));
    await load(2025, [
      ['ash.xlsx', team('Ash', { referrals_received: 40, families_supported: '25-49' })],
      ['beech.xlsx', team('Beech', { referrals_received: 'approx 100' })],
      ['cherry.xlsx', team('Cherry', { families_supported: 'Fewer than 25' })],
      ['damson.xlsx', team('Damson', { referrals_received: 40 })],
    ]);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('warns on the cell when a count rises or falls by the factor, and still loads the return', async () => {
    const s = await load(2027, [
      ['ash.xlsx', team('Ash', { referrals_received: 130, families_supported: '100-199' })],
      ['beech.xlsx', team('Beech', { referrals_received: 30 })],
      ['cherry.xlsx', team('Cherry', { families_supported: '100-199' })],
      ['damson.xlsx', team('Damson', { referrals_received: 'n/a' })],
    ]);
    expect(s.returnsLoaded).toBe(4);
    const issues = (await listIssues(t.db, 2027)).filter((i) => i.code === 'year_on_year_change');
    expect(issues.map((i) => [i.file, i.questionId, i.severity])).toEqual([
      ['ash.xlsx', 'referrals_received', 'warning'],
      ['beech.xlsx', 'referrals_received', 'warning'],
      ['cherry.xlsx', 'families_supported', 'warning'],
    ]);
    expect(issues[0]!.location).toMatch(/^Questionnaire!C\d+$/);
    expect(issues[0]!.message).toBe(
      '"Referrals received" is 130 in 2027 but was 40 in 2025 for the same team: up by a factor of 3 or more. Check the answer with the team; if it is right, nothing needs to change.',
    );
    expect(issues[1]!.message).toMatch(/is 30 in 2027 but was about 100 in 2025 .*down by a factor of 3/);
    expect((await listReturns(t.db, 2027)).every((r) => r.state === 'loaded')).toBe(true);
  });

  it('compares with the latest earlier wave that has an answer, skipping one left blank', async () => {
    await load(2029, [
      ['damson.xlsx', team('Damson', { referrals_received: 200 })],
      ['ash.xlsx', team('Ash', { referrals_received: 140 })],
    ]);
    const issues = (await listIssues(t.db, 2029)).filter((i) => i.code === 'year_on_year_change');
    expect(issues.map((i) => [i.file, i.message.match(/was (\S+) in (\d{4})/)?.slice(1)])).toEqual([
      ['damson.xlsx', ['40', '2025']],
    ]);
  });

  it('compares only with loaded returns: a superseded earlier answer is not the baseline', async () => {
    await t.pool.query(
      "update questionnaire_return set state = 'superseded' where wave = 2025 and team_id = (select id from team where name = 'Beech Team')",
    );
    await t.pool.query('update file_receipt set processed_rule_version = null where wave = 2027');
    const s = await load(2027, [['beech.xlsx', team('Beech', { referrals_received: 30 })]]);
    expect(s.files[0]!.status).toBe('loaded');
    expect(s.files[0]!.issues.filter((i) => i.code === 'year_on_year_change')).toEqual([]);
  });
});
