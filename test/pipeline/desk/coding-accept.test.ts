import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { codingRows } from '../../../pipeline/foi/coding-rows.ts';
import { loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiWave } from '../../../pipeline/foi/wave.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/**
 * "Accept" on the desk's coding queue (issue 20): accepting an age band other than the one asked, or
 * confirming a suggestion, stores the value read from the reply as the database holds it now (the form
 * carries only the row's key and yes), by the rule `census foi code` loads a coding sheet with; a form
 * whose key or answer was changed in the browser is refused with a plain message and nothing stored.
 */
describe('accepting an automatic reading on the desk', { timeout: 120_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  let app: ReturnType<typeof deskApp>;
  let cookie = '';
  let token = '';
  const rows = async () => codingRows(2024, foiWave(2024, ctx.workspace.wavesDir), ctx);
  const post = (path: string, form: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
  const coded = async () =>
    (
      await t.pool.query(
        "select low, high, age_band_label, band_accepted, flags, quote, coding_key from foi_value where method = 'coded' order by id",
      )
    ).rows;
  const CODE = '/waves/2024/foi/coding/code';
  /** The value of the hidden "seen" field of a row's forms, as the browser would send it. */
  const seenOnPage = async (key: string) => {
    const html = await (await app.request('/waves/2024/foi/coding', { headers: { cookie } })).text();
    const at = html.indexOf(`name="key" value="${key.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
    expect(at).toBeGreaterThan(0);
    const raw = /name="seen" value="([^"]*)"/.exec(html.slice(at))![1]!;
    return raw
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  };

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t, { now: '2024-05-01T09:00:00Z' });
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const band = fullReply(4);
    band.values[2] = count('q2_referrals_under2', 'fy2022_23', 4, {
      ageBand: { label: '0-4 years', months: [0, 59], exact: false },
      flags: ['band_mismatch'],
      quote: '2022/23 (ages 0-4): 4',
    });
    const weak = fullReply(7);
    weak.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      rule: 'prose',
      evidence: 'FY22 4,092 25 22 5 64 14',
      suggestion: 'the line holds 6 numbers for 1 period',
      quote: 'FY22 4,092 25 22 5 64 14',
    });
    await ingest(
      {
        paths: [
          writeReplies({
            band: reply({ ...band, trustHint: { ods: 'RWX' } }),
            weak: reply({ ...weak, trustHint: { ods: 'RTQ' } }),
          }),
        ],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders }),
        command: 'test',
      },
      testCtx(t, { now: '2024-04-05T09:00:00Z', dir: ctx.workspace.dir }),
    );
    app = deskApp({ ctx: () => ({ ...ctx }) });
    const first = await app.request('/waves/2024/foi/coding');
    token = /desk_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')![1]!;
    cookie = `desk_csrf=${token}`;
    expect((await post('/name', { name: 'Ada Lovelace', next: '/', csrf: token })).status).toBe(303);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('refuses a changed key or answer in plain words, storing nothing', async () => {
    const band = (await rows()).find((r) => r.reason === 'band_mismatch')!;
    const sugg = (await rows()).find((r) => r.reason === 'suggestion')!;
    const refused = async (form: Record<string, string>, words: RegExp) => {
      const res = await post(CODE, { ...form, csrf: token });
      const html = await res.text();
      expect(res.status, html).toBe(400);
      expect(html).toMatch(words);
      expect(html).not.toMatch(/Internal|stack|at [a-zA-Z]+ \(/);
    };
    // Another band than the reply gave: no such reading.
    await refused({ key: band.key.replace('0-4 years', '0-1 years'), acceptBand: 'yes' }, /not in the coding queue/);
    // A row kind changed (band -> confirm), another reply, a key that is no key.
    await refused({ key: band.key.replace(/^band\|/, 'confirm|'), confirm: 'yes' }, /not in the coding queue/);
    await refused(
      { key: sugg.key.replace(/\|[0-9a-f]{64}/, `|${'0'.repeat(64)}`), confirm: 'yes' },
      /not in the coding queue/,
    );
    await refused({ key: 'band|nonsense', acceptBand: 'yes' }, /not in the coding queue/);
    // The page's forms carry what they showed of the reading; changed (or read again since): refused.
    const seenBand = await seenOnPage(band.key);
    expect(seenBand).toContain('0-4 years');
    await refused(
      { key: band.key, acceptBand: 'yes', seen: seenBand.replace('[4, 4]', '[40, 40]') },
      /not what the page showed[\s\S]*now reads/,
    );
    await refused({ key: sugg.key, confirm: 'yes', seen: 'whatever' }, /not what the page showed/);
    // An answer no select offers.
    await refused(
      { key: band.key, acceptBand: 'absolutely' },
      /Accept band mismatch must be yes or no, not &quot;absolutely&quot;/,
    );
    await refused({ key: sugg.key, confirm: '25' }, /Confirm suggestion must be yes or no/);
    expect(await coded()).toEqual([]);
    expect((await rows()).map((r) => r.key)).toEqual(expect.arrayContaining([band.key, sugg.key]));
  });

  it('stores the band reading as read from the reply, the value foi code would store for the same row', async () => {
    const band = (await rows()).find((r) => r.reason === 'band_mismatch')!;
    const sugg = (await rows()).find((r) => r.reason === 'suggestion')!;
    // The forms carry only the row's key and yes: what is stored is the reading the database holds...
    // Sent as the page's own forms send them (with what they showed), both are recorded.
    const form = seenOnPage;
    const bandSeen = await form(band.key);
    const suggSeen = await form(sugg.key);
    const ok1 = await post(CODE, { key: band.key, acceptBand: 'yes', seen: bandSeen, csrf: token });
    expect(ok1.status, await ok1.text()).toBe(303);
    expect((await post(CODE, { key: sugg.key, confirm: 'yes', seen: suggSeen, csrf: token })).status).toBe(303);
    expect(await coded()).toEqual([
      {
        low: '4',
        high: '4',
        age_band_label: '0-4 years',
        band_accepted: true,
        flags: ['band_mismatch'],
        quote: '2022/23 (ages 0-4): 4',
        coding_key: band.key,
      },
      expect.objectContaining({ low: '25', high: '25', coding_key: sugg.key }),
    ]);
    // ...and the same answers on a coding sheet (census foi code) are the same values: nothing to change.
    // (A sheet of only the key and answer columns, as a person may keep it: the rows are no longer in the queue.)
    const again = await loadCodingSheet(
      {
        path: await sheetWith([
          [band.key, { 'Accept band mismatch': 'yes' }],
          [sugg.key, { 'Confirm suggestion': 'yes' }],
        ]),
        wave: 2024,
        by: 'Someone Else',
      },
      ctx,
    );
    expect(again).toMatchObject({ filled: 2, recorded: 0, corrected: 0, unchanged: 2 });
  });
});

/** A coding sheet holding only the key and answer columns, one row per key (a sheet keeps working so). */
async function sheetWith(rows: [string, Record<string, string>][]): Promise<string> {
  const ExcelJS = (await import('exceljs')).default;
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const headers = [
    'key',
    'Low',
    'High (blank = low, "open")',
    'Yes/No',
    'Text answer',
    'Missing reason',
    'Flags',
    'Exemptions',
    'Age band as given',
    'Page',
    'Quote as read',
    'Accept band mismatch',
    'Confirm suggestion',
    'Note / reason',
  ];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Coding');
  ws.addRow(headers);
  for (const [key, cells] of rows) ws.addRow(headers.map((h) => (h === 'key' ? key : (cells[h] ?? null))));
  const path = join(mkdtempSync(join(tmpdir(), 'accept-sheet-')), 'sheet.xlsx');
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}
