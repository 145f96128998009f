import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { ingest } from '../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../pipeline/ingest/questionnaire/processor.ts';
import { renderReport, writeReport } from '../../pipeline/report/build.ts';
import { defaultParams } from '../../schemas/report-params.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { testCtx } from '../support/ctx.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { loadFoiFixtures } from '../pipeline/report/golden/foi-2024.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../artifacts/screenshots', import.meta.url));
const SECTIONS = ['growth', 'where', 'size', 'families', 'offer', 'foi', 'over-time', 'quality'];
// CI installs Chromium (.ci/run) and must run this test; a developer without it is told so and skipped.
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing on CI: install it with apt-get install -y chromium`);

describe.skipIf(missing)('report.html in headless Chromium', { timeout: 300_000 }, () => {
  let t: TestDb;
  const dirs: Record<string, string> = {};
  beforeAll(async () => {
    t = await freshDatabase();
    const ctx = testCtx(t);
    const list = loadQuestionList(2025);
    const inbox = mkdtempSync(join(tmpdir(), 'browser-inbox-'));
    await writeSample2025(list, inbox);
    await ingest({ paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' }, ctx);
    await loadFoiFixtures(t.db, ctx.clock.now());
    for (const build of ['internal', 'public']) {
      dirs[build] = mkdtempSync(join(tmpdir(), `browser-${build}-`));
      writeReport(
        dirs[build]!,
        await renderReport({ wave: 2025, publicBuild: build === 'public', params: defaultParams() }, ctx),
      );
    }
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  const launch = async () => {
    const { chromium } = await import('playwright-core');
    return chromium.launch({
      executablePath: CHROMIUM,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  };

  it.each(['internal', 'public'])(
    'opens the %s build with no console error or failed request, every chart drawn, one screenshot per section',
    async (build) => {
      const browser = await launch();
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
        page.on('request', (r) => {
          if (!r.url().startsWith('file://')) problems.push(`network request: ${r.url()}`);
        });
        await page.goto(`file://${join(dirs[build]!, 'report.html')}`, { waitUntil: 'load' });
        mkdirSync(SCREENSHOTS, { recursive: true });
        for (const id of SECTIONS) {
          const section = page.locator(`section#${id}`);
          expect(await section.count(), id).toBe(1);
          // A chart with nothing to draw is a "no data" sentence, never an empty axis.
          const charts = section.locator('figure svg.wide');
          expect(await section.locator('figure svg.wide, p.no-data').count(), `charts in ${id}`).toBeGreaterThan(0);
          expect(await section.locator('svg text', { hasText: /0\.0000/ }).count(), `empty axis in ${id}`).toBe(0);
          for (const svg of await charts.all()) {
            const box = await svg.boundingBox();
            expect(box && box.width > 100 && box.height > 50, `chart size in ${id}`).toBe(true);
            expect(await svg.locator('text').count(), `labels in a chart of ${id}`).toBeGreaterThan(3);
          }
          await section.screenshot({ path: join(SCREENSHOTS, `${build}-${id}.png`) });
        }
        await page.emulateMedia({ media: 'print' });
        expect((await page.pdf({ format: 'A4' })).length).toBeGreaterThan(10_000);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  // Each edition at desktop and phone width, and the internal edition's audit annex: axe-core finds
  // nothing, nothing but a table or chart box scrolls sideways, chart text stays readable, and a
  // full-page screenshot is kept under artifacts/ (CI keeps it).
  const views = [
    ['public', 'report.html', 1280],
    ['public', 'report.html', 360],
    ['internal', 'report.html', 1280],
    ['internal', 'report.html', 360],
    ['internal', 'annex.html', 1280],
    ['internal', 'annex.html', 360],
  ] as const;
  it.each(views)(
    '%s %s at %i px: no axe-core violation, no page-wide sideways scroll, readable charts',
    async (build, file, width) => {
      const axe = (await import('axe-core')).default;
      const browser = await launch();
      try {
        // CSP forbids every script: axe is injected past it, as a test tool only.
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`file://${join(dirs[build]!, file)}`, { waitUntil: 'load' });
        await page.evaluate(axe.source);
        const result = await page.evaluate(() =>
          (
            window as unknown as {
              axe: {
                run: () => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[]; passes: unknown[] }>;
              };
            }
          ).axe.run(),
        );
        expect(result.passes.length).toBeGreaterThan(0);
        expect(
          result.violations.map((v) => `${v.id} (${v.nodes.length}): ${JSON.stringify(v.nodes[0]?.target)}`),
        ).toEqual([]);
        // The page itself never scrolls sideways: wide tables and charts scroll inside their own box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, 'page wider than the window').toBeLessThanOrEqual(0);
        // Every visible chart's smallest text, as drawn after scaling, is at least 9 px.
        const smallest = await page.evaluate(() => {
          let min = Infinity;
          for (const svg of document.querySelectorAll('figure svg')) {
            const r = svg.getBoundingClientRect();
            if (r.width === 0) continue;
            const scale = r.width / (svg as SVGSVGElement).viewBox.baseVal.width;
            for (const t of svg.querySelectorAll('text')) {
              const size = parseFloat(getComputedStyle(t).fontSize);
              if (t.textContent && size > 0) min = Math.min(min, size * scale);
            }
          }
          return min;
        });
        expect(smallest, 'smallest chart text in px').toBeGreaterThanOrEqual(9);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({
          path: join(SCREENSHOTS, `${build}-${file.replace('.html', '')}-${width}.png`),
          fullPage: true,
        });
      } finally {
        await browser.close();
      }
    },
  );

  it('moves the internal audit annex into annex.html, linked from the report and listed in the manifest', async () => {
    const report = readFileSync(join(dirs.internal!, 'report.html'), 'utf8');
    const annex = readFileSync(join(dirs.internal!, 'annex.html'), 'utf8');
    expect(report).toContain('href="annex.html"');
    expect(report).not.toContain('census audit figure');
    expect(annex).toContain('census audit figure');
    const manifest = JSON.parse(readFileSync(join(dirs.internal!, 'manifest.json'), 'utf8')) as {
      outputs: Record<string, string>;
    };
    expect(Object.keys(manifest.outputs)).toContain('annex.html');
    expect(existsSync(join(dirs.public!, 'annex.html'))).toBe(false);
  });
});
