import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport, type RenderedReport } from '../../pipeline/report/build.ts';

/** Report outputs hold figures from personal data before the public gate: private by default (issue 17). */
describe('a report written to a new folder', () => {
  it('is created 0700 (every folder) and 0600 (every file), less what the umask takes away', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'census-private-')), 'report-2025');
    const report = {
      outputs: new Map([
        ['report.html', Buffer.from('<p>r</p>')],
        ['tables/teams.csv', Buffer.from('a,b\n')],
      ]),
    } as unknown as RenderedReport;
    const written = writeReport(out, report);
    expect(written).toEqual(['report.html', 'tables/teams.csv']);
    const umask = process.umask();
    for (const d of [out, join(out, 'tables')]) expect(statSync(d).mode & 0o777, d).toBe(0o700 & ~umask);
    for (const f of written) expect(statSync(join(out, f)).mode & 0o777, f).toBe(0o600 & ~umask);
  });
});
