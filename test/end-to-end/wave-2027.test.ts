import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../pipeline/ingest/job.ts';
import { processorFor } from '../../pipeline/ingest/processors.ts';
import { questionListFor } from '../../pipeline/runtime/waves.ts';
import { fillReturn } from '../../sources/questionnaire/fill-return.ts';
import { BUILT_IN_DIR } from '../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { testCtx } from '../support/ctx.ts';

/**
 * A later wave is a question list and nothing else (questionnaire.md "Waves"): 2027 keeps some 2025
 * questions, rewords one, and adds two new ones. It lives only in the test workspace's waves/ folder.
 */
function list2027(): unknown {
  const q2025 = JSON.parse(readFileSync(join(BUILT_IN_DIR, '2025.json'), 'utf8')) as {
    questions: { id: string; label: string; aliases?: string[] }[];
  };
  const keep = [
    'team_name',
    'host_organisation',
    'nation',
    'region',
    'status',
    'funding_sources',
    'referrals_received',
  ];
  const kept = q2025.questions
    .filter((q) => keep.includes(q.id))
    .map((q) =>
      q.id === 'referrals_received'
        ? { ...q, label: 'Referrals received in 2026', aliases: [...(q.aliases ?? []), q.label] }
        : q,
    );
  return {
    wave: 2027,
    templateVersion: '2027.1',
    shape: 'template',
    reportingPeriod: { start: '2026-01-01', end: '2026-12-31', label: 'calendar year 2026' },
    questions: [
      ...kept,
      {
        id: 'video_contacts',
        label: 'Contacts held by video call',
        section: 'Activity in the reporting period',
        type: 'count',
      },
      {
        id: 'languages_offered',
        label: 'Languages therapy is offered in (tick all)',
        section: 'What the team offers',
        type: 'multi',
        options: [
          { code: 'english', label: 'English' },
          { code: 'welsh', label: 'Welsh' },
          { code: 'other', label: 'Other' },
        ],
      },
    ],
  };
}

describe('wave 2027, added by writing its question list', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('ingests a 2027 return end to end, new questions included, with no stage code changed', async () => {
    const ctx = testCtx(t);
    writeFileSync(join(ctx.workspace.wavesDir, '2027.json'), JSON.stringify(list2027(), null, 2));
    const list = questionListFor(2027, ctx.workspace.wavesDir);
    const inbox = mkdtempSync(join(tmpdir(), 'inbox-2027-'));
    const wb = fillReturn(
      list,
      {
        team_name: 'Future Team',
        host_organisation: 'Future Trust',
        nation: 'Wales',
        status: 'Established',
        funding_sources: { options: ['camhs', 'national_lottery'] },
        referrals_received: 'approx 75',
        video_contacts: '120+',
        languages_offered: { options: ['english', 'welsh'] },
      },
      { created: new Date('2027-04-01T00:00:00Z'), dateCompleted: '2027-05-01' },
    );
    writeFileSync(join(inbox, 'future-team.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));

    const s = await ingest(
      { paths: [inbox], wave: 2027, processor: await processorFor(2027, ctx.workspace.wavesDir), command: 'test' },
      ctx,
    );
    expect(s.files.map((f) => [f.kind, f.status, f.returnsLoaded])).toEqual([['team_workbook', 'loaded', 1]]);
    expect(s.files[0]!.issues.filter((i) => i.severity !== 'info').map((i) => i.code)).toEqual([]);

    const rows = (
      await t.pool.query(`select a.question_id, a.codes, a.low, a.high, a.approximate, a.open_high, a.text_value
      from answer a join questionnaire_return r on r.id = a.return_id
      where r.wave = 2027 and a.question_id in ('video_contacts', 'languages_offered', 'referrals_received', 'nation') order by a.question_id`)
    ).rows;
    expect(rows).toEqual([
      {
        question_id: 'languages_offered',
        codes: ['english', 'welsh'],
        low: null,
        high: null,
        approximate: false,
        open_high: false,
        text_value: null,
      },
      {
        question_id: 'nation',
        codes: null,
        low: null,
        high: null,
        approximate: false,
        open_high: false,
        text_value: 'wales',
      },
      {
        question_id: 'referrals_received',
        codes: null,
        low: '75',
        high: '75',
        approximate: true,
        open_high: false,
        text_value: null,
      },
      {
        question_id: 'video_contacts',
        codes: null,
        low: '120',
        high: null,
        approximate: false,
        open_high: true,
        text_value: null,
      },
    ]);
    const harmonised = (
      await t.pool.query(
        "select harmonised from answer_harmonised where wave = 2027 and question_id = 'funding_sources' order by harmonised",
      )
    ).rows;
    expect(harmonised.map((r) => r.harmonised)).toEqual(['charity', 'nhs']);
  });
});
