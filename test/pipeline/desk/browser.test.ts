import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type RunningDesk } from '../../../pipeline/desk/server.ts';
import { codingRows } from '../../../pipeline/foi/coding-rows.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { listUnmatched } from '../../../pipeline/foi/unmatched.ts';
import { foiWave } from '../../../pipeline/foi/wave.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/**
 * The desk's writing queues in Debian's Chromium, without JavaScript as a person without it would use
 * them: give the name, match an unmatched reply with its candidate's button, confirm a suggestion, correct a figure;
 * axe-core (injected past the CSP as a test tool) finds no violation on each page.
 */
const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing on CI: install it with apt-get install -y chromium`);

describe.skipIf(missing)('the writing queues in Chromium', { timeout: 180_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  let desk: RunningDesk;

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t, { now: '2024-05-01T09:00:00Z' });
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const r = fullReply();
    r.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      rule: 'prose',
      evidence: 'FY22 4,092 25 22 5 64 14',
      suggestion: 'the line holds 6 numbers for 1 period',
      quote: 'FY22 4,092 25 22 5 64 14',
    });
    await ingest(
      {
        paths: [
          writeReplies({
            weak: reply({ ...r, trustHint: { ods: 'RWX' } }),
            nobody: reply({ ...fullReply(), trustHint: { emailDomain: 'mystery.example' } }),
          }),
        ],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders }),
        command: 'test',
      },
      ctx,
    );
    desk = await startDesk({ ctx: () => ({ ...ctx }), workspace: ctx.workspace, port: 0, log: ctx.log });
  });
  afterAll(async () => {
    await desk?.close();
    await t.drop();
  });

  it('gives the name, matches a reply, confirms a suggestion and corrects a figure by clicking, with no axe-core violation', async () => {
    const { chromium } = await import('playwright-core');
    const axe = (await import('axe-core')).default;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const base = desk.url.replace(/\/$/, '');
      // No JavaScript for the walk (every form is a plain form); axe runs in a second context.
      const walk = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      const checker = await (await browser.newContext({ bypassCSP: true })).newPage();
      const check = async (path: string) => {
        const res = await checker.goto(`${base}${path}`, { waitUntil: 'load' });
        expect(res?.status(), path).toBe(200);
        await checker.evaluate(axe.source);
        const result = await checker.evaluate(() =>
          (
            window as unknown as {
              axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
            }
          ).axe.run(),
        );
        expect(
          result.violations.map((v) => `${v.id} (${v.nodes.length})`),
          path,
        ).toEqual([]);
      };
      for (const path of [
        '/name',
        '/waves/2024/foi/unmatched',
        '/waves/2024/foi/coding',
        '/waves/2024/foi/corrections?trust=RWX',
      ])
        await check(path);

      const [waiting] = await listUnmatched(2024, ctx);
      const trust = waiting!.candidates[0]!.ods;
      await walk.goto(`${base}/waves/2024/foi/unmatched`);
      await walk.getByRole('link', { name: 'give your name' }).click();
      await walk.getByLabel('What is your name?').fill('Rowan Reviewer');
      await walk.getByRole('button', { name: 'Continue' }).click();
      expect(walk.url()).toBe(`${base}/waves/2024/foi/unmatched`);
      await expect(walk.locator('header').innerText()).resolves.toContain('Changes recorded as Rowan Reviewer');
      await walk.getByRole('button', { name: `Match to ${trust}` }).click();
      await expect(walk.locator('.govuk-notification-banner').innerText()).resolves.toContain(`is matched to ${trust}`);
      expect(await listUnmatched(2024, ctx)).toEqual([]);
      await check(new URL(walk.url()).pathname + new URL(walk.url()).search);

      await walk.goto(`${base}/waves/2024/foi/coding`);
      await walk.getByRole('button', { name: 'Confirm the suggestion' }).click();
      await expect(walk.locator('.govuk-notification-banner').innerText()).resolves.toContain('Recorded 1 value(s)');
      const left = await codingRows(2024, foiWave(2024, ctx.workspace.wavesDir), ctx);
      expect(left.filter((r) => r.reason === 'suggestion')).toEqual([]);
      const coded = await t.pool.query("select coded_by from foi_value where method = 'coded'");
      expect(coded.rows).toEqual([{ coded_by: 'Rowan Reviewer' }]);

      // Correct the figure just confirmed, with a reason.
      const v = (
        await t.pool.query(
          "select value_id from report_foi_value where trust_ods = 'RWX' and question_id = 'q2_referrals_under2' and period_id = 'fy2021_22'",
        )
      ).rows[0]!;
      await walk.goto(`${base}/waves/2024/foi/corrections?trust=RWX`);
      await walk.locator(`#value-${v.value_id}-low`).fill('24');
      await walk.locator(`#value-${v.value_id}-reason`).fill('the second number of the line is the count');
      await walk.locator(`form:has(#value-${v.value_id}-low) button`).click();
      await expect(walk.locator('.govuk-notification-banner').innerText()).resolves.toContain(
        `Value ${v.value_id} corrected`,
      );
      const figure = await t.pool.query(
        "select low::int, high::int from report_foi_value where trust_ods = 'RWX' and question_id = 'q2_referrals_under2' and period_id = 'fy2021_22'",
      );
      expect(figure.rows).toEqual([{ low: 24, high: 24 }]);
      await check(new URL(walk.url()).pathname + new URL(walk.url()).search);

      // The value's source page: its quote, the quoted lines, and the correction with its reason and name.
      await walk.goto(`${base}/waves/2024/foi/values/${v.value_id}`);
      const source = await walk.locator('main').innerText();
      expect(source).toContain('FY22 4,092 25 22 5 64 14');
      expect(source).toContain('the second number of the line is the count');
      expect(source).toContain('Rowan Reviewer');
      await check(`/waves/2024/foi/values/${v.value_id}`);
      await check('/waves/2024/issues');
    } finally {
      await browser.close();
    }
  });
  it('finds no axe-core violation on the error pages either: 404, a 403 CSRF refusal, a refused name, a refused correction, and on the matched replies', async () => {
    const { chromium } = await import('playwright-core');
    const axe = (await import('axe-core')).default;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const base = desk.url.replace(/\/$/, '');
      const page = await (await browser.newContext({ bypassCSP: true })).newPage();
      const violations = async (what: string) => {
        await page.evaluate(axe.source);
        const result = await page.evaluate(() =>
          (
            window as unknown as {
              axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
            }
          ).axe.run(),
        );
        expect(
          result.violations.map((v) => `${v.id} (${v.nodes.length})`),
          what,
        ).toEqual([]);
      };
      /** Sends the form holding `selector` with its fields set to `values` (by name), and returns the answer's status. */
      const send = async (selector: string, values: Record<string, string>) => {
        const form = page.locator(`form:has(${selector})`).first();
        const [res] = await Promise.all([
          page.waitForNavigation(),
          form.evaluate((f, vals) => {
            for (const [name, v] of Object.entries(vals))
              (f.querySelector(`[name="${name}"]`) as HTMLInputElement).value = v;
            (f as HTMLFormElement).submit();
          }, values),
        ]);
        return res?.status();
      };
      // 404: no such page, and a wave that is not a year.
      for (const path of ['/no-such-page', '/waves/20x4']) {
        expect((await page.goto(`${base}${path}`))?.status(), path).toBe(404);
        await violations(path);
      }
      // 400: a status date that is not a day, shown on the dashboard's form.
      expect((await page.goto(`${base}/waves/2024?as-of=2024-02-30`))?.status()).toBe(400);
      await violations('400 status date refused');
      // 403: a form sent without its token (as from another page).
      await page.goto(`${base}/name`);
      expect(await send('#name', { csrf: '', name: 'Someone' })).toBe(403);
      expect(await page.locator('h1').innerText()).toBe('The form has expired');
      await violations('403 without a CSRF token');
      // 400: a name that says nothing, shown on its form.
      await page.goto(`${base}/name`);
      expect(await send('#name', { name: '...' })).toBe(400);
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await violations('400 name refused');
      await page.goto(`${base}/name`);
      expect(await send('#name', { name: 'Axe Checker' })).toBe(200);
      // 400: a correction whose high is below its low, shown on the corrections form.
      const v = await ctx.db
        .selectFrom('report_foi_value')
        .select('value_id')
        .where('wave', '=', 2024)
        .where('low', 'is not', null)
        .orderBy('value_id')
        .executeTakeFirstOrThrow();
      const trust = (
        await ctx.db
          .selectFrom('report_foi_value')
          .select('trust_ods')
          .where('value_id', '=', v.value_id)
          .executeTakeFirstOrThrow()
      ).trust_ods;
      await page.goto(`${base}/waves/2024/foi/corrections?trust=${trust}`);
      expect(await send(`#value-${v.value_id}-low`, { low: '9', high: '3', reason: 'letter of 2 May' })).toBe(400);
      expect(await page.locator('.govuk-error-message').count()).toBe(1);
      await violations('400 correction refused');
      expect((await page.goto(`${base}/waves/2024/foi/matched`))?.status()).toBe(200);
      await violations('/waves/2024/foi/matched');
    } finally {
      await browser.close();
    }
  });
});
