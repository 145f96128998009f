import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, writeReport } from '../../../pipeline/report/build.ts';
import { chromiumPath } from '../../../pipeline/report/pdf.ts';
import { verifyReport } from '../../../pipeline/report/verify.ts';
import { parseManifest } from '../../../reports/manifest.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { loadGolden } from './golden/build.ts';

const realChromium = chromiumPath();

/**
 * Issue 17: "identical on any machine". report.pdf is printed by the machine's Chromium, so its bytes
 * are only comparable between equal Chromium versions; a build made elsewhere is verified by the page
 * it printed. Another machine is played by a wrapper that names another Chromium version.
 */
describe.skipIf(realChromium === null)('a build printed by another Chromium', { timeout: 600_000 }, () => {
  let t: TestDb;
  let ctx: ReturnType<typeof testCtx>;
  let out: string;
  const saved = process.env.CENSUS_CHROMIUM;
  const useChromium = (path: string | undefined) => {
    if (path === undefined) delete process.env.CENSUS_CHROMIUM;
    else process.env.CENSUS_CHROMIUM = path;
  };

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t);
    await loadGolden(ctx);
    const dir = mkdtempSync(join(tmpdir(), 'other-chromium-'));
    const other = join(dir, 'chromium');
    writeFileSync(
      other,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Chromium 1.2.3.4 built on elsewhere"; exit 0; fi\nexec ${realChromium} "$@"\n`,
    );
    chmodSync(other, 0o755);
    useChromium(other);
    out = join(dir, 'report');
    writeReport(out, await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx));
    useChromium(saved);
  }, 600_000);
  afterEach(() => useChromium(saved));
  afterAll(async () => {
    await t.drop();
  });

  it('records the Chromium that printed it, beside the hash of the page printed', () => {
    const m = parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8'), 'manifest.json');
    expect(m.renderings?.['report.pdf']?.renderer).toBe('Chromium 1.2.3.4');
    expect(m.outputs['report.pdf']).toBeUndefined();
  });

  it('verifies on this machine: every output identical, the PDF checked by the page it printed', async () => {
    const v = await verifyReport(out, ctx);
    expect(v.ok).toBe(true);
    expect(v.files.find((f) => f.path === 'report.pdf')).toMatchObject({
      status: 'same source',
      note: expect.stringMatching(/printed by Chromium 1\.2\.3\.4, here Chromium \d+/),
    });
    expect(v.files.filter((f) => f.path !== 'report.pdf').every((f) => f.status === 'identical')).toBe(true);
  });

  it('verifies where there is no Chromium at all', async () => {
    useChromium('/nonexistent/chromium');
    const v = await verifyReport(out, ctx);
    expect(v.ok).toBe(true);
    expect(v.files.find((f) => f.path === 'report.pdf')?.note).toMatch(/here no Chromium here/);
  });

  it('names report.pdf different when its bytes are not the ones the manifest records', async () => {
    const file = join(out, 'report.pdf');
    const bytes = readFileSync(file);
    const altered = Buffer.from(bytes);
    altered.writeUInt8(altered.readUInt8(altered.length - 3) ^ 1, altered.length - 3);
    writeFileSync(file, altered);
    try {
      const v = await verifyReport(out, ctx);
      expect(v.ok).toBe(false);
      expect(v.files.find((f) => f.path === 'report.pdf')).toMatchObject({
        status: 'different',
        note: expect.stringMatching(/not the ones the manifest records/),
      });
    } finally {
      writeFileSync(file, bytes);
    }
  });

  it('names report.pdf different when the page it would print changed', async () => {
    await t.pool.query(`update answer set low = 30, high = 30 where question_id = 'families_supported' and low = 45`);
    const v = await verifyReport(out, ctx);
    expect(v.ok).toBe(false);
    expect(v.files.find((f) => f.path === 'report.pdf')).toMatchObject({
      status: 'different',
      note: 'the page it printed differs',
    });
  });
});
