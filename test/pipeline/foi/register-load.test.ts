import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockWave, unlockWave } from '../../../pipeline/db/audit-log.ts';
import { CalendarRangeError } from '../../../pipeline/foi/calendar.ts';
import { parseIsoOption } from '../../../pipeline/foi/dates.ts';
import { recordEvent } from '../../../pipeline/foi/events.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { loadRegisterFile } from '../../../pipeline/foi/register-load.ts';
import { chaseList, requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { listIssues } from '../../../pipeline/db/issue-rows.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

const SENT = '2024-03-11';
const at = (day: string) => `${day}T12:00:00Z`;

describe('the FOI request register', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });
  const statusOf = async (day: string, trust?: string) =>
    requestStatuses({ wave: 2024, asOf: day, ...(trust ? { trust } : {}) }, testCtx(t, { now: at(day) }));

  it('send records one request per trust providing MH services on the sent date, each due date explained', async () => {
    const r = await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at(SENT) }));
    // 53 rows in the reference list; North London (G6V2S) opened in November 2024.
    expect(r.created).toHaveLength(52);
    expect(r.excluded).toEqual([{ ods: 'G6V2S', name: 'North London NHS Foundation Trust', why: 'opened_after_sent' }]);
    expect(r.created.map((x) => x.ods)).toEqual(expect.arrayContaining(['RRP', 'TAF', 'RNK', 'R1C', 'R1F', 'TAD']));
    const rxt = r.created.find((x) => x.ods === 'RXT')!;
    expect(rxt.due.due).toBe('2024-04-11');
    expect(rxt.due.explanation.filter((d) => d.reasons.some((x) => x.kind !== 'weekend')).map((d) => d.date)).toEqual([
      '2024-03-18',
      '2024-03-29',
      '2024-04-01',
    ]);
    expect(rxt.due.summary).toMatch(/St Patrick.*northern-ireland.*Good Friday.*Easter Monday/);
    const stored = await t.pool.query(
      "select count(*)::int as n, min(due_date)::text as due, min(due_explanation->>'summary') as summary from foi_request where wave = 2024",
    );
    expect(stored.rows[0]).toEqual({ n: 52, due: '2024-04-11', summary: rxt.due.summary });
    expect(
      (await t.pool.query('select count(distinct reference_sha256)::int as v, count(*)::int as n from trust')).rows[0],
    ).toEqual({ v: 1, n: 53 });
  });

  it('send run again changes nothing', async () => {
    const before = (await t.pool.query('select * from foi_request order by id')).rows;
    const r = await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at('2024-03-12') }));
    expect(r.created).toHaveLength(0);
    expect(r.existing).toHaveLength(52);
    expect((await t.pool.query('select * from foi_request order by id')).rows).toEqual(before);
  });

  it('refuses a sent date beyond the holiday calendar (exit 2) and stores nothing', async () => {
    const err = await sendRequests({ wave: 2024, sent: '2029-06-01' }, testCtx(t)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalendarRangeError);
    expect((err as CalendarRangeError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/2029-06-01 is outside the bank-holiday calendar/);
    expect((await t.pool.query('select count(*)::int as n from foi_request')).rows[0].n).toBe(52);
    expect(() => parseIsoOption('11/03/2024', '--sent')).toThrow(/--sent must be a date in YYYY-MM-DD form/);
  });

  it('is awaiting on the due date and overdue the day after by the clock; the chase list gives the days elapsed', async () => {
    // 23:30 UTC on 10 April is already 11 April in London (BST): the clock's day is taken in London.
    const onDue = testCtx(t, { now: '2024-04-10T23:30:00Z' });
    expect(new Set((await requestStatuses({ wave: 2024 }, onDue)).map((l) => l.status.status))).toEqual(
      new Set(['awaiting']),
    );
    expect(await chaseList({ wave: 2024 }, onDue)).toEqual([]);
    const chase = await chaseList({ wave: 2024 }, testCtx(t, { now: '2024-04-11T23:30:00Z' }));
    expect(chase).toHaveLength(52);
    expect(chase[0]!.status).toMatchObject({
      status: 'overdue',
      due: { due: '2024-04-11' },
      daysElapsed: { working: 21, calendar: 32 },
    });
    const late = await chaseList({ wave: 2024 }, testCtx(t, { now: at('2024-05-13') }));
    expect(late[0]!.status).toMatchObject({ status: 'long_overdue', longOverdueAfter: '2024-05-10' });
  });

  it('restarts the clock when a clarification is answered, and records an event once', async () => {
    const ctx = testCtx(t, { now: at('2024-03-25') });
    expect(
      (await recordEvent({ wave: 2024, trust: 'rxt', kind: 'clarification_asked', date: '2024-03-20' }, ctx)).recorded,
    ).toBe(true);
    expect(
      (await recordEvent({ wave: 2024, trust: 'RXT', kind: 'clarification_asked', date: '2024-03-20' }, ctx)).recorded,
    ).toBe(false);
    expect((await statusOf('2024-03-22', 'RXT'))[0]!.status.status).toBe('clarification');
    await recordEvent(
      { wave: 2024, trust: 'RXT', kind: 'clarification_answered', date: '2024-03-25', note: 'services = CAMHS' },
      ctx,
    );
    const [line] = await statusOf('2024-04-12', 'RXT');
    expect(line!.status).toMatchObject({ status: 'awaiting', clockStart: '2024-03-25', due: { due: '2024-04-24' } });
    expect((await chaseList({ wave: 2024, asOf: '2024-04-12' }, testCtx(t))).map((l) => l.request.ods)).not.toContain(
      'RXT',
    );
  });

  it('refuses an event for a trust not asked, or dated before the request', async () => {
    await expect(
      recordEvent({ wave: 2024, trust: 'G6V2S', kind: 'clarification_asked', date: '2024-03-20' }, testCtx(t)),
    ).rejects.toThrow(/No request to G6V2S in wave 2024/);
    await expect(
      recordEvent({ wave: 2024, trust: 'RXT', kind: 'clarification_asked', date: '2024-03-01' }, testCtx(t)),
    ).rejects.toThrow(/before the request/);
    await expect(
      recordEvent({ wave: 2024, trust: 'RXT', kind: 'reply', date: '2024-04-01' }, testCtx(t)),
    ).rejects.toThrow(/--kind must be one of/);
  });

  it('is answered when every question is answered, partial when one is not held or not coded yet', async () => {
    const q5missing = fullReply();
    q5missing.textAnswers = q5missing.textAnswers.filter((a) => a.questionId !== 'q5_receiving_service');
    const notHeld = fullReply();
    notHeld.values[0] = count('q2_referrals_under2', 'fy2021_22', null);
    const dir = writeReplies({
      oxleas: reply({ ...fullReply(), trustHint: { ods: 'RPG' }, replyDate: '2024-04-05' }),
      maudsley: reply({
        ...q5missing,
        trustHint: { name: 'South London and Maudsley NHS Foundation Trust' },
        replyDate: '2024-04-15',
      }),
      berkshire: reply({ ...notHeld, trustHint: { ods: 'RWX' }, replyDate: '2024-04-10' }),
    });
    const s = await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      testCtx(t, { now: at('2024-04-16') }),
    );
    expect(s.files.map((f) => f.status)).toEqual(['loaded', 'loaded', 'loaded']);
    const lines = await statusOf('2024-06-01');
    const of = (ods: string) => lines.find((l) => l.request.ods === ods)!.status;
    expect(of('RPG')).toMatchObject({
      status: 'answered',
      firstReply: '2024-04-05',
      withinTime: true,
      daysTaken: { working: 16, calendar: 25 },
    });
    expect(of('RV5')).toMatchObject({
      status: 'partial',
      withinTime: false,
      questions: { q5_receiving_service: 'missing' },
    });
    expect(of('RWX')).toMatchObject({
      status: 'partial',
      questions: { q2_referrals_under2: 'not_held', q3_accepted_under2: 'answered' },
    });
  });

  it('loads a research team register: requests and dated events from it, typed status only a note, issues per row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'register-'));
    const file = join(dir, 'our-register.csv');
    writeFileSync(
      file,
      [
        'Our ref,Trust FOI ref,ODS code,Trust,Date sent,Date of reply,Clarification requested,Clarification provided,Status,Exemptions',
        'PIR-07,FOI/24/311,RXV,,11/03/2024,,20/03/2024,,Answered,',
        'PIR-08,FOI 99,RW4,Mersey Care,11/03/2024,02/05/2024,,,refused,"s12"',
        'PIR-09,,,St Elsewhere Trust,11/03/2024,,,,,',
      ].join('\n'),
    );
    const ctx = testCtx(t, { now: at('2024-06-01') });
    const r = await loadRegisterFile({ path: file, wave: 2024 }, ctx);
    expect(r).toMatchObject({ rows: 3, created: [], updated: ['RXV', 'RW4'], events: 2 });
    const lines = await statusOf('2024-06-01');
    const rxv = lines.find((l) => l.request.ods === 'RXV')!;
    expect(rxv.status.status).toBe('clarification'); // typed "Answered" is only a note: no reply date
    expect(rxv.request).toMatchObject({ ourRef: 'PIR-07', theirRef: 'FOI/24/311', note: 'status typed as "Answered"' });
    expect(lines.find((l) => l.request.ods === 'RW4')!.status).toMatchObject({
      status: 'partial',
      firstReply: '2024-05-02',
      withinTime: false,
      exemptions: ['s12'],
    });
    const issues = await listIssues(t.db, 2024, 'error');
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'register_trust_unknown',
        file: 'our-register.csv',
        location: 'row 4',
        raw: 'St Elsewhere Trust',
      }),
    ]);
    // Loaded again: the same events and issues, not twice as many.
    await loadRegisterFile({ path: file, wave: 2024 }, ctx);
    expect(
      (await t.pool.query("select count(*)::int as n from foi_status_event where source = 'register'")).rows[0].n,
    ).toBe(2);
    expect(await listIssues(t.db, 2024, 'error')).toHaveLength(1);
  });

  it('is under internal review until the outcome, which then replaces the status', async () => {
    const ctx = testCtx(t, { now: at('2024-06-10') });
    await recordEvent({ wave: 2024, trust: 'RW4', kind: 'internal_review_requested', date: '2024-05-10' }, ctx);
    await recordEvent(
      {
        wave: 2024,
        trust: 'RW4',
        kind: 'internal_review_outcome',
        date: '2024-06-03',
        outcome: 'answered',
        note: 'figures released',
      },
      ctx,
    );
    expect((await statusOf('2024-05-20', 'RW4'))[0]!.status.status).toBe('internal_review');
    expect((await statusOf('2024-06-10', 'RW4'))[0]!.status).toMatchObject({
      status: 'answered',
      firstReply: '2024-05-02',
    });
    // Typed history is append-only in the database itself.
    await expect(t.pool.query("update foi_status_event set note = 'edited' where source = 'command'")).rejects.toThrow(
      /append-only/,
    );
  });

  it('refuses to change a locked wave, saying how to unlock it', async () => {
    const ctx = testCtx(t, { now: at('2024-06-11') });
    await lockWave(t.db, { wave: 2024, by: 'Lead', reason: 'published', at: new Date(at('2024-06-11')) });
    const err = await recordEvent(
      { wave: 2024, trust: 'RPG', kind: 'clarification_asked', date: '2024-03-20' },
      ctx,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'wave_locked', exitCode: 2 });
    await expect(sendRequests({ wave: 2024, sent: SENT }, ctx)).rejects.toThrow(/Wave 2024 is locked/);
    await unlockWave(t.db, { wave: 2024, by: 'Lead', reason: 'late reply', at: new Date(at('2024-06-12')) });
    expect(
      (await t.pool.query("select action from audit_log where action like 'foi_%' order by id")).rows.map(
        (r) => r.action,
      ),
    ).toEqual(['foi_send', 'foi_event', 'foi_event', 'foi_register', 'foi_register', 'foi_event', 'foi_event']);
  });
});
