import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { differingFiles, manifestWithoutRenderedBytes } from '../../support/builds.ts';

/**
 * The issue's "How we will check", in Debian's Chromium without JavaScript: `census serve` (the real
 * command, on workspace A) maps a label of a hand-made workbook and builds the report from its form;
 * the report changes as the mapping says; the same round trip through the command line on workspace
 * B (`census questions unmatched` / a filled mapping workbook / `census questions map`, then
 * `census report`) gives a byte-identical report. axe-core finds no violation on the pages walked
 * (issues with evidence previews, report builds, a build's figures, a figure's trail, an answer's
 * source).
 */
const CHROMIUM = '/usr/bin/chromium';
const CENSUS = join(import.meta.dirname, '..', '..', '..', 'bin', 'census');
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing on CI: install it with apt-get install -y chromium`);

const LABEL = 'Headcount of the team in FTE';

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
      for (const [db, ws] of [
        [a, wsA],
        [b, wsB],
      ] as const) {
        const r = census(db, ['ingest', inbox, '--wave', '2019', '--workspace', ws]);
        expect([0, 1], r.err).toContain(r.code);
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

    it('maps a label, builds the report from its form, sees the figure change, and matches the CLI byte for byte', async () => {
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
        const build = async () => {
          await walk.goto(`${base}/reports`);
          await walk.getByLabel('Wave', { exact: true }).fill('2019');
          await walk.getByRole('button', { name: 'Build the report' }).click();
          await expect(walk.locator('.govuk-notification-banner').innerText()).resolves.toContain(
            'The report was built in 2019.',
          );
          return JSON.parse(readFileSync(join(wsA, 'reports', '2019', 'figures.json'), 'utf8')) as {
            figures: { id: string; value: { low: number; high: number | null } | null; records: string[] | null }[];
          };
        };
        const wte = (f: Awaited<ReturnType<typeof build>>) =>
          f.figures.filter((x) => x.records?.some((r) => r.endsWith('/wte_total')));

        const issues = await check('/waves/2019/issues');
        expect(issues).toContain('the cells around it');
        expect(issues).toContain('<strong>lots</strong>');

        // Before the mapping: one team's staff figure only.
        const before = await build();
        await check('/reports');

        await walk.goto(`${base}/waves/2019/labels`);
        await walk.getByRole('link', { name: 'give your name' }).click();
        await walk.getByLabel('What is your name?').fill('Rowan Reviewer');
        await walk.getByRole('button', { name: 'Continue' }).click();
        const card = walk.locator('.govuk-summary-card', { has: walk.getByRole('heading', { name: LABEL }) });
        await card.getByLabel('Another question').selectOption('wte_total');
        await card.getByRole('button', { name: 'Map', exact: true }).click();
        await expect(walk.locator('.govuk-notification-banner').innerText()).resolves.toContain('1 file(s) read again');

        const after = await build();
        const [was, now] = [wte(before), wte(after)];
        expect(now.length).toBeGreaterThan(0);
        const records = (fs: typeof now) => fs.flatMap((f) => f.records ?? []).filter((r) => r.endsWith('/wte_total'));
        expect(new Set(records(now)).size).toBe(new Set(records(was)).size + 1);
        expect(JSON.stringify(now.map((f) => f.value))).not.toEqual(JSON.stringify(was.map((f) => f.value)));

        await check('/reports/figures?build=2019');
        const trail = await check(`/reports/figure?build=2019&id=${encodeURIComponent(now[0]!.id)}`);
        expect(trail).toContain('Alder Babies');
        const answer = /href="(\/waves\/2019\/answer\?[^"]+)"/.exec(trail)![1]!.replace(/&amp;/g, '&');
        expect(await check(answer)).toContain('(the cell pointed at)');

        // The same round trip through the command line on workspace B.
        const map = join(mkdtempSync(join(tmpdir(), 'desk-map-')), 'map.xlsx');
        expect(census(b, ['questions', 'unmatched', '--wave', '2019', '--out', map, '--workspace', wsB]).code).toBe(0);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(map);
        const ws = wb.worksheets[0]!;
        // exceljs's row values are 1-based (index 0 is empty), as getCell's column numbers are.
        const head = Array.from(ws.getRow(1).values as unknown[], (v) => String(v ?? ''));
        const [labelCol, mapCol] = [head.indexOf('Label'), head.findIndex((h) => h.startsWith('Map to'))];
        ws.eachRow((row, n) => {
          if (n > 1 && String(row.getCell(labelCol).value) === LABEL) row.getCell(mapCol).value = 'wte_total';
        });
        await wb.xlsx.writeFile(map);
        const mapped = census(b, ['questions', 'map', map, '--wave', '2019', '--workspace', wsB]);
        expect(mapped.code, mapped.err).toBe(0);
        const out = join(mkdtempSync(join(tmpdir(), 'desk-cli-')), 'report');
        const report = census(b, ['report', '--wave', '2019', '--out', out, '--workspace', wsB]);
        expect([0, 1], report.err).toContain(report.code);

        const desk = filesOf(join(wsA, 'reports', '2019'));
        const cli = filesOf(out);
        expect([...desk.keys()].sort()).toEqual([...cli.keys()].sort());
        // The manifests first, as JSON: a difference there says which input or output differs. The
        // code version is the checkout's commit, read once per process: when another commit landed in
        // this shared checkout between starting the desk and running the CLI, only it may differ.
        const moved = gitHead() !== headAtStart;
        const manifest = (m: Map<string, Buffer>) => {
          const j = manifestWithoutRenderedBytes(JSON.parse(m.get('manifest.json')!.toString('utf8')));
          return moved ? { ...j, codeVersion: 'moved' } : j;
        };
        expect(manifest(desk)).toEqual(manifest(cli));
        // Outputs byte for byte; report.pdf by the page it printed (test/support/builds.ts).
        expect(differingFiles(cli, desk).filter((p) => !moved || p !== 'manifest.json')).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  },
);
