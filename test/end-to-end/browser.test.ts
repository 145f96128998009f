import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
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

  it.each(['internal', 'public'])(
    'opens the %s build with no console error or failed request, every chart drawn, one screenshot per section',
    async (build) => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
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
          const charts = section.locator('figure > svg');
          expect(await charts.count(), `charts in ${id}`).toBeGreaterThan(0);
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
});
