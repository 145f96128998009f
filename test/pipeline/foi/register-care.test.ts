import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDate, loadCalendar } from '../../../pipeline/foi/calendar.ts';
import { recordEvent, retractEvent } from '../../../pipeline/foi/events.ts';
import { exportTable, tableCsv } from '../../../pipeline/foi/exports.ts';
import { buildLetters } from '../../../pipeline/foi/letters.ts';
import { loadRegisterFile } from '../../../pipeline/foi/register-load.ts';
import { requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { lawOf } from '../../../pipeline/foi/trust-table.ts';
import { foiWave, isFoiWave } from '../../../pipeline/foi/wave.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { loadTrusts } from '../../../sources/foi/trusts.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

const SENT = '2024-03-11';
const at = (day: string) => `${day}T12:00:00Z`;
const HEADER = 'Our ref,Their ref,ODS code,Trust,Date sent,Date replied,Clarification requested,Status,Notes';

function registerFile(rows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'register-care-'));
  const file = join(dir, 'register.csv');
  writeFileSync(file, [HEADER, ...rows].join('\n'));
  return file;
}

describe('FOI register care', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at(SENT) }));
  });
  afterAll(async () => {
    await t.drop();
  });
  const registerEvents = async () =>
    (
      await t.pool.query(
        "select q.trust_ods as ods, e.kind, e.event_date::text as date from foi_status_event e join foi_request q on q.id = e.request_id where e.source = 'register' order by 1, 2, 3",
      )
    ).rows;

  it('reloading a register merges: a blank cell keeps what is recorded, and every change is returned', async () => {
    const ctx = testCtx(t, { now: at('2024-05-01') });
    await loadRegisterFile(
      {
        path: registerFile([
          'PIP-FOI-2024-001,,RXT,,11/03/2024,04/04/2024,,Closed,',
          'PIP-FOI-2024-002,FOI 12,RPG,,11/03/2024,,20/03/2024,,ack received',
        ]),
        wave: 2024,
      },
      ctx,
    );
    // The second register leaves RXT's reply date blank and gives RPG's reply: RXT's reply stays.
    const r = await loadRegisterFile(
      {
        path: registerFile([
          'PIP-FOI-2024-001,0744/2024,RXT,,11/03/2024,,,,',
          'PIP-FOI-2024-002,,RPG,,11/03/2024,25/04/2024,,Replied,ack received',
        ]),
        wave: 2024,
      },
      ctx,
    );
    expect(r.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ods: 'RXT', what: 'their_ref', from: null, to: '0744/2024' }),
        expect.objectContaining({ ods: 'RPG', what: 'event_added', to: 'reply 2024-04-25' }),
        expect.objectContaining({ ods: 'RPG', what: 'note', to: 'status typed as "Replied"; notes: ack received' }),
      ]),
    );
    expect(r.changes.some((c) => c.ods === 'RPG' && c.what === 'their_ref')).toBe(false); // blank keeps "FOI 12"
    expect(r.kept).toBe(2); // RXT's reply, RPG's clarification
    expect(await registerEvents()).toEqual([
      { ods: 'RPG', kind: 'clarification_asked', date: '2024-03-20' },
      { ods: 'RPG', kind: 'reply', date: '2024-04-25' },
      { ods: 'RXT', kind: 'reply', date: '2024-04-04' },
    ]);
    const [rpg] = await requestStatuses({ wave: 2024, trust: 'RPG', asOf: '2024-05-01' }, ctx);
    expect(rpg!.request.theirRef).toBe('FOI 12');
  });

  it('refuses (exit 2, nothing written) a register that would drop a recorded event, unless --replace', async () => {
    const ctx = testCtx(t, { now: at('2024-05-02') });
    const moved = registerFile([
      'PIP-FOI-2024-001,,RXT,,11/03/2024,05/04/2024,,,',
      'PIP-FOI-2024-002,,RPG,,11/03/2024,25/04/2024,,,',
    ]);
    const before = await registerEvents();
    const err = await loadRegisterFile({ path: moved, wave: 2024 }, ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 2 });
    expect((err as Error).message).toMatch(/RXT \(row 2\): reply 2024-04-04 -> reply 2024-04-05/);
    expect(await registerEvents()).toEqual(before);

    const dry = await loadRegisterFile({ path: moved, wave: 2024, replace: true, dryRun: true }, ctx);
    expect(dry.dryRun).toBe(true);
    expect(dry.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ods: 'RXT', what: 'event_changed', from: 'reply 2024-04-04' }),
        expect.objectContaining({ ods: 'RPG', what: 'event_dropped', from: 'clarification asked 2024-03-20' }),
      ]),
    );
    expect(await registerEvents()).toEqual(before); // a dry run writes nothing

    await loadRegisterFile({ path: moved, wave: 2024, replace: true }, ctx);
    expect(await registerEvents()).toEqual([
      { ods: 'RPG', kind: 'reply', date: '2024-04-25' },
      { ods: 'RXT', kind: 'reply', date: '2024-04-05' },
    ]);
  });

  it('a retracted event no longer counts; the reason is required, kept and audit-logged', async () => {
    const ctx = testCtx(t, { now: at('2024-05-03') });
    await recordEvent({ wave: 2024, trust: 'RWX', kind: 'clarification_asked', date: '2024-03-15' }, ctx);
    const status = async () => (await requestStatuses({ wave: 2024, trust: 'RWX', asOf: '2024-04-05' }, ctx))[0]!;
    expect((await status()).status.status).toBe('clarification');
    await expect(
      retractEvent(
        {
          wave: 2024,
          trust: 'RWX',
          kind: 'clarification_asked',
          date: '2024-03-15',
          reason: '  ',
          by: 'A. Researcher',
        },
        ctx,
      ),
    ).rejects.toThrow(/--reason must be a reason in words/);
    await expect(
      retractEvent(
        { wave: 2024, trust: 'RWX', kind: 'reply', date: '2024-03-15', reason: 'typo', by: 'A. Researcher' },
        ctx,
      ),
    ).rejects.toThrow(/No reply event on 2024-03-15 for RWX.*Recorded: clarification_asked 2024-03-15/);
    await retractEvent(
      {
        wave: 2024,
        trust: 'RWX',
        kind: 'clarification_asked',
        date: '2024-03-15',
        reason: 'it was another trust that asked',
        by: 'A. Researcher',
      },
      ctx,
    );
    const after = await status();
    expect(after.status).toMatchObject({ status: 'awaiting', due: { due: '2024-04-11' } });
    expect(after.retracted).toEqual([
      expect.objectContaining({ kind: 'clarification_asked', reason: 'it was another trust that asked' }),
    ]);
    const audit = await t.pool.query("select actor, detail from audit_log where action = 'foi_event_retracted'");
    expect(audit.rows).toEqual([
      expect.objectContaining({
        actor: 'A. Researcher',
        detail: expect.objectContaining({ reason: 'it was another trust that asked' }),
      }),
    ]);
    await expect(
      retractEvent(
        { wave: 2024, trust: 'RWX', kind: 'clarification_asked', date: '2024-03-15', reason: 'again', by: 'B' },
        ctx,
      ),
    ).rejects.toThrow(/already retracted/);
  });

  it('a public-interest extension moves the due date; a late one and one past 40 working days are flagged', async () => {
    const ctx = testCtx(t, { now: at('2024-05-04') });
    await expect(
      recordEvent({ wave: 2024, trust: 'RV5', kind: 'pi_extension', date: '2024-04-05' }, ctx),
    ).rejects.toThrow(/needs --new-due/);
    await recordEvent(
      { wave: 2024, trust: 'RV5', kind: 'pi_extension', date: '2024-04-05', newDue: '2024-05-09' },
      ctx,
    );
    const [rv5] = await requestStatuses({ wave: 2024, trust: 'RV5', asOf: '2024-04-20' }, ctx);
    expect(rv5!.status).toMatchObject({ status: 'awaiting', due: { due: '2024-05-09' } });
    expect(rv5!.status.due!.summary).toMatch(/Extended on 2024-04-05 under FOIA s10\(3\).*to 2024-05-09/);
    await recordEvent(
      { wave: 2024, trust: 'RW4', kind: 'pi_extension', date: '2024-04-15', newDue: '2024-06-28' },
      ctx,
    );
    const [rw4] = await requestStatuses({ wave: 2024, trust: 'RW4', asOf: '2024-04-20' }, ctx);
    expect(rw4!.status.issues.map((i) => i.code)).toEqual(['pi_extension_late', 'pi_extension_beyond_guidance']);
  });

  it('an internal review is due 20 working days after it is asked; ICO complaints are listed', async () => {
    const ctx = testCtx(t, { now: at('2024-06-01') });
    await recordEvent({ wave: 2024, trust: 'RXT', kind: 'internal_review_requested', date: '2024-05-07' }, ctx);
    await recordEvent({ wave: 2024, trust: 'RXT', kind: 'ico_complaint', date: '2024-05-30', note: 'IC-1234' }, ctx);
    const [rxt] = await requestStatuses({ wave: 2024, trust: 'RXT', asOf: '2024-06-01' }, ctx);
    // 7 May 2024 + 20 working days, skipping the spring bank holiday of 27 May.
    expect(rxt!.review).toEqual({ requested: '2024-05-07', due: '2024-06-05' });
    expect(rxt!.regulator).toEqual([{ kind: 'ico_complaint', date: '2024-05-30', note: 'IC-1234' }]);
    const csv = tableCsv(await exportTable({ wave: 2024, kind: 'status', asOf: '2024-06-01' }, ctx));
    const line = csv.split('\n').find((l) => l.startsWith('RXT,'))!;
    expect(line).toContain('2024-05-07,2024-06-05,complaint 2024-05-30');
    // The chase list says when the trust's FOI address is not known, rather than leave the cell blank.
    const chase = tableCsv(await exportTable({ wave: 2024, kind: 'chase', asOf: '2024-06-01' }, ctx)).split('\n');
    expect(chase[0]).toMatch(/,FOI address$/);
    expect(chase.filter((l) => l !== '').length).toBeGreaterThan(10);
    expect(
      chase
        .slice(1)
        .filter((l) => l !== '')
        .every((l) => l.endsWith(',not known')),
    ).toBe(true);
  });

  it('ingest --received dates a reply; a reply with no date at all says which date it was given', async () => {
    const dir = writeReplies({
      undated: reply({ ...fullReply(), trustHint: { ods: 'RT1' } }),
    });
    const ctx = testCtx(t, { now: at('2024-05-20') });
    const s = await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx,
    );
    expect(s.files[0]!.issues.map((i) => i.code)).toContain('reply_date_assumed');
    const s2 = await ingest(
      {
        paths: [dir],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders, received: '2024-04-02' }),
        command: 'test',
      },
      ctx,
    );
    expect(s2.files[0]!.issues.map((i) => i.code)).not.toContain('reply_date_assumed');
    const [rt1] = await requestStatuses({ wave: 2024, trust: 'RT1', asOf: '2024-05-20' }, ctx);
    expect(rt1!.status).toMatchObject({ firstReply: '2024-04-02', withinTime: true });
  });

  it('send --dry-run of a wave written in the workspace says what it would record and records nothing', async () => {
    const ctx = testCtx(t, { now: at('2026-03-02') });
    mkdirSync(join(ctx.workspace.wavesDir, 'foi'), { recursive: true });
    const shipped = JSON.parse(readFileSync(new URL('../../../schemas/foi/2024.json', import.meta.url), 'utf8'));
    writeFileSync(
      join(ctx.workspace.wavesDir, 'foi', '2026.json'),
      JSON.stringify({ ...shipped, wave: 2026, sentDate: '2026-03-09' }),
    );
    const count = async () =>
      (await t.pool.query('select count(*)::int as n from foi_request where wave = 2026')).rows[0].n;
    const r = await sendRequests({ wave: 2026, sent: '2026-03-09', dryRun: true }, ctx);
    expect(r.created.length).toBeGreaterThan(40);
    expect(r.created.find((x) => x.ods === 'RXT')!.due.due).toBe('2026-04-09');
    expect(await count()).toBe(0);
    await expect(sendRequests({ wave: 2026, sent: '2026-03-09' }, testCtx(t))).rejects.toThrow(/no FOI request list/); // another workspace has no such wave
  });

  it('letters: one .eml (PDF attached) and PDF per request, with our reference and the statutory deadline', async () => {
    const ctx = testCtx(t, { now: at('2024-03-08') });
    const { letters, assigned } = await buildLetters({ wave: 2024, from: 'A. Researcher <ar@example.ac.uk>' }, ctx);
    expect(letters).toHaveLength(52);
    expect(assigned).toBe(50); // RXT and RPG have theirs from the register
    const rxt = letters.find((l) => l.ods === 'RXT')!;
    expect(rxt).toMatchObject({ ourRef: 'PIP-FOI-2024-001', to: null, law: 'foia', due: '2024-04-11' });
    // No FOI address in the trust list: the To: line says so (an empty group: nothing is sent until one is added).
    expect(rxt.eml.toString('utf8')).toMatch(/^To: FOI address not known - add it before sending:;\r\n/m);
    const mail = await simpleParser(rxt.eml);
    expect(mail.subject).toBe('Freedom of Information request PIP-FOI-2024-001');
    expect(mail.text).toContain('How many of those referrals were accepted (assessed or treated)?');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['PIP-FOI-2024-001 RXT.pdf']);
    const pdf = await new PDFParse({ data: rxt.pdf }).getText();
    expect(pdf.text.replace(/\s+/g, ' ')).toContain(
      'not later than the twentieth working day following the date of receipt. This request is sent and received by e-mail on 11 March 2024, so your reply is due by 11 April 2024',
    );
    const refs = await t.pool.query('select count(distinct our_ref)::int as n from foi_request where wave = 2024');
    expect(refs.rows[0].n).toBe(52);
    // Run again: the same references, the same bytes.
    const again = await buildLetters({ wave: 2024, from: 'A. Researcher <ar@example.ac.uk>' }, ctx);
    expect(again.assigned).toBe(0);
    expect(again.letters.find((l) => l.ods === 'RXT')!.eml.equals(rxt.eml)).toBe(true);
  });
});

