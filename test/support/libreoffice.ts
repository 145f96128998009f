import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** Whether LibreOffice's soffice is on PATH. Locally a missing one skips; CI installs it, so there tests must run. */
export const SOFFICE = (process.env.PATH ?? '')
  .split(delimiter)
  .some((d) => d !== '' && existsSync(join(d, 'soffice')));
export const RUN_LIBREOFFICE = SOFFICE || process.env.CI === 'true';

/**
 * Re-saves an xlsx with LibreOffice (or prints it to PDF, as its calc_pdf_Export does). Each call gets its own profile: two soffice runs on one profile
 * make one fail silently. LibreOffice exits 0 even when it wrote nothing, so the output must exist.
 */
export async function resaveWithLibreOffice(
  input: string,
  outDir: string,
  to: 'xlsx' | 'ods' | 'xls' | 'pdf' = 'xlsx',
): Promise<string> {
  if (!SOFFICE) throw new Error('soffice is not on PATH but CI=true: CI must install libreoffice-calc-nogui.');
  const profile = mkdtempSync(join(tmpdir(), 'lo-'));
  try {
    await promisify(execFile)(
      'soffice',
      ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', to, '--outdir', outDir, input],
      { timeout: 120_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const out = join(
    outDir,
    input
      .split('/')
      .pop()!
      .replace(/\.[a-z]+$/i, `.${to}`),
  );
  if (!existsSync(out)) throw new Error(`LibreOffice wrote no ${out} (it exits 0 even when a conversion fails).`);
  return out;
}
