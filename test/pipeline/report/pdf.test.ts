import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath, fixPdfDates, NO_CHROMIUM, printedPageSha256, renderPdf } from '../../../pipeline/report/pdf.ts';
import { link, linkParagraph, page, table } from '../../../reports/html.ts';

// CI installs Chromium and poppler (.ci/run) and must run these; a developer without them is told so and skipped.
const missing = chromiumPath() === null;
if (missing && process.env.CI === 'true') throw new Error('Chromium is missing on CI: apt-get install -y chromium');

const html = (rows: number) =>
  Buffer.from(
    page({
      title: 'A report',
      meta: [['Release date', '5 March 2026']],
      sections: [
        // A link to another file would print the temporary folder's path: the same bytes twice proves it does not.
        linkParagraph('See the ', link('annex.html', 'audit annex'), '.'),
        table({
          caption: 'Teams by region',
          name: 'regions',
          columns: [
            { key: 'r', header: 'Region', kind: 'text' },
            { key: 'n', header: 'Teams', kind: 'number' },
          ],
          rows: Array.from({ length: rows }, (_, i) => ({ r: `Region ${i + 1}`, n: i })),
        }),
      ],
    }),
  );

describe.skipIf(missing)('the PDF edition printed by headless Chromium', { timeout: 300_000 }, () => {
  it('gives the same bytes twice, dated with the data date, never the time of printing', async () => {
    const a = await renderPdf(html(5), '2025-03-31');
    const b = await renderPdf(html(5), '2025-03-31');
    expect(a).not.toBeNull();
    expect(a!.bytes.equals(b!.bytes)).toBe(true);
    const text = a!.bytes.toString('latin1');
    expect(text).toContain("/CreationDate (D:20250331000000+00'00')");
    expect(text).toContain("/ModDate (D:20250331000000+00'00')");
    expect(text).not.toMatch(/\/CreationDate \(D:(?!20250331000000)/);
  });

  it('names the Chromium that printed it and the page it printed, for the manifest', async () => {
    const a = await renderPdf(html(5), '2025-03-31');
    expect(a!.renderer).toMatch(/^Chromium \d+\.\d+/);
    expect(a!.renderer).not.toMatch(/built on/);
    expect(a!.source).toBe(printedPageSha256(html(5)));
    expect(a!.source).not.toBe(printedPageSha256(html(6)));
  });

  it('numbers its pages "Page n of m" and prints every row of a long table', async () => {
    const pdf = await renderPdf(html(120), '2025-03-31');
    const file = join(mkdtempSync(join(tmpdir(), 'pdf-')), 'r.pdf');
    writeFileSync(file, pdf!.bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Region 120');
    // The table's header repeats on the pages it runs onto.
    expect(text.match(/Region\s+Teams/g)!.length).toBeGreaterThan(1);
  });
});

describe('without Chromium', () => {
  const saved = process.env.CENSUS_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.CENSUS_CHROMIUM;
    else process.env.CENSUS_CHROMIUM = saved;
  });

  it('builds no PDF and says why and how to get one', async () => {
    process.env.CENSUS_CHROMIUM = '/nonexistent/chromium';
    expect(chromiumPath()).toBeNull();
    expect(await renderPdf(html(1), '2025-03-31')).toBeNull();
    expect(NO_CHROMIUM).toMatch(/report\.pdf.*not built.*apt-get install -y chromium/);
  });

  it('fixes the dates without moving a byte', () => {
    const pdf = Buffer.from("<</CreationDate (D:20261207041233+00'00')\n/ModDate (D:20261207041233+00'00')>>");
    const fixed = fixPdfDates(pdf, '2025-03-31');
    expect(fixed.length).toBe(pdf.length);
    expect(fixed.toString()).toBe("<</CreationDate (D:20250331000000+00'00')\n/ModDate (D:20250331000000+00'00')>>");
  });
});
