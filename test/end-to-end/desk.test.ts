import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { CENSUS_BIN, runCensus, type CliResult } from '../support/cli.ts';
import { teamAnswers, writeReturn } from '../support/returns.ts';

/**
 * The review desk as a user runs it: `census serve` on a workspace with its own embedded PostgreSQL,
 * each page opened in Debian's Chromium and checked with axe-core, a `census ingest` run while the
 * desk is open (the desk keeps the shared server up and shows the new return on the next load), and
 * Ctrl-C stopping desk and server.
 */
const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing on CI: install it with apt-get install -y chromium`);

// The workspace's own embedded server, whatever DATABASE_URL the test run has.
const ENV = { DATABASE_URL: undefined, CENSUS_WORKSPACE: undefined };

describe.skipIf(missing)('the review desk in Chromium', { timeout: 300_000 }, () => {
  let ws: string;
  let inbox: string;
  let desk: ChildProcess | undefined;
  let deskDone: Promise<CliResult>;
  let base = '';
  const census = async (args: string[]) => {
    const r = await runCensus([...args, '--workspace', ws], { cwd: ws, env: ENV });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1);
    return r;
  };

  beforeAll(async () => {
    ws = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
    inbox = join(ws, 'inbox');
    await writeSample2025(loadQuestionList(2025), inbox);
    await census(['init']);
    await census(['ingest', inbox, '--wave', '2025']);
    await census(['foi', 'send', '--wave', '2024', '--sent', '2024-03-11']);
    await census(['report', '--wave', '2025', '--out', join(ws, 'reports', '2025')]);
    let out = '';
    deskDone = runCensus(['serve', '--workspace', ws, '--port', '0'], {
      cwd: ws,
      env: ENV,
      onSpawn: (p) => {
        desk = p;
        p.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
        });
      },
    });
    const until = Date.now() + 120_000;
    while (!/Review desk at (http:\/\/127\.0\.0\.1:\d+)\//.test(out)) {
      if (Date.now() > until) throw new Error(`census serve did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    base = /Review desk at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
  }, 300_000);
  afterAll(async () => {
    if (desk && desk.exitCode === null) desk.kill('SIGINT');
    await deskDone;
  });

  const PAGES = [
    '/',
    '/waves/2025',
    '/waves/2024',
    '/waves/2025/issues',
    '/waves/2024/foi/unmatched',
    '/waves/2024/foi/matched',
    '/reports',
  ];

  it('opens every page with no console error, no request elsewhere and no axe-core violation', async () => {
    const { chromium } = await import('playwright-core');
    const axe = (await import('axe-core')).default;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      // CSP forbids every script: axe is injected past it, as a test tool only.
      const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      page.on('request', (r) => {
        if (!r.url().startsWith(base)) problems.push(`request elsewhere: ${r.url()}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
      });
      for (const path of PAGES) {
        const res = await page.goto(`${base}${path}`, { waitUntil: 'load' });
        expect(res?.status(), path).toBe(200);
        expect(await page.locator('h1').count(), path).toBe(1);
        // The stylesheet applied: govuk-frontend's header is laid out (not the browser's default).
        const header = await page.locator('header.govuk-header').evaluate((e) => getComputedStyle(e).backgroundColor);
        expect(header, path).not.toBe('rgba(0, 0, 0, 0)');
        await page.evaluate(axe.source);
        const result = await page.evaluate(() =>
          (
            window as unknown as {
              axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[]; passes: unknown[] }> };
            }
          ).axe.run(),
        );
        expect(result.passes.length, `axe checked ${path}`).toBeGreaterThan(0);
        expect(
          result.violations.map((v) => `${v.id} (${v.nodes.length})`),
          path,
        ).toEqual([]);
      }
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('works without JavaScript: the forms are plain GET and POST forms', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(`${base}/`);
      await page.fill('#wave', '2024');
      await page.click('button:has-text("Open")');
      expect(page.url()).toBe(`${base}/waves/2024`);
      await page.fill('#as-of', '2024-04-30');
      await page.click('button:has-text("Show")');
      expect(await page.locator('caption', { hasText: 'Requests as of 2024-04-30' }).count()).toBe(1);
      await page.goto(`${base}/reports`);
      await page.click('button:has-text("Verify")');
      expect(await page.locator('h1').textContent()).toBe('Verify 2025');
      expect(await page.locator('text=All').first().textContent()).toMatch(/files rebuild byte for byte/);
    } finally {
      await browser.close();
    }
  });

  it('keeps the shared database server up, and shows a return ingested by the CLI on the next load', async () => {
    const before = await (await fetch(`${base}/waves/2025`)).text();
    expect(before).not.toContain('Late Team');
    const late = join(ws, 'late');
    await writeReturn(
      late,
      'late.xlsx',
      loadQuestionList(2025),
      teamAnswers('Late Team', 'Late Trust', 'x@example.org'),
    );
    await census(['ingest', late, '--wave', '2025']);
    // The ingest dropped its lease: the desk's is still held, so the server must still be there.
    const after = await fetch(`${base}/waves/2025`);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Late Team');
  });

  it('refuses to listen on another address without a password; once one is set, asks for it there', async () => {
    const refused = await runCensus(['serve', '--workspace', ws, '--host', '0.0.0.0', '--port', '0'], {
      cwd: ws,
      env: ENV,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('only once a password is set');
    expect(refused.stdout).not.toContain('Review desk at');

    const password = 'a long enough desk password';
    const set = spawnSync(CENSUS_BIN, ['serve', '--set-password', '--workspace', ws], {
      input: `${password}\n`,
      env: { ...process.env, DATABASE_URL: '', CENSUS_WORKSPACE: '' },
      encoding: 'utf8',
    });
    expect(set.status, set.stderr).toBe(0);
    let open: ChildProcess | undefined;
    let out = '';
    const done = runCensus(['serve', '--workspace', ws, '--host', '0.0.0.0', '--port', '0'], {
      cwd: ws,
      env: ENV,
      onSpawn: (p) => {
        open = p;
        p.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
        });
      },
    });
    try {
      const until = Date.now() + 60_000;
      while (!/Review desk at http:\/\/0\.0\.0\.0:(\d+)\//.test(out)) {
        if (Date.now() > until) throw new Error(`census serve --host 0.0.0.0 did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const at = `http://127.0.0.1:${/Review desk at http:\/\/0\.0\.0\.0:(\d+)\//.exec(out)![1]!}`;
      // 0.0.0.0 opens nothing in a browser: the machine's own addresses are said (when it has any).
      const port = /Review desk at http:\/\/0\.0\.0\.0:(\d+)\//.exec(out)![1]!;
      const own = Object.values((await import('node:os')).networkInterfaces())
        .flatMap((l) => l ?? [])
        .filter((i) => i.family === 'IPv4' && !i.internal);
      if (own.length) {
        const said = `Open it from another computer at http://${own.map((i) => i.address).sort()[0]}:${port}/`;
        while (!out.includes(said) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        expect(out).toContain(said);
      }
      // Every page asks for the password first, and a wrong one is refused.
      const first = await fetch(`${at}/waves/2025`, { redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/login');
      const form = await fetch(`${at}/login`);
      const cookie = form.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const token = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signIn = (p: string) =>
        fetch(`${at}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf: token, password: p }).toString(),
        });
      expect((await signIn('not the password')).status).toBe(401);
      const ok = await signIn(password);
      expect(ok.status).toBe(303);
      const session = ok.headers.getSetCookie().find((c) => c.startsWith('desk_session='))!;
      expect(session).toMatch(/HttpOnly/i);
      expect(session).toMatch(/SameSite=Strict/i);
      const page = await fetch(`${at}/waves/2025`, { headers: { cookie: session.split(';')[0]! } });
      expect(page.status).toBe(200);
      // The sign-in page, with and without its error, in Chromium: no axe-core violation.
      const { chromium } = await import('playwright-core');
      const axe = (await import('axe-core')).default;
      const browser = await chromium.launch({ executablePath: CHROMIUM });
      try {
        const tab = await (await browser.newContext({ bypassCSP: true })).newPage();
        for (const attempt of [null, 'wrong password']) {
          await tab.goto(`${at}/login`);
          if (attempt !== null) {
            await tab.getByLabel('Desk password').fill(attempt);
            await tab.getByRole('button', { name: 'Sign in' }).click();
            await expect(tab.locator('.govuk-error-summary').count()).resolves.toBe(1);
          }
          await tab.evaluate(axe.source);
          const result = await tab.evaluate(() =>
            (
              window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
            ).axe.run(),
          );
          expect(
            result.violations.map((v) => `${v.id} (${v.nodes.length})`),
            `sign-in ${attempt ?? ''}`,
          ).toEqual([]);
        }
      } finally {
        await browser.close();
      }
    } finally {
      open?.kill('SIGINT');
      expect((await done).code).toBe(130);
      rmSync(join(ws, '.census', 'desk-password.json'), { force: true });
    }
  });

  it('refuses a host other than its own name, and stops with the database server on Ctrl-C', async () => {
    const port = new URL(base).port;
    // fetch() sets Host itself: a raw request names another host, as a rebound DNS name would.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(`${base}/`, { headers: { host: `attacker.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(421);
    desk!.kill('SIGINT');
    const done = await deskDone;
    expect(done.code).toBe(130);
    const leases = join(ws, '.census', 'pg', 'leases');
    expect(existsSync(leases) ? readdirSync(leases) : []).toEqual([]);
    expect(existsSync(join(ws, '.census', 'pg', 'pgdata', 'postmaster.pid'))).toBe(false);
  });
});
