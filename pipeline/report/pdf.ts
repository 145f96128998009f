import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from '../../reports/hash.ts';

/** The PDF edition of a build, beside report.html. */
export const REPORT_PDF = 'report.pdf';

/** Debian's Chromium (apt-get install chromium), or the binary named by $CENSUS_CHROMIUM. */
export function chromiumPath(): string | null {
  const path = process.env.CENSUS_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

export const NO_CHROMIUM =
  'Chromium was not found (/usr/bin/chromium, or set CENSUS_CHROMIUM), so the PDF edition (report.pdf) was not built; install it with apt-get install -y chromium and build again.';

/** A PDF as printed: its bytes, the sha256 of the page printed, and the Chromium that printed it. */
export interface PdfRendering {
  bytes: Buffer;
  source: string;
  renderer: string;
}

const versions = new Map<string, Promise<string>>();

/**
 * "Chromium 156.0.8078.129" (the first line of `chromium --version`, less its "built on" note). The
 * PDF's bytes depend on it (and on the fonts installed), so the manifest records it beside the PDF.
 */
function chromiumVersion(chromium: string): Promise<string> {
  let version = versions.get(chromium);
  if (version === undefined) {
    version = promisify(execFile)(chromium, ['--version'], { timeout: 30_000 }).then(
      ({ stdout }) =>
        stdout
          .split('\n')
          .find((l) => /\d+\.\d+/.test(l))
          ?.replace(/\s+built on.*$/, '')
          .trim() || 'Chromium (version unknown)',
      () => 'Chromium (version unknown)',
    );
    versions.set(chromium, version);
  }
  return version;
}

/**
 * report.html printed to PDF by headless Chromium, through the page's print stylesheet (A4, page
 * numbers "Page n of m", no table split across pages where it fits on one). Chromium stamps the time
 * of printing as the PDF's creation and modification dates; they are replaced by the data date (the
 * same length, so no offset moves), which makes the same page and the same Chromium give the same
 * bytes. Null when Chromium is missing.
 */
export async function renderPdf(html: Buffer, dataDate: string): Promise<PdfRendering | null> {
  const chromium = chromiumPath();
  if (chromium === null) return null;
  const renderer = await chromiumVersion(chromium);
  const dir = mkdtempSync(join(tmpdir(), 'census-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, REPORT_PDF);
    writeFileSync(page, forPrint(html));
    await promisify(execFile)(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--no-default-browser-check',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        // print only once every task of the page has run (layout, fonts), whatever the machine's load
        '--run-all-compositor-stages-before-draw',
        '--virtual-time-budget=10000',
        `--print-to-pdf=${pdf}`,
        `file://${page}`,
      ],
      { timeout: 180_000, env: { ...process.env, TZ: 'UTC' } },
    );
    return { bytes: fixPdfDates(readFileSync(pdf), dataDate), source: printedPageSha256(html)!, renderer };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The page as printed: a link to another file (annex.html, tables.xlsx) would be printed as a link to
 * the temporary folder the PDF is made in, so it keeps its text and loses its address; links within
 * the page stay links.
 */
function forPrint(html: Buffer): string {
  return html.toString('utf8').replace(/<a href="(?!#)[^"]*"[^>]*>([\s\S]*?)<\/a>/g, '$1');
}

/** The sha256 of the page Chromium prints for a report.html (what a manifest's rendering `source` records). */
export function printedPageSha256(html: Buffer | undefined): string | null {
  return html === undefined ? null : sha256Hex(Buffer.from(forPrint(html), 'utf8'));
}

/** Every /CreationDate and /ModDate of a PDF set to `date` (YYYY-MM-DD) at midnight UTC, byte length kept. */
export function fixPdfDates(pdf: Buffer, date: string): Buffer {
  const stamp = `D:${date.replace(/-/g, '')}000000`;
  const text = pdf.toString('latin1');
  const fixed = text.replace(
    /\/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)/g,
    // Chromium runs with TZ=UTC, so the zone is already +00'00'.
    (_m, key: string, _d: string, zone: string) => `/${key} (${stamp}${zone})`,
  );
  return Buffer.from(fixed, 'latin1');
}
