import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { renderReport } from '../../../pipeline/report/build.ts';
import { chromiumPath, printedPageSha256 } from '../../../pipeline/report/pdf.ts';
import { differingFiles } from '../../support/builds.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { surveyExport2023, writeReturns2025 } from './golden/teams-2025.ts';
import { loadFoiFixtures } from './golden/foi-2024.ts';

/** The golden files, written once, so both workspaces load the very same bytes. */
async function writeFiles(): Promise<{ csv: string; files2025: string[] }> {
  const inbox = mkdtempSync(join(tmpdir(), 'golden-order-'));
  const csv = join(inbox, 'survey-2023.csv');
  writeFileSync(csv, surveyExport2023());
  const files2025 = await writeReturns2025(loadQuestionList(2025), join(inbox, '2025'));
  return { csv, files2025 };
}

/**
 * Loads the waves in order (year-on-year checks need the earlier wave), each wave's files in the given
 * order, then the FOI replies in the given order (trusts, and the values of each reply), so every
 * database id differs between the two workspaces while the content is the same.
 */
async function load(ctx: Ctx, files: { csv: string; files2025: string[] }, reversed: boolean): Promise<void> {
  const run = (paths: string[], wave: number) =>
    ingest({ paths, wave, processor: questionnaireProcessor(loadQuestionList(wave)), command: 'order' }, ctx);
  await run([files.csv], 2023);
  if (reversed) for (const f of [...files.files2025].reverse()) await run([f], 2025);
  else await run(files.files2025, 2025);
  await loadFoiFixtures(ctx.db, ctx.clock.now(), { reversed });
}

describe('builds cite content, not database ids', () => {
  const dbs: TestDb[] = [];
  const builds: Map<string, Buffer>[][] = [];
  beforeAll(async () => {
    const files = await writeFiles();
    for (const reversed of [false, true]) {
      const t = await freshDatabase();
      dbs.push(t);
      const ctx = testCtx(t);
      await load(ctx, files, reversed);
      builds.push([
        (await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx)).outputs,
        (await renderReport({ wave: 2025, publicBuild: true, params: defaultParams() }, ctx)).outputs,
      ]);
    }
  }, 600_000);
  afterAll(async () => {
    for (const t of dbs) await t.drop();
  });

  it('cites questionnaire returns by file hash and part in figures.json', () => {
    const json = JSON.parse(builds[0]![0]!.get('figures.json')!.toString('utf8')) as {
      figures: { records: string[] }[];
    };
    const keys = json.figures.flatMap((f) => f.records).filter((r) => /^(answer|return):/.test(r));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatch(/^(answer|return):[0-9a-f]{16}\.\d+(\/|$)/);
  });

  it('cites FOI requests by wave and trust and FOI values by reply file hash, place and question', () => {
    const json = JSON.parse(builds[0]![0]!.get('figures.json')!.toString('utf8')) as {
      figures: { records: string[] }[];
    };
    const recs = json.figures.flatMap((f) => f.records);
    const requests = recs.filter((r) => r.startsWith('foi_request:'));
    const values = recs.filter((r) => r.startsWith('foi_value:'));
    expect(requests.length).toBeGreaterThan(0);
    expect(values.length).toBeGreaterThan(0);
    for (const k of requests) expect(k).toMatch(/^foi_request:2024\/[A-Z0-9]+$/);
    for (const k of values) expect(k).toMatch(/^foi_value:[0-9a-f]{16}(@[^/]+)?\/q\d\w*\/[^/]+\/[^/]+\/.+$/);
  });

  it.skipIf(chromiumPath() === null)(
    'builds the PDF edition and lists it as a rendering: its hash, the page printed and the Chromium version',
    () => {
      for (const b of builds[0]!) {
        const manifest = JSON.parse(b.get('manifest.json')!.toString('utf8')) as {
          outputs: Record<string, string>;
          renderings: Record<string, { sha256: string; source: string; renderer: string }>;
        };
        const pdf = b.get('report.pdf')!;
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        // outputs hold only what the inputs and code decide, so they match on any machine
        expect(manifest.outputs['report.pdf']).toBeUndefined();
        expect(manifest.renderings['report.pdf']).toEqual({
          sha256: createHash('sha256').update(pdf).digest('hex'),
          source: printedPageSha256(b.get('report.html')),
          renderer: expect.stringMatching(/^Chromium \d+\./),
        });
      }
    },
  );

  for (const [i, name] of ['internal', 'public'].entries()) {
    it(`gives byte-identical ${name} builds whatever order the files were loaded in`, () => {
      const [a, b] = [builds[0]![i]!, builds[1]![i]!];
      expect([...b.keys()]).toEqual([...a.keys()]);
      // Outputs byte for byte; report.pdf by the page it printed (test/support/builds.ts).
      const differ = differingFiles(a, b);
      expect(differ, differ.map((p) => firstDifference(p, a.get(p)!, b.get(p)!)).join('\n')).toEqual([]);
    });
  }
});

/** Where two files first differ, with the bytes around it (latin1), for a failure message. */
function firstDifference(path: string, a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (x: Buffer) => JSON.stringify(x.subarray(Math.max(0, i - 80), i + 80).toString('latin1'));
  return `${path}: ${a.length} vs ${b.length} bytes, first difference at ${i}: ${around(a)} vs ${around(b)}`;
}
