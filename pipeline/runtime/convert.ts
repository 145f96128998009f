import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A workbook in a format census does not read (OpenDocument .ods, Excel 97-2003 .xls), saved as .xlsx by
 * LibreOffice when it is installed (questionnaire.md: "the file re-saved by LibreOffice or Numbers ... must
 * not lose answers"). The answers are read from that copy, at the same sheets and cells. Null when
 * LibreOffice is not on PATH or wrote nothing (it exits 0 even then); the file is then kept out with how to
 * save it as .xlsx. Each call gets a private profile: two conversions on one profile make one fail silently.
 */
function libreOfficeAvailable(): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, 'soffice')));
}

export async function convertToXlsx(bytes: Buffer, ext: 'ods' | 'xls', timeoutMs: number): Promise<Buffer | null> {
  if (!libreOfficeAvailable()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'census-convert-'));
  try {
    const input = join(dir, `return.${ext}`);
    writeFileSync(input, bytes, { mode: 0o600 });
    const out = join(dir, 'out');
    await promisify(execFile)(
      'soffice',
      [
        '--headless',
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--convert-to',
        'xlsx',
        '--outdir',
        out,
        input,
      ],
      { timeout: timeoutMs },
    ).catch(() => null);
    const converted = join(out, 'return.xlsx');
    return existsSync(converted) ? readFileSync(converted) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
