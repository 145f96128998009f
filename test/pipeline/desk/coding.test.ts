import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { codingRows } from '../../../pipeline/foi/coding-rows.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiWave } from '../../../pipeline/foi/wave.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/** The coding queue of the desk: each form is one row of the coding sheet, loaded as the CLI loads a sheet. */
describe('the desk coding queue', { timeout: 120_000 }, () => {
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
  const figure = async (q: string, p: string) =>
    (
      await t.pool.query(
        "select low, high from report_foi_value where trust_ods = 'RWX' and question_id = $1 and period_id = $2",
        [q, p],
      )
    ).rows.map((r) => [Number(r.low), r.high === null ? null : Number(r.high)]);
  const CODE = '/waves/2024/foi/coding/code';

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t, { now: '2024-05-01T09:00:00Z' });
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const r = fullReply();
    // A weak rule read 2021/22 (a suggestion); two readings of 2022/23 disagree; 2023/24 of q3 is not found.
    r.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      rule: 'prose',
      evidence: 'FY22 4,092 25 22 5 64 14',
      suggestion: 'the line holds 6 numbers for 1 period',
      quote: 'FY22 4,092 25 22 5 64 14',
    });
    r.values[2] = count('q2_referrals_under2', 'fy2022_23', 16, { rule: 'table_header', quote: '2022/23 16' });
    r.values.push(count('q2_referrals_under2', 'fy2022_23', 11626, { rule: 'table_header', quote: '2022/23 11,626' }));
    r.values = r.values.filter((v) => !(v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2023_24'));
    // q3 2021/22 read as not held: a count coded missing, which a correction can give a number.
    r.values = r.values.map((v) =>
      v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2021_22'
        ? count('q3_accepted_under2', 'fy2021_22', null)
        : v,
    );
    await ingest(
      {
        paths: [writeReplies({ weak: reply({ ...r, trustHint: { ods: 'RWX' } }) })],
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
  });
  afterAll(async () => {
    await t.drop();
  });

  it('shows every row the coding sheet would hold, with what was found, where, and the suggestion', async () => {
    const waiting = await rows();
    expect(waiting.map((r) => r.reason).sort()).toEqual(['suggestion', 'suggestion', 'uncoded']);
    const html = await (await app.request('/waves/2024/foi/coding', { headers: { cookie } })).text();
    expect(html).toContain(`${waiting.length} answer(s) wait for a person`);
    for (const r of waiting) {
      expect(html).toContain(`name="key" value="${r.key}"`);
      expect(html).toContain(r.periodLabel);
    }
    expect(html).toContain('why in doubt: the line holds 6 numbers');
    expect(html).toContain('16 or 11626');
    expect(html.match(/Confirm the suggestion/g)?.length).toBe(2);
    expect(html).not.toMatch(/<script|style=/);
  });

  it('asks the name before recording, and refuses a form without its token', async () => {
    const [r] = await rows();
    expect((await post(CODE, { key: r!.key, low: '3' })).status).toBe(403);
    const ask = await post(CODE, { key: r!.key, low: '3', csrf: token });
    expect(ask.status).toBe(303);
    expect(ask.headers.get('location')).toBe('/name?next=%2Fwaves%2F2024%2Ffoi%2Fcoding');
    expect((await post('/name', { name: 'Ada Lovelace', next: '/', csrf: token })).status).toBe(303);
  });

  it('confirms a suggestion in one click: the figure is fed, recorded under the name, and the row leaves the queue', async () => {
    const r = (await rows()).find((x) => x.reason === 'suggestion' && x.periodId === 'fy2021_22')!;
    expect(await figure('q2_referrals_under2', 'fy2021_22')).toEqual([]);
    const res = await post(CODE, { key: r.key, confirm: 'yes', csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/waves/2024/foi/coding?recorded=1&corrected=0');
    expect(await figure('q2_referrals_under2', 'fy2021_22')).toEqual([[25, 25]]);
    expect((await rows()).map((x) => x.key)).not.toContain(r.key);
    const coded = await t.pool.query("select coded_by, method from foi_value where method = 'coded'");
    expect(coded.rows).toEqual([{ coded_by: 'Ada Lovelace', method: 'coded' }]);
    const audit = await t.pool.query("select actor from audit_log where action = 'foi_coding_sheet'");
    expect(audit.rows).toEqual([{ actor: 'Ada Lovelace' }]);
    const page = await (await app.request(res.headers.get('location')!, { headers: { cookie } })).text();
    expect(page).toContain('Recorded 1 value(s)');
  });

  it('refuses to confirm readings that disagree, and records nothing, with the sheet loader’s reason', async () => {
    const r = (await rows()).find((x) => x.reason === 'suggestion')!;
    expect(r.suggestion).toBe('16 or 11626');
    const res = await post(CODE, { key: r.key, confirm: 'yes', csrf: token });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Nothing was recorded');
    // The loader's own issue, in words.
    expect(html).toMatch(/<li>[^<]{20,}<\/li>/);
    expect((await rows()).map((x) => x.key)).toContain(r.key);
    expect(await figure('q2_referrals_under2', 'fy2022_23')).toEqual([]);
  });

  it('changes a suggestion by typing the answer, and codes a value the reader did not find', async () => {
    const sugg = (await rows()).find((x) => x.reason === 'suggestion')!;
    expect((await post(CODE, { key: sugg.key, low: '16', csrf: token })).status).toBe(303);
    expect(await figure('q2_referrals_under2', 'fy2022_23')).toEqual([[16, 16]]);
    const uncoded = (await rows()).find((x) => x.reason === 'uncoded')!;
    expect(uncoded.questionId).toBe('q3_accepted_under2');
    // Not a number: the loader's issue, nothing recorded.
    const bad = await post(CODE, { key: uncoded.key, low: 'lots', csrf: token });
    expect(bad.status).toBe(400);
    // A count too large to keep exactly: refused in words, not stored as another number.
    const huge = await post(CODE, { key: uncoded.key, low: '9007199254740993', csrf: token });
    expect(huge.status).toBe(400);
    expect(await huge.text()).toContain('counts above 9007199254740991 cannot be kept exactly');
    expect((await rows()).map((x) => x.key)).toContain(uncoded.key);
    const ok = await post(CODE, { key: uncoded.key, low: '0', high: '4', page: '2', quote: '<5', csrf: token });
    expect(ok.status).toBe(303);
    expect(await rows()).toEqual([]);
    expect(await (await app.request('/waves/2024/foi/coding', { headers: { cookie } })).text()).toContain(
      'Nothing to code in wave 2024.',
    );
    // A row no longer waiting: said so, nothing recorded.
    const gone = await post(CODE, { key: uncoded.key, low: '1', csrf: token });
    expect(gone.status).toBe(400);
    expect(await gone.text()).toContain('no longer waits');
  });

  it('corrects a value that feeds the report, with a reason, through census correct, recorded under the name', async () => {
    const page = await (await app.request('/waves/2024/foi/corrections?trust=RWX', { headers: { cookie } })).text();
    const v = (
      await t.pool.query(
        "select value_id from report_foi_value where trust_ods = 'RWX' and question_id = 'q2_referrals_under2' and period_id = 'fy2022_23'",
      )
    ).rows[0]!;
    expect(page).toContain(`name="value" value="${v.value_id}"`);
    const path = '/waves/2024/foi/corrections/correct';
    // No reason: the rule of census correct, nothing changed.
    const bad = await post(path, { value: String(v.value_id), low: '17', reason: ' ', trust: 'RWX', csrf: token });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('reason');
    expect(await figure('q2_referrals_under2', 'fy2022_23')).toEqual([[16, 16]]);
    const ok = await post(path, {
      value: String(v.value_id),
      low: '17',
      high: '',
      reason: 'the table total, not the row, was read',
      trust: 'RWX',
      csrf: token,
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/waves/2024/foi/corrections?trust=RWX&corrected=${v.value_id}`);
    expect(await figure('q2_referrals_under2', 'fy2022_23')).toEqual([[17, 17]]);
    const audit = await t.pool.query("select actor from audit_log where action like '%correct%'");
    expect(audit.rows).toEqual([{ actor: 'Ada Lovelace' }]);
    const after = await (await app.request(ok.headers.get('location')!, { headers: { cookie } })).text();
    expect(after).toContain(`Value ${v.value_id} corrected`);
    expect(after).toContain('17 to 17');
  });
  it('refuses a correction the rule of census correct refuses on the form itself, in plain words, keeping what was typed', async () => {
    const v = (
      await t.pool.query(
        "select value_id from report_foi_value where trust_ods = 'RWX' and question_id = 'q2_referrals_under2' and period_id = 'fy2022_23'",
      )
    ).rows[0]!;
    const path = '/waves/2024/foi/corrections/correct';
    const before = await figure('q2_referrals_under2', 'fy2022_23');
    const sent = { value: String(v.value_id), trust: 'RWX', csrf: token };
    // High below low: the corrections page again, the problem on the High field and in the summary.
    const reversed = await post(path, { ...sent, low: '20', high: '12', reason: 'the letter of 2 May' });
    expect(reversed.status).toBe(400);
    const html = await reversed.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain(
      `href="#value-${v.value_id}-high">High must be a whole number not below Low (20), or &quot;open&quot;.`,
    );
    expect(html).toContain(`id="value-${v.value_id}-high-error"`);
    expect(html).toContain(
      `id="value-${v.value_id}-low" name="low" type="text" inputmode="numeric" spellcheck="false" value="20"`,
    );
    expect(html).toContain('value="the letter of 2 May"');
    expect(html).not.toContain('--high must');
    // Out of range, not a number, and a blank reason: every problem at once, none a server error.
    const many = await post(path, { ...sent, low: '9007199254740993', high: 'lots', reason: ' ' });
    expect(many.status).toBe(400);
    const all = await many.text();
    expect(all).toContain('Low is too large: counts above 9007199254740991 cannot be kept exactly.');
    expect(all).toContain('High must be a whole number, or &quot;open&quot;.');
    expect(all).toContain('Reason must be a reason in words');
    expect(await figure('q2_referrals_under2', 'fy2022_23')).toEqual(before);
    const n = await t.pool.query('select count(*)::int as n from correction');
    expect(n.rows[0].n).toBe(1);
  });
  it('lists a count coded missing (not held) among the values to correct, and a correction gives it a number', async () => {
    const v = (
      await t.pool.query(
        "select value_id, missing_reason from report_foi_value where trust_ods = 'RWX' and question_id = 'q3_accepted_under2' and period_id = 'fy2021_22'",
      )
    ).rows[0]!;
    expect(v.missing_reason).toBe('not_held');
    const page = await (await app.request('/waves/2024/foi/corrections?trust=RWX', { headers: { cookie } })).text();
    expect(page).toContain(`name="value" value="${v.value_id}"`);
    expect(page).toContain('q3_accepted_under2, 2021/22 (accepted): missing (not_held)');
    const ok = await post('/waves/2024/foi/corrections/correct', {
      value: String(v.value_id),
      low: '4',
      reason: 'the letter of 2 May gives 4',
      trust: 'RWX',
      csrf: token,
    });
    expect(ok.status).toBe(303);
    const after = await t.pool.query(
      "select low::int, high::int, missing_reason from report_foi_value where trust_ods = 'RWX' and question_id = 'q3_accepted_under2' and period_id = 'fy2021_22'",
    );
    expect(after.rows).toEqual([{ low: 4, high: 4, missing_reason: null }]);
  });
});
