import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { differingFiles, manifestWithoutRenderedBytes } from '../../support/builds.ts';

/**
 * The issue's "How we will check", in Debian's Chromium without JavaScript: `census serve` (the real
 * command, on workspace A) clears every queue by hand (maps a label of a hand-made workbook, matches
 * an unmatched FOI reply to a trust, codes a count no reader could pair, corrects a figure) and builds
 * the reports from its form; the report changes as the mapping says; the same changes through the
 * command line's round trips on workspace B (`census questions unmatched` / a filled mapping
 * workbook / `census questions map`; `census foi match`; `census foi coding-sheet` / the filled sheet
 * / `census foi coding-sheet load`; `census correct`, then `census report`) give byte-identical
 * reports. axe-core finds no violation on the pages walked (issues with evidence previews, labels to
 * map, the FOI queues, report builds, a build's figures, a figure's trail, an answer's source).
 */
const CHROMIUM = '/usr/bin/chromium';
const CENSUS = join(import.meta.dirname, '..', '..', '..', 'bin', 'census');
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing on CI: install it with apt-get install -y chromium`);

const LABEL = 'Headcount of the team in FTE';
const BY = 'Rowan Reviewer';
const WHY = "the trust's letter of 2 May gives 26";

/**
 * An FOI reply that names its trust only loosely (it waits in the unmatched queue) and whose first
 * year's count sits on a line with more numbers than periods (no reader pairs it: a person codes it).
 */
const REPLY = [
  'From the FOI Office, Southmere Partnership NHS Foundation Trust',
  'Dear requester, thank you for your request of 11 March 2024.',
  '1. Does the trust accept referrals for children aged under two? Yes, through our perinatal service.',
  '2. How many referrals for children aged under two did the trust receive in each financial year?',
  'FY22 4,092 25 22 5 64 14',
  'FY23 31',
  'FY24 (to date) 12',
  '3. How many of those referrals were accepted? 2021/22: 20; 2022/23: 27; 2023/24: 9.',
  '4. Does the trust host or commission a specialist parent-infant relationship team? No.',
  '5. Which services received these referrals? Perinatal mental health.',
];
const TRUST = 'RJ8';

async function handWorkbook(path: string, team: string, rows: [string, string | number][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Survey');
  for (const r of [
    ['Name of the team', team],
    ['Nation (England / Scotland / Wales / NI)', 'England'],
    ['Year the team first saw families', 2016],
    ...rows,
    ['Your name', `CANARY-NAME ${team}`],
  ])
    ws.addRow(r);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
}

/** Every file of a folder (relative path -> bytes). */
function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name)));
  return out;
}

describe.skipIf(missing)(
  'building the report from the desk after mapping a label, in Chromium',
  { timeout: 600_000 },
  () => {
    let a: TestDb;
    let b: TestDb;
    let wsA = '';
    let wsB = '';
    let inbox = '';
    let serve: ChildProcess | null = null;
    let base = '';
    const census = (db: TestDb, args: string[]) => {
      const r = spawnSync(CENSUS, args, {
        env: { ...process.env, DATABASE_URL: db.url, CENSUS_WORKSPACE: '' },
        encoding: 'utf8',
        timeout: 300_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };

    const gitHead = () =>
      spawnSync('git', ['rev-parse', 'HEAD'], { cwd: import.meta.dirname, encoding: 'utf8' }).stdout;
    let headAtStart = '';

    beforeAll(async () => {
      headAtStart = gitHead();
      a = await freshDatabase();
      b = await freshDatabase();
      wsA = testCtx(a).workspace.dir;
      wsB = testCtx(b).workspace.dir;
      inbox = mkdtempSync(join(tmpdir(), 'desk-walk-'));
      await handWorkbook(join(inbox, 'alder.xlsx'), 'Alder Babies', [[LABEL, 4.5]]);
      await handWorkbook(join(inbox, 'birch.xlsx'), 'Birch Babies', [
        ['Total staff (whole-time equivalent)', 2],
        ['Families supported directly', 'lots'],
      ]);
      const sample = mkdtempSync(join(tmpdir(), 'desk-walk-2025-'));
      await writeSample2025(loadQuestionList(2025), sample);
      const replies = mkdtempSync(join(tmpdir(), 'desk-walk-foi-'));
      writeFileSync(join(replies, 'southmere-reply.txt'), `${REPLY.join('\n')}\n`);
      for (const [db, ws] of [
        [a, wsA],
        [b, wsB],
      ] as const)
        for (const args of [
          ['ingest', inbox, '--wave', '2019'],
          ['ingest', sample, '--wave', '2025'],
          ['foi', 'send', '--wave', '2024', '--sent', '2024-03-11'],
          ['ingest', replies, '--wave', '2024', '--received', '2024-04-02'],
        ]) {
          const r = census(db, [...args, '--workspace', ws]);
          expect([0, 1], `${args.join(' ')}: ${r.err}`).toContain(r.code);
        }
      serve = spawn(CENSUS, ['serve', '--workspace', wsA, '--port', '0'], {
        env: { ...process.env, DATABASE_URL: a.url, CENSUS_WORKSPACE: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      base = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`census serve did not start: ${err}`)), 120_000);
        serve!.stderr!.on('data', (d) => (err += String(d)));
        serve!.stdout!.on('data', (d) => {
          out += String(d);
          const m = /Review desk at (http:\/\/\S+?)\/? /.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        serve!.once('exit', (code) => reject(new Error(`census serve exited with ${code}: ${err}`)));
      });
    }, 300_000);
    afterAll(async () => {
      if (serve && serve.exitCode === null) {
        const exited = new Promise((r) => serve!.once('exit', r));
        serve.kill('SIGINT');
        await exited;
      }
      await a?.drop();
      await b?.drop();
    });

    it('clears every queue by hand, builds the reports from its form, sees the figures change, and matches the CLI byte for byte', async () => {
      const { chromium } = await import('playwright-core');
      const axe = (await import('axe-core')).default;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      try {
        const walk = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
        const checker = await (await browser.newContext({ bypassCSP: true })).newPage();
        const check = async (path: string) => {
          const res = await checker.goto(`${base}${path}`, { waitUntil: 'load' });
          expect(res?.status(), path).toBe(200);
          await checker.evaluate(axe.source);
          const result = await checker.evaluate(() =>
            (
              window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
            ).axe.run(),
          );
          expect(
            result.violations.map((v) => `${v.id} (${v.nodes.length})`),
            path,
          ).toEqual([]);
          const html = await checker.content();
          expect(html, path).not.toContain('CANARY-NAME');
          return html;
        };
        const banner = () => walk.locator('.govuk-notification-banner').innerText();
        const build = async (wave: number) => {
          await walk.goto(`${base}/reports`);
          await walk.getByLabel('Wave', { exact: true }).fill(String(wave));
          await walk.getByRole('button', { name: 'Build the report' }).click();
          await expect(banner()).resolves.toContain(`The report was built in ${wave}.`);
          return JSON.parse(readFileSync(join(wsA, 'reports', String(wave), 'figures.json'), 'utf8')) as {
            figures: { id: string; value: { low: number; high: number | null } | null; records: string[] | null }[];
          };
        };
        const wte = (f: Awaited<ReturnType<typeof build>>) =>
          f.figures.filter((x) => x.records?.some((r) => r.endsWith('/wte_total')));

        // A form sent without its CSRF token (or with another session's) changes nothing: 403.
        const labels = await fetch(`${base}/waves/2019/labels`);
        const cookie = labels.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        const forged = (body: Record<string, string>) =>
          fetch(`${base}/waves/2019/labels/map`, {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ label: LABEL, question: 'wte_total', ...body }).toString(),
          });
        expect((await forged({})).status).toBe(403);
        expect((await forged({ csrf: 'x'.repeat(43) })).status).toBe(403);
        expect(census(a, ['questions', 'unmatched', '--wave', '2019', '--json', '--workspace', wsA]).out).toContain(
          LABEL,
        );

        const issues = await check('/waves/2019/issues');
        expect(issues).toContain('the cells around it');
        expect(issues).toContain('<strong>lots</strong>');

        // Before the mapping: one team's staff figure only.
        const before = await build(2019);
        await check('/reports');

        // ---- labels to map -------------------------------------------------------------------------
        expect(await check('/waves/2019/labels')).toContain(LABEL);
        await walk.goto(`${base}/waves/2019/labels`);
        await walk.getByRole('link', { name: 'give your name' }).click();
        await walk.getByLabel('What is your name?').fill(BY);
        await walk.getByRole('button', { name: 'Continue' }).click();
        const card = walk.locator('.govuk-summary-card', { has: walk.getByRole('heading', { name: LABEL }) });
        await card.getByLabel('Another question').selectOption('wte_total');
        await card.getByRole('button', { name: 'Map', exact: true }).click();
        await expect(banner()).resolves.toContain('1 file(s) read again');

        // ---- the unmatched FOI reply: matched with its candidate's button -------------------------
        await check('/waves/2024/foi/unmatched');
        await walk.goto(`${base}/waves/2024/foi/unmatched`);
        await walk.getByRole('button', { name: `Match to ${TRUST}` }).click();
        await expect(banner()).resolves.toContain(`is matched to ${TRUST}`);

        // ---- the coding queue: the count no reader could pair, typed by hand ---------------------
        await check(`/waves/2024/foi/coding?trust=${TRUST}`);
        await walk.goto(`${base}/waves/2024/foi/coding?trust=${TRUST}`);
        const row = walk.locator('.govuk-summary-card', {
          has: walk.getByRole('heading', { name: new RegExp(`^${TRUST} .*: q2_referrals_under2, .*2021`) }),
        });
        await expect(row.locator('pre').innerText()).resolves.toContain('FY22 4,092 25 22 5 64 14');
        await row.getByLabel('Low', { exact: true }).fill('25');
        await row.getByRole('button', { name: 'Record' }).click();
        await expect(banner()).resolves.toContain('Recorded 1 value(s)');

        // ---- corrections: a figure the trust's later letter corrects -----------------------------
        const valueOf = async (db: TestDb) =>
          String(
            (
              await db.pool.query<{ value_id: string }>(
                `select value_id from report_foi_value where trust_ods = $1 and question_id = 'q3_accepted_under2' and period_id = 'fy2022_23'`,
                [TRUST],
              )
            ).rows[0]!.value_id,
          );
        const valueA = await valueOf(a);
        await check(`/waves/2024/foi/corrections?trust=${TRUST}`);
        await walk.goto(`${base}/waves/2024/foi/corrections?trust=${TRUST}`);
        await walk.locator(`#value-${valueA}-low`).fill('26');
        await walk.locator(`#value-${valueA}-reason`).fill(WHY);
        await walk.locator(`form:has(#value-${valueA}-low) button`).click();
        await expect(banner()).resolves.toContain(`Value ${valueA} corrected`);
        const figures = async (db: TestDb) =>
          (
            await db.pool.query(
              `select question_id, period_id, low::int, high::int from report_foi_value where trust_ods = $1 order by question_id, period_id`,
              [TRUST],
            )
          ).rows;
        expect(await figures(a)).toContainEqual({
          question_id: 'q2_referrals_under2',
          period_id: 'fy2021_22',
          low: 25,
          high: 25,
        });
        expect(await figures(a)).toContainEqual({
          question_id: 'q3_accepted_under2',
          period_id: 'fy2022_23',
          low: 26,
          high: 26,
        });

        const after = await build(2019);
        const [was, now] = [wte(before), wte(after)];
        expect(now.length).toBeGreaterThan(0);
        const records = (fs: typeof now) => fs.flatMap((f) => f.records ?? []).filter((r) => r.endsWith('/wte_total'));
        expect(new Set(records(now)).size).toBe(new Set(records(was)).size + 1);
        expect(JSON.stringify(now.map((f) => f.value))).not.toEqual(JSON.stringify(was.map((f) => f.value)));
        // The 2025 report: its FOI section reads wave 2024, its series reach back to 2019.
        await build(2025);

        await check('/reports/figures?build=2019');
        const trail = await check(`/reports/figure?build=2019&id=${encodeURIComponent(now[0]!.id)}`);
        expect(trail).toContain('Alder Babies');
        const answer = /href="(\/waves\/2019\/answer\?[^"]+)"/.exec(trail)![1]!.replace(/&amp;/g, '&');
        expect(await check(answer)).toContain('(the cell pointed at)');

        // ---- the same changes through the command line's round trips on workspace B --------------
        const cli = (args: string[], ok = [0]) => {
          const r = census(b, [...args, '--workspace', wsB]);
          expect(ok, `${args.join(' ')}: ${r.err}`).toContain(r.code);
          return r;
        };
        const scratch = mkdtempSync(join(tmpdir(), 'desk-cli-'));
        const map = join(scratch, 'map.xlsx');
        cli(['questions', 'unmatched', '--wave', '2019', '--out', map]);
        await fillSheet(map, 'Label', (cell) => cell === LABEL, { 'Map to': 'wte_total' });
        cli(['questions', 'map', map, '--wave', '2019']);
        cli(['foi', 'match', '--file', 'southmere-reply.txt', '--trust', TRUST, '--wave', '2024', '--by', BY]);
        const sheet = join(scratch, 'coding-2024.xlsx');
        cli(['foi', 'coding-sheet', '--wave', '2024', '--out', sheet]);
        expect(
          await fillSheet(
            sheet,
            'Question',
            (q, get) => q === 'q2_referrals_under2' && get('Trust') === TRUST && /2021/.test(get('Period')),
            {
              Low: 25,
            },
          ),
        ).toBe(1);
        cli(['foi', 'coding-sheet', 'load', sheet, '--wave', '2024', '--by', BY]);
        cli(['correct', '--wave', '2024', '--value', await valueOf(b), '--low', '26', '--by', BY, '--reason', WHY]);
        expect(await figures(b)).toEqual(await figures(a));

        const moved = gitHead() !== headAtStart;
        for (const wave of [2019, 2025]) {
          const out = join(scratch, `report-${wave}`);
          cli(['report', '--wave', String(wave), '--out', out], [0, 1]);
          const desk = filesOf(join(wsA, 'reports', String(wave)));
          const byCli = filesOf(out);
          expect([...desk.keys()].sort(), `files of ${wave}`).toEqual([...byCli.keys()].sort());
          // The manifests first, as JSON: a difference there says which input or output differs. The
          // code version is the checkout's commit, read once per process: when another commit landed in
          // this shared checkout between starting the desk and running the CLI, only it may differ.
          const manifest = (m: Map<string, Buffer>) => {
            const j = manifestWithoutRenderedBytes(JSON.parse(m.get('manifest.json')!.toString('utf8')));
            return moved ? { ...j, codeVersion: 'moved' } : j;
          };
          expect(manifest(desk), `manifest of ${wave}`).toEqual(manifest(byCli));
          // Outputs byte for byte; report.pdf by the page it printed (test/support/builds.ts).
          expect(
            differingFiles(byCli, desk).filter((p) => !moved || p !== 'manifest.json'),
            `files of ${wave} that differ`,
          ).toEqual([]);
        }
      } finally {
        await browser.close();
      }
    });
  },
);

/**
 * Fills a workbook's first sheet as a person would: in every row whose `key` column passes `pick`,
 * the cells of the columns named (by the start of their header). Returns the rows filled.
 */
async function fillSheet(
  path: string,
  key: string,
  pick: (value: string, get: (header: string) => string) => boolean,
  cells: Record<string, string | number>,
): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  // exceljs's row values are 1-based (index 0 is empty), as getCell's column numbers are.
  const head = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ''));
  const col = (h: string) => {
    const n = head.findIndex((x) => x === h || x.startsWith(h));
    if (n < 1) throw new Error(`${path} has no column ${h}: ${head.join(', ')}`);
    return n;
  };
  let filled = 0;
  ws.eachRow((row, n) => {
    const get = (h: string) => String(row.getCell(col(h)).value ?? '');
    if (n === 1 || !pick(get(key), get)) return;
    for (const [h, v] of Object.entries(cells)) row.getCell(col(h)).value = v;
    filled++;
  });
  await wb.xlsx.writeFile(path);
  return filled;
}
