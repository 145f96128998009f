import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { startDesk } from '../../../pipeline/desk/server.ts';
import { acquireWriteLock } from '../../../pipeline/db/lock.ts';
import {
  checkHostRule,
  checkPassword,
  passwordFile,
  readPassword,
  SECURITY_HEADERS,
  SESSION_IDLE_MS,
  setPassword,
} from '../../../pipeline/desk/security.ts';
import { listIssues } from '../../../pipeline/db/issue-rows.ts';
import { listReturns } from '../../../pipeline/returns/list.ts';
import { missingTeams } from '../../../pipeline/returns/network.ts';
import { chaseList, requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { listUnmatched } from '../../../pipeline/foi/unmatched.ts';
import { codingRows } from '../../../pipeline/foi/coding-rows.ts';
import { foiWave } from '../../../pipeline/foi/wave.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { renderReport, writeReport } from '../../../pipeline/report/build.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

/** Personal data put into the fixtures: none of it may reach any page. */
const CANARIES = ['holly.person', 'ivy.secret', 'Respondent holly', 'Respondent ivy', 'CANARY-COMMENT', 'jane.doe'];

const list = loadQuestionList(2025);

describe('the review desk app', { timeout: 120_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  let inbox: string;
  let app: ReturnType<typeof deskApp>;
  const get = (path: string, init?: RequestInit) => app.request(path, init);
  const text = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  /** The CSRF cookie and token a GET hands out, for a form post. */
  const csrfOf = async (path: string): Promise<{ cookie: string; token: string }> => {
    const res = await get(path);
    const token = /desk_csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    expect(await res.text()).toContain(`name="csrf" value="${token}"`);
    return { cookie: `desk_csrf=${token}`, token };
  };
  const post = (path: string, form: Record<string, string>, cookie?: string) =>
    get(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    });

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t, { now: '2024-06-30T09:00:00Z' });
    inbox = mkdtempSync(join(tmpdir(), 'desk-inbox-'));
    await writeReturn(
      inbox,
      'holly.xlsx',
      list,
      teamAnswers('Holly Team', 'Holly Trust', 'holly.person@example.org', { comments: 'CANARY-COMMENT one' }),
      '2025-05-01',
    );
    await writeReturn(
      inbox,
      'ivy.xlsx',
      list,
      teamAnswers('Ivy Team', 'Ivy Trust', 'ivy.secret@example.org', { families_supported: 'lots' }),
      '2025-05-02',
    );
    await ingest({ paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' }, ctx);
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const replies = writeReplies({
      oxleas: reply({ ...fullReply(), trustHint: { ods: 'RPG' } }),
      nobody: reply({
        ...fullReply(),
        trustHint: { emailDomain: 'mystery.example', from: 'jane.doe@mystery.example', refText: 'Dear jane.doe' },
      }),
    });
    await ingest(
      { paths: [replies], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx,
    );
    writeReport(
      join(ctx.workspace.reportsDir, '2025'),
      await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx),
    );
    app = deskApp({ ctx: () => ({ ...ctx }) });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('lists the waves the workspace holds', async () => {
    const html = await text('/');
    expect(html).toContain('href="/waves/2025"');
    expect(html).toContain('href="/waves/2024"');
  });

  it("shows a wave's returns by state, with the team list and the issues count, and no personal data", async () => {
    const html = await text('/waves/2025');
    expect(html).toContain('Holly Team');
    expect(html).toContain('Ivy Team');
    const returns = await listReturns(ctx.db, 2025);
    const value = (key: string, n: number) =>
      expect(html).toContain(`${key}</dt><dd class="govuk-summary-list__value">${n}<`);
    value('Returns received', returns.length);
    value('Loaded (counted)', returns.filter((r) => r.state === 'loaded').length);
    for (const state of ['superseded', 'conflict', 'rejected'])
      value(`Kept out: ${state}`, returns.filter((r) => r.state === state).length);
    for (const r of returns) expect(html).toContain(`">${r.state}</strong>`);
    const errors = (await listIssues(ctx.db, 2025, 'error')).length;
    expect(errors).toBeGreaterThan(0);
    expect(html).toContain(`${errors} errors`);
    for (const c of CANARIES) expect(html).not.toContain(c);
  });

  it('lists the teams of the network with no loaded return', async () => {
    const missing = await missingTeams(ctx.db, 2026);
    expect(missing.map((m) => m.name)).toContain('Holly Team');
    const html = await text('/waves/2026');
    expect(html).toContain(`Teams with no loaded return (${missing.length})`);
    for (const m of missing) expect(html).toContain(`<td class="govuk-table__cell">${m.name}</td>`);
  });

  it('shows the FOI register with due dates, the chase list and replies in time, as census foi status computes them', async () => {
    const lines = await requestStatuses({ wave: 2024, asOf: '2024-06-30' }, ctx);
    const chase = await chaseList({ wave: 2024, asOf: '2024-06-30' }, ctx);
    expect(chase.length).toBeGreaterThan(0);
    const html = await text('/waves/2024?as-of=2024-06-30');
    expect(html).toContain(`Chase list as of 2024-06-30 (${chase.length})`);
    const rpg = lines.find((l) => l.request.ods === 'RPG')!;
    expect(rpg.status.firstReply).not.toBeNull();
    expect(html).toContain(`<td class="govuk-table__cell">${rpg.status.due!.due}</td>`);
    expect(html).toMatch(new RegExp(`Replied</dt><dd class="govuk-summary-list__value">1 of ${lines.length}<`));
    for (const c of CANARIES) expect(html).not.toContain(c);
  });

  it('takes the status date from the query, and refuses a date that is not ISO', async () => {
    expect(await text('/waves/2024?as-of=2024-03-20')).toContain('Requests as of 2024-03-20');
    const res = await get('/waves/2024?as-of=20%2F03%2F2024');
    expect(res.status).toBe(400);
    const html = await res.text();
    // On the form itself, with what was typed; the page below as of today; not the CLI's "--flag" hint.
    expect(html).toContain(
      '<a href="#as-of">&quot;20/03/2024&quot; is not a date: give one as YYYY-MM-DD, e.g. 2024-03-11.</a>',
    );
    expect(html).toContain('id="as-of-error"');
    expect(html).toContain('value="20/03/2024"');
    expect(html).toContain('Requests as of 2024-06-30');
    expect(html).not.toContain('Pass e.g.');
    // A day that does not exist is refused the same way.
    expect((await get('/waves/2024?as-of=2024-02-30')).status).toBe(400);
  });

  it('lists the issues by file with code, severity, location and message, filtered by file and severity', async () => {
    const issues = await listIssues(ctx.db, 2025);
    const html = await text('/waves/2025/issues');
    for (const i of issues) {
      expect(html).toContain(i.code);
      expect(html).toContain(i.location);
    }
    const ivy = issues.find((i) => i.file === 'ivy.xlsx' && i.severity === 'error')!;
    const only = await text(`/waves/2025/issues?file=${ivy.sha256!.slice(0, 16)}`);
    expect(only).toContain('ivy.xlsx');
    expect(only).not.toContain('holly.xlsx');
    const errorsOnly = await text('/waves/2025/issues?severity=error');
    expect(errorsOnly).toContain(`${issues.filter((i) => i.severity === 'error').length} issue(s) of severity error`);
    for (const c of CANARIES) expect(html).not.toContain(c);
  });

  it('lists the unmatched FOI replies with what they say about the trust, never the sender', async () => {
    const rows = await listUnmatched(2024, ctx);
    expect(rows.map((r) => r.file)).toEqual(['nobody.txt']);
    const html = await text('/waves/2024/foi/unmatched');
    expect(html).toContain('nobody.txt');
    expect(html).toContain(rows[0]!.sha256.slice(0, 12));
    expect(html).toContain('mystery.example');
    // Why it waits: what the ingest said of it (its foi_reply_unmatched issue), without the advice.
    const said = await t.pool.query(
      "select message from data_issue where code = 'foi_reply_unmatched' and sha256 = $1",
      [rows[0]!.sha256],
    );
    expect(rows[0]!.why).toBe(said.rows[0].message.replace(/;\s*it waits in the unmatched queue.*$/s, '.'));
    expect(rows[0]!.why).not.toContain('it waits');
    expect(html).toContain(rows[0]!.why.slice(0, 40));
    expect(html).not.toContain('oxleas.txt');
    for (const c of CANARIES) expect(html).not.toContain(c);
  });

  it('shows what a CLI ingest made while the desk is open on the next page load', async () => {
    expect(await text('/waves/2025')).not.toContain('Juniper Team');
    await writeReturn(
      inbox,
      'juniper.xlsx',
      list,
      teamAnswers('Juniper Team', 'J Trust', 'j@example.org'),
      '2025-05-03',
    );
    await ingest({ paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' }, ctx);
    expect(await text('/waves/2025')).toContain('Juniper Team');
  });

  it('lists the report builds, notices a changed file, and verifies a build on a form with a CSRF token', async () => {
    const before = await text('/reports');
    expect(before).toMatch(/<td class="govuk-table__cell">2025<\/td>/);
    expect(before).toContain('unchanged');
    const { cookie, token } = await csrfOf('/reports');
    const refused = await post('/reports/verify', { build: '2025' }, cookie);
    expect(refused.status).toBe(403);
    const wrong = await post('/reports/verify', { build: '2025', csrf: `${token.slice(1)}x` }, cookie);
    expect(wrong.status).toBe(403);
    // The database changed since the build (one more return): verify names the files that differ.
    const res = await post('/reports/verify', { build: '2025', csrf: token }, cookie);
    expect(res.status).toBe(200);
    const verified = await res.text();
    expect(verified).toMatch(/files differ|All \d+ files rebuild/);
    expect(verified).toContain('manifest.json');
    appendFileSync(join(ctx.workspace.reportsDir, '2025', 'report.html'), '<!-- edited -->');
    const after = await text('/reports');
    expect(after).toContain('changed');
    expect(after).toContain('report.html');
    const unknown = await post('/reports/verify', { build: '../..', csrf: token }, cookie);
    expect(unknown.status).toBe(404);
  });

  it('sends the security headers on every page, stylesheet and error', async () => {
    for (const path of [
      '/',
      '/waves/2025',
      '/waves/2025/issues',
      '/reports',
      '/static/govuk-frontend.min.css',
      '/nope',
    ]) {
      const res = await get(path);
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(k), `${path} ${k}`).toBe(v);
    }
    expect(SECURITY_HEADERS['Content-Security-Policy']).toMatch(/default-src 'self'/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toMatch(/script-src 'none'/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).not.toMatch(/unsafe-inline/);
  });

  it('serves govuk-frontend from node_modules and no script or inline style', async () => {
    const css = await get('/static/govuk-frontend.min.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await css.text()).length).toBeGreaterThan(10_000);
    expect((await get('/assets/images/govuk-crest.svg')).status).toBe(200);
    expect((await get('/assets/images/..%2F..%2Fpackage.json')).status).toBe(404);
    for (const path of [
      '/',
      '/waves/2025',
      '/waves/2024',
      '/waves/2025/issues',
      '/waves/2024/foi/unmatched',
      '/reports',
    ]) {
      const html = await text(path);
      expect(html, path).not.toMatch(/<script|style=|<style/i);
      expect(html, path).not.toMatch(/https?:\/\//);
      // Every form that posts carries the CSRF token.
      const posts = html.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
      for (const f of posts) expect(f, path).toMatch(/<input type="hidden" name="csrf" value="[A-Za-z0-9_-]{43}">/);
    }
  });

  it('answers a page that does not exist or a wave that is not a year with 404', async () => {
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/waves/abc')).status).toBe(404);
    expect((await get('/wave?wave=2025')).headers.get('location')).toBe('/waves/2025');
  });

  it('refuses requests naming another host when limited to its own names', async () => {
    const guarded = deskApp({ ctx: () => ({ ...ctx }), allowedHost: (h) => h === '127.0.0.1:9999' });
    expect((await guarded.request('/', { headers: { host: 'attacker.example' } })).status).toBe(421);
    expect((await guarded.request('/', { headers: { host: '127.0.0.1:9999' } })).status).toBe(200);
  });

  it('refuses a form sent from another site even with a token', async () => {
    const { cookie, token } = await csrfOf('/reports');
    const res = await get('/reports/verify', {
      method: 'POST',
      body: new URLSearchParams({ build: '2025', csrf: token }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        host: '127.0.0.1:8040',
        origin: 'http://attacker.example',
      },
    });
    expect(res.status).toBe(403);
  });

  it('asks the name once per session, refuses one that says nothing, and shows it on every page after', async () => {
    const { cookie, token } = await csrfOf('/name?next=%2Fwaves%2F2024%2Ffoi%2Funmatched');
    expect(await text('/waves/2024/foi/unmatched')).toContain('give your name');
    for (const blank of ['', '   ', '...', '\u200b']) {
      const res = await post('/name', { name: blank, next: '/waves/2024', csrf: token }, cookie);
      expect(res.status, JSON.stringify(blank)).toBe(400);
      // The message of the rule census commands apply to --by.
      const html = await res.text();
      expect(html).toContain('must be the name of a person');
      expect(html).toContain('govuk-error-summary');
    }
    expect((await post('/name', { name: 'Rowan Reviewer' }, cookie)).status).toBe(403);
    const ok = await post(
      '/name',
      { name: '  Rowan Reviewer ', next: '/waves/2024/foi/unmatched', csrf: token },
      cookie,
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/waves/2024/foi/unmatched');
    const page = await (await get('/waves/2024', { headers: { cookie } })).text();
    expect(page).toContain('Changes recorded as Rowan Reviewer');
    // Another browser (another token) has no name yet.
    expect(await text('/waves/2024')).not.toContain('Rowan Reviewer');
    // Only paths of the desk are gone back to.
    const away = await post('/name', { name: 'Rowan Reviewer', next: '//attacker.example/x', csrf: token }, cookie);
    expect(away.headers.get('location')).toBe('/');
  });

  it('shows each unmatched reply with its candidate trusts and why, with a match button per candidate', async () => {
    const [row] = await listUnmatched(2024, ctx);
    expect(row!.candidates.length).toBeGreaterThan(0);
    const html = await text('/waves/2024/foi/unmatched');
    for (const c of row!.candidates.slice(0, 5)) {
      expect(html).toContain(`name="trust" value="${c.ods}"`);
      expect(html).toContain(c.why);
    }
    expect(html).toContain(`name="file" value="${row!.sha256}"`);
    for (const c of CANARIES) expect(html).not.toContain(c);
  });

  it('matches a reply in one click through census foi match, under the write lock, recorded under the name', async () => {
    const [row] = await listUnmatched(2024, ctx);
    const trust = row!.candidates[0]!.ods;
    const { cookie, token } = await csrfOf('/waves/2024/foi/unmatched');
    const path = '/waves/2024/foi/unmatched/match';
    // No token: refused.
    expect((await post(path, { file: row!.sha256, trust }, cookie)).status).toBe(403);
    // No name yet: asked for it, then sent back to the queue.
    const ask = await post(path, { file: row!.sha256, trust, csrf: token }, cookie);
    expect(ask.status).toBe(303);
    expect(ask.headers.get('location')).toBe('/name?next=%2Fwaves%2F2024%2Ffoi%2Funmatched');
    await post('/name', { name: 'Rowan Reviewer', next: '/', csrf: token }, cookie);
    // A trust that is not in the list: the domain function's own message.
    const bad = await post(path, { file: row!.sha256, trust: 'ZZZ', csrf: token }, cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('ZZZ is not an ODS code in the trust list');
    // Another command holds the write lock: nothing changes, the person is told to try again.
    const held = await acquireWriteLock(t.pool, { wait: false, log: ctx.log, what: 'test' });
    try {
      const busy = await post(path, { file: row!.sha256, trust, csrf: token }, cookie);
      expect(busy.status).toBe(409);
      expect(await busy.text()).toContain('Another change is being made');
    } finally {
      await held.release();
    }
    expect((await listUnmatched(2024, ctx)).map((r) => r.sha256)).toContain(row!.sha256);
    const res = await post(path, { file: row!.sha256, trust, csrf: token }, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/waves/2024/foi/unmatched?matched=${row!.sha256}`);
    expect((await listUnmatched(2024, ctx)).map((r) => r.sha256)).not.toContain(row!.sha256);
    const stored = await t.pool.query(
      'select state, trust_ods, match_method, matched_by from foi_response where wave = 2024 and sha256 = $1',
      [row!.sha256],
    );
    expect(stored.rows).toEqual([
      { state: 'matched', trust_ods: trust, match_method: 'manual', matched_by: 'Rowan Reviewer' },
    ]);
    const audit = await t.pool.query("select actor, detail from audit_log where action = 'foi_match'");
    expect(audit.rows).toEqual([{ actor: 'Rowan Reviewer', detail: { sha256: row!.sha256, trust, attachments: 0 } }]);
    // The page then says it is matched, from what the database holds.
    const after = await (await get(res.headers.get('location')!, { headers: { cookie } })).text();
    expect(after).toContain(`nobody.txt (${row!.sha256.slice(0, 12)}) is matched to ${trust}`);
    expect(after).toContain('No unmatched replies in wave 2024.');
    // A 'matched' naming no matched reply shows no banner: the banner says what the database holds.
    const forged = await text(`/waves/2024/foi/unmatched?matched=${'0'.repeat(64)}`);
    expect(forged).not.toContain('is matched to');
  });

  it('matches a joint reply to several trusts typed as ODS codes, as census foi match --trust RTQ,R1A', async () => {
    const shared = writeReplies({
      shared: reply({ ...fullReply(), trustHint: { emailDomain: 'shared-office.example' } }),
    });
    await ingest(
      { paths: [shared], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx,
    );
    const row = (await listUnmatched(2024, ctx)).find((r) => r.file === 'shared.txt')!;
    expect(row).toBeDefined();
    const { cookie, token } = await csrfOf('/waves/2024/foi/unmatched');
    const page = await (await get('/waves/2024/foi/unmatched', { headers: { cookie } })).text();
    expect(page).toContain('Several trusts: a joint reply from a shared FOI office');
    await post('/name', { name: 'Rowan Reviewer', next: '/', csrf: token }, cookie);
    const path = '/waves/2024/foi/unmatched/match';
    // A code not in the trust list: refused, nothing matched.
    const bad = await post(path, { file: row.sha256, trusts: 'RTQ, ZZZ', csrf: token }, cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('ZZZ is not an ODS code in the trust list');
    expect((await listUnmatched(2024, ctx)).map((r) => r.sha256)).toContain(row.sha256);
    const res = await post(path, { file: row.sha256, trusts: 'rtq, R1A', csrf: token }, cookie);
    expect(res.status).toBe(303);
    expect((await listUnmatched(2024, ctx)).map((r) => r.sha256)).not.toContain(row.sha256);
    const stored = await t.pool.query(
      "select trust_ods, match_method, matched_by from foi_response where wave = 2024 and sha256 = $1 and state = 'matched' order by trust_ods",
      [row.sha256],
    );
    expect(stored.rows).toEqual([
      { trust_ods: 'R1A', match_method: 'manual', matched_by: 'Rowan Reviewer' },
      { trust_ods: 'RTQ', match_method: 'manual', matched_by: 'Rowan Reviewer' },
    ]);
    const after = await (await get(res.headers.get('location')!, { headers: { cookie } })).text();
    expect(after).toMatch(/shared\.txt \([0-9a-f]{12}\) is matched to R1A, [^;]+; RTQ, /);
  });

  it('offers, beside a summed count whose rows name other trusts, the joint match its suggestion names, in one click', async () => {
    const summed = fullReply();
    summed.values[0] = count('q2_referrals_under2', 'fy2021_22', 15, {
      rule: 'table_header',
      evidence: 'rows summed',
      suggestion:
        'its rows name different trusts (RWX, RT5): a joint reply? census foi match --trust RWX,RT5 gives each trust its own rows',
    });
    const dir = writeReplies({ summed: reply({ ...summed, trustHint: { ods: 'RWX' } }) });
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx,
    );
    const { cookie, token } = await csrfOf('/waves/2024/foi/coding?trust=RWX');
    await post('/name', { name: 'Rowan Reviewer', next: '/', csrf: token }, cookie);
    const page = await (await get('/waves/2024/foi/coding?trust=RWX', { headers: { cookie } })).text();
    const form = /<form method="post" action="(\/waves\/2024\/foi\/unmatched\/match)"[^>]*>(.*?)<\/form>/s.exec(page);
    expect(form, 'a joint-match form on the coding card').not.toBeNull();
    expect(form![2]).toContain('name="trusts" value="RWX,RT5"');
    expect(form![2]).toContain('Match the reply to RWX, RT5 (a joint reply)');
    const sha = /name="file" value="([0-9a-f]{64})"/.exec(form![2]!)![1]!;
    const res = await post(form![1]!, { csrf: token, file: sha, trusts: 'RWX,RT5' }, cookie);
    expect(res.status).toBe(303);
    const stored = await t.pool.query(
      "select trust_ods, match_method from foi_response where wave = 2024 and sha256 = $1 and state = 'matched' order by trust_ods",
      [sha],
    );
    expect(stored.rows).toEqual([
      { trust_ods: 'RT5', match_method: 'manual' },
      { trust_ods: 'RWX', match_method: 'manual' },
    ]);
  });

  it('opens, from a coding card, the reply as stored (a scan with nothing to quote is read there); no other file', async () => {
    const { cookie } = await csrfOf('/waves/2024/foi/coding');
    const page = await (await get('/waves/2024/foi/coding', { headers: { cookie } })).text();
    const href = /href="(\/waves\/2024\/foi\/replies\/([0-9a-f]{64}))"/.exec(page);
    expect(href, 'an "Open the reply" link on a coding card').not.toBeNull();
    const res = await get(href![1]!, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^(?:inline|attachment); filename\*=UTF-8''/);
    const stored = await t.pool.query('select original_name from file_receipt where sha256 = $1', [href![2]]);
    expect(stored.rows.length).toBeGreaterThan(0);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // Not a hash of the wave's replies (or not a hash at all): not found.
    expect((await get(`/waves/2024/foi/replies/${'0'.repeat(64)}`, { headers: { cookie } })).status).toBe(404);
    expect((await get('/waves/2024/foi/replies/..%2F..%2Fetc%2Fpasswd', { headers: { cookie } })).status).toBe(404);
  });
  it('undoes a wrong automatic match: matches the reply to another trust, then sends it back to the queue, recorded under the name and kept through a re-read', async () => {
    const oxleas = (
      await t.pool.query(
        "select sha256, trust_ods, match_method from foi_response r join file_receipt f using (sha256, wave) where r.wave = 2024 and f.original_name = 'oxleas.txt'",
      )
    ).rows[0]!;
    expect(oxleas).toMatchObject({ trust_ods: 'RPG', match_method: 'ods' });
    const feeds = async () =>
      (
        await t.pool.query(
          'select distinct v.trust_ods from report_foi_value v join foi_response r on r.id = v.response_id where r.sha256 = $1',
          [oxleas.sha256],
        )
      ).rows.map((r) => r.trust_ods as string);
    expect(await feeds()).toEqual(['RPG']);
    const { cookie, token } = await csrfOf('/waves/2024/foi/matched');
    const page = await (await get('/waves/2024/foi/matched?trust=RPG', { headers: { cookie } })).text();
    expect(page).toContain('oxleas.txt');
    expect(page).toContain('ODS code');
    expect(page).toContain(`name="file" value="${oxleas.sha256}"`);
    expect(page).toContain('Back to the queue');
    for (const c of CANARIES) expect(page).not.toContain(c);
    // A joint reply (matched above to RTQ and R1A) is one line naming both trusts.
    const joint = await text('/waves/2024/foi/matched?trust=R1A');
    expect(joint).toMatch(/shared\.txt<\/span>.*?<td class="govuk-table__cell">R1A [^<;]+; RTQ [^<]+<\/td>/s);
    await post('/name', { name: 'Sam Checker', next: '/', csrf: token }, cookie);
    const rematch = await post(
      '/waves/2024/foi/unmatched/match',
      { file: oxleas.sha256, trust: 'RXT', from: 'matched', csrf: token },
      cookie,
    );
    expect(rematch.status).toBe(303);
    expect(rematch.headers.get('location')).toBe('/waves/2024/foi/matched?trust=RXT');
    expect(await feeds()).toEqual(['RXT']);
    // Back to the queue: no token refused; then unmatched, feeding no figure, said so on the queue's page.
    const unmatch = '/waves/2024/foi/matched/unmatch';
    expect((await post(unmatch, { file: oxleas.sha256 }, cookie)).status).toBe(403);
    const back = await post(unmatch, { file: oxleas.sha256, csrf: token }, cookie);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/waves/2024/foi/unmatched?sent-back=${oxleas.sha256}`);
    expect(await feeds()).toEqual([]);
    const waiting = (await listUnmatched(2024, ctx)).find((r) => r.sha256 === oxleas.sha256);
    expect(waiting?.why).toBe('sent back to the queue by hand');
    // The trust the reply names (its ODS code) is its first candidate, not the first of the alphabet.
    expect(waiting?.candidates[0]).toEqual({ ods: 'RPG', why: 'named in the reply', score: 1 });
    const queue = await (await get(back.headers.get('location')!, { headers: { cookie } })).text();
    expect(queue).toContain(`oxleas.txt (${oxleas.sha256.slice(0, 12)}) is back in the queue`);
    const audit = await t.pool.query(
      "select action, actor, detail from audit_log where detail->>'sha256' = $1 order by id",
      [oxleas.sha256],
    );
    expect(audit.rows).toEqual([
      { action: 'foi_match', actor: 'Sam Checker', detail: { sha256: oxleas.sha256, trust: 'RXT', attachments: 0 } },
      { action: 'foi_unmatch', actor: 'Sam Checker', detail: { sha256: oxleas.sha256, was: 'RXT', attachments: 0 } },
    ]);
    // Read again (a new rule version would do this): a person's decision, so still in the queue.
    const { rereadFiles } = await import('../../../pipeline/ingest/questionnaire/reread.ts');
    await rereadFiles(ctx, 2024, [oxleas.sha256], 'test');
    expect((await listUnmatched(2024, ctx)).map((r) => r.sha256)).toContain(oxleas.sha256);
    // Twice: the domain function says it is in the queue already.
    const again = await post(unmatch, { file: oxleas.sha256, csrf: token }, cookie);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('is matched to no request already');
  });
  it('counts on the dashboard, per request and in all, the answers the coding queue holds, and says when a wave has no team network', async () => {
    const rows = await codingRows(2024, foiWave(2024, ctx.workspace.wavesDir), ctx);
    expect(rows.length).toBeGreaterThan(0);
    const byTrust = new Map<string, number>();
    for (const r of rows) if (r.trustOds) byTrust.set(r.trustOds, (byTrust.get(r.trustOds) ?? 0) + 1);
    const html = await text('/waves/2024?as-of=2024-06-30');
    expect(html).toContain(
      '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Answers to code</th>',
    );
    expect(html).toMatch(
      new RegExp(`Answers to code by hand</dt><dd class="govuk-summary-list__value">${rows.length} – `),
    );
    for (const [ods, n] of byTrust)
      expect(html).toContain(`<a class="govuk-link" href="/waves/2024/foi/coding?trust=${ods}">${n}</a>`);
    // Wave 2024 has FOI requests only: no team network, which is said, not "every team has a return".
    expect(html).toContain('No team is in the wave 2024 network yet');
    expect(html).not.toContain('Every team of the wave 2024 network has a loaded return');
    const queue = await text('/waves/2024/foi/coding');
    expect(queue).toContain(`${rows.length} answer(s) wait for a person`);
  });
});

describe('the desk password and sessions', { timeout: 60_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('starts on loopback without a password and refuses another host until one is set', async () => {
    expect(() => checkHostRule('127.0.0.1', false)).not.toThrow();
    expect(() => checkHostRule('::1', false)).not.toThrow();
    expect(() => checkHostRule('0.0.0.0', false)).toThrow(/password/);
    expect(() => checkHostRule('192.168.1.20', false)).toThrow(/password is set/);
    expect(() => checkHostRule('0.0.0.0', true)).not.toThrow();
    await expect(
      startDesk({ ctx: () => ctx, workspace: ctx.workspace, host: '0.0.0.0', port: 0, log: ctx.log }),
    ).rejects.toThrow(/password/);
  });

  it('answers on any loopback address it is told to listen on, by that address, and still refuses other host names', async () => {
    // 127.0.0.2 is loopback: no password needed, and the desk must answer at the address it prints.
    const desk = await startDesk({
      ctx: () => ctx,
      workspace: ctx.workspace,
      host: '127.0.0.2',
      port: 0,
      log: ctx.log,
    });
    try {
      expect(desk.url).toBe(`http://127.0.0.2:${desk.port}/`);
      expect((await fetch(desk.url)).status).toBe(200);
      // fetch() sets Host itself: a raw request names another host, as a rebound DNS name would.
      const other = await new Promise<number | undefined>((resolve, reject) =>
        request(desk.url, { headers: { host: `attacker.example:${desk.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
          .on('error', reject)
          .end(),
      );
      expect(other).toBe(421);
    } finally {
      await desk.close();
    }
  });

  it('stores the password as an scrypt hash in a 0600 file, and refuses a short one', async () => {
    await expect(setPassword(ctx.workspace, 'short')).rejects.toThrow(/at least 12/);
    await setPassword(ctx.workspace, 'correct horse battery');
    const file = passwordFile(ctx.workspace);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain('correct horse');
    expect(JSON.parse(stored)).toMatchObject({ algorithm: 'scrypt' });
    const rec = readPassword(ctx.workspace);
    expect(await checkPassword(rec, 'correct horse battery')).toBe(true);
    expect(await checkPassword(rec, 'correct horse batterY')).toBe(false);
  });

  it('asks for the password, then keeps a session in an HttpOnly SameSite=Strict cookie that expires', async () => {
    await setPassword(ctx.workspace, 'correct horse battery');
    let now = Date.parse('2025-01-01T09:00:00Z');
    const app = deskApp({ ctx: () => ({ ...ctx }), password: readPassword(ctx.workspace), now: () => now });
    const first = await app.request('/');
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login');
    const login = await app.request('/login');
    const token = /desk_csrf=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    const form = (password: string, csrf = token) => ({
      method: 'POST',
      body: new URLSearchParams({ password, csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `desk_csrf=${token}` },
    });
    expect((await app.request('/login', form('correct horse battery', 'forged'))).status).toBe(403);
    expect((await app.request('/login', form('wrong password here'))).status).toBe(401);
    const ok = await app.request('/login', form('correct horse battery'));
    expect(ok.status).toBe(303);
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/desk_session=[^;]+;.*HttpOnly/);
    expect(setCookie).toMatch(/desk_session=[^;]+;.*SameSite=Strict/);
    const session = /desk_session=([^;]+)/.exec(setCookie)![1]!;
    const home = await app.request('/', { headers: { cookie: `desk_session=${session}` } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Sign out');
    now += SESSION_IDLE_MS + 1;
    const expired = await app.request('/', { headers: { cookie: `desk_session=${session}` } });
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toBe('/login');
  });

  it('refuses sign-in for a while after many wrong passwords', async () => {
    await setPassword(ctx.workspace, 'correct horse battery');
    const app = deskApp({ ctx: () => ({ ...ctx }), password: readPassword(ctx.workspace) });
    const token = /desk_csrf=([^;]+)/.exec((await app.request('/login')).headers.get('set-cookie') ?? '')![1]!;
    const form = (password: string) => ({
      method: 'POST',
      body: new URLSearchParams({ password, csrf: token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `desk_csrf=${token}` },
    });
    for (let i = 0; i < 10; i++) await app.request('/login', form(`wrong ${i} password`));
    const res = await app.request('/login', form('correct horse battery'));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Too many wrong passwords');
  });

  it('hashes with a fresh salt each time', async () => {
    await setPassword(ctx.workspace, 'correct horse battery');
    const a = readPassword(ctx.workspace);
    await setPassword(ctx.workspace, 'correct horse battery');
    const b = readPassword(ctx.workspace);
    expect(a.salt).not.toBe(b.salt);
    expect(createHash('sha256').update(a.hash).digest('hex')).not.toBe(
      createHash('sha256').update(b.hash).digest('hex'),
    );
  });
});