describe('FOI waves and laws', () => {
  it('an FOI wave written in the workspace is used like a shipped one', () => {
    const waves = mkdtempSync(join(tmpdir(), 'waves-'));
    mkdirSync(join(waves, 'foi'));
    const shipped = JSON.parse(readFileSync(new URL('../../../schemas/foi/2024.json', import.meta.url), 'utf8'));
    writeFileSync(
      join(waves, 'foi', '2026.json'),
      JSON.stringify({ ...shipped, wave: 2026, sentDate: '2026-03-09', nations: ['england', 'scotland'] }),
    );
    expect(isFoiWave(2026, waves)).toBe(true);
    expect(isFoiWave(2026, null)).toBe(false);
    expect(foiWave(2026, waves)).toMatchObject({ wave: 2026, nations: ['england', 'scotland'] });
    expect(() => foiWave(2027, waves)).toThrow(/no FOI request list/);
    expect(foiWave(2024, waves).wave).toBe(2024); // the shipped wave still works
  });

  it('a Scottish board is asked under FOISA: 20 working days on Scottish holidays only', () => {
    const cal = loadCalendar();
    // FOIA skips St Patrick's Day (NI), Good Friday and Easter Monday (England, Wales, NI); FOISA only Good Friday.
    expect(dueDate(SENT, cal).due).toBe('2024-04-11');
    const foisa = dueDate(SENT, cal, undefined, 'foisa');
    expect(foisa.due).toBe('2024-04-09');
    expect(foisa.summary).toMatch(/under FOISA/);
    // 2 January is a Scottish bank holiday only: it moves a FOISA date and, under s10(6), a FOIA one too.
    expect(dueDate('2023-12-29', cal, undefined, 'foisa').due).toBe(dueDate('2023-12-29', cal).due);
    expect(lawOf({ nation: 'scotland' })).toBe('foisa');
    expect(lawOf({ nation: 'wales' })).toBe('foia');
  });

  it('health boards added to the devolved reference file join the trust list with their nation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boards-'));
    const file = join(dir, 'devolved.csv');
    writeFileSync(
      file,
      'ods_code,name,region,postcode,mh_confidence,opened,closed,successor_ods_code,nation,foi_email,foi_email_source\nSZZ01,NHS Example Board,Scotland,,listed,2014-04-01,,,scotland,foi@example.scot.nhs.uk,board website (test)\n',
    );
    const list = loadTrusts(undefined, file);
    expect(list.byOds.get('SZZ01')).toMatchObject({ nation: 'scotland', foiEmail: 'foi@example.scot.nhs.uk' });
    expect(list.version).not.toBe(loadTrusts().version);
    expect(loadTrusts().byOds.get('RXT')).toMatchObject({ nation: 'england', foiEmail: null });
  });
});
