import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCorrection } from '../../../pipeline/audit/corrections.ts';
import { codeOneRow } from '../../../pipeline/desk/pages/coding.ts';
import { correctFromForm } from '../../../pipeline/desk/pages/corrections.ts';
import { codingRows } from '../../../pipeline/foi/coding-rows.ts';
import { loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiWave } from '../../../pipeline/foi/wave.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { renderReport } from '../../../pipeline/report/build.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { writeCodingSheet } from '../../../sources/foi/coding-sheet.ts';
import { differingFiles, manifestWithoutRenderedBytes } from '../../support/builds.ts';
import { fillCodingSheet } from '../../support/coding-sheet.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/**
 * The same decisions give the same report, whoever makes them, when, and through which route (issue
 * 20): on workspace A a person confirms a suggestion, codes a count and corrects a figure on the desk's
 * forms (the functions its pages call); on workspace B another person, a week later, makes the same
 * decisions through a whole coding sheet and `census correct` (the functions the CLI calls), in
 * another order and with other words for their reasons. The report's every file, its
 * manifest.json included, is the same; the coding sheets (a person's decisions, not data received)
 * neither appear among the manifest's sources nor move the report's data date.
 */
describe('the same decisions made on the desk and through the command line', { timeout: 180_000 }, () => {
  const dbs: TestDb[] = [];
  const INGESTED = '2024-05-01T09:00:00Z';

  /** A workspace with the requests sent and two replies in: RWX's with a weak reading, RTQ's with a question unread. */
  async function workspace(): Promise<{ t: TestDb; at: (now: string) => Ctx }> {
    const t = await freshDatabase();
    dbs.push(t);
    const dir = mkdtempSync(join(tmpdir(), 'same-decisions-'));
    const at = (now: string) => testCtx(t, { now, dir });
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, at(INGESTED));
    const weak = fullReply();
    weak.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      rule: 'prose',
      evidence: 'FY22 4,092 25 22 5 64 14',
      suggestion: 'the line holds 6 numbers for 1 period',
      quote: 'FY22 4,092 25 22 5 64 14',
    });
    const unread = fullReply();
    unread.values = unread.values.filter(
      (v) => !(v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2022_23'),
    );
    await ingest(
      {
        paths: [
          writeReplies({
            weak: reply({ ...weak, trustHint: { ods: 'RWX' } }),
            unread: reply({ ...unread, trustHint: { ods: 'RTQ' } }),
          }),
        ],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders }),
        command: 'test',
      },
      at(INGESTED),
    );
    return { t, at };
  }
  const rows = async (ctx: Ctx) => codingRows(2024, foiWave(2024, ctx.workspace.wavesDir), ctx);
  const valueOf = async (t: TestDb, trust: string, question: string, period: string) =>
    String(
      (
        await t.pool.query<{ value_id: string }>(
          'select value_id from report_foi_value where trust_ods = $1 and question_id = $2 and period_id = $3',
          [trust, question, period],
        )
      ).rows[0]!.value_id,
    );
  const build = (ctx: Ctx) => renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx);

  let a: Awaited<ReturnType<typeof workspace>>;
  let b: Awaited<ReturnType<typeof workspace>>;
  beforeAll(async () => {
    a = await workspace();
    b = await workspace();
  }, 120_000);
  afterAll(async () => {
    for (const t of dbs) await t.drop();
  });

  it('gives the same report files and the same manifest, byte for byte', async () => {
    // A: the desk's forms, on 2 May, by Rowan.
    const deskDay = a.at('2024-05-02T10:00:00Z');
    const waiting = await rows(deskDay);
    const suggestion = waiting.find((r) => r.trustOds === 'RWX' && r.reason === 'suggestion')!;
    const unread = waiting.find(
      (r) => r.trustOds === 'RTQ' && r.questionId === 'q3_accepted_under2' && r.periodId === 'fy2022_23',
    )!;
    expect(suggestion).toBeDefined();
    expect(unread).toBeDefined();
    const desk = { ...deskDay, actor: 'Rowan Reviewer' };
    expect(
      (await codeOneRow({ wave: 2024, key: suggestion.key, answers: { confirm: 'yes' }, by: 'Rowan Reviewer' }, desk))
        ?.recorded,
    ).toBe(1);
    expect(
      (
        await codeOneRow(
          { wave: 2024, key: unread.key, answers: { low: '7', note: 'read from the table' }, by: 'Rowan Reviewer' },
          desk,
        )
      )?.recorded,
    ).toBe(1);
    const rtqA = await valueOf(a.t, 'RTQ', 'q2_referrals_under2', 'fy2022_23');
    await correctFromForm(
      { wave: 2024, body: { value: rtqA, low: '26', high: '', reason: 'letter of 2 May' }, by: 'Rowan Reviewer' },
      desk,
    );
    await correctFromForm(
      {
        wave: 2024,
        body: {
          value: await valueOf(a.t, 'RWX', 'q3_accepted_under2', 'fy2023_24'),
          low: '3',
          high: 'open',
          reason: 'at least 3',
        },
        by: 'Rowan Reviewer',
      },
      desk,
    );

    // B: the command line's round trips, a week later, by Ash, with other words.
    const cliDay = b.at('2024-05-09T16:30:00Z');
    const all = await rows(cliDay);
    const sheet = writeCodingSheet(all, { wave: 2024, created: cliDay.clock.now() });
    const rwxRow = all.find((r) => r.trustOds === 'RWX' && r.reason === 'suggestion')!;
    const rtqRow = all.find(
      (r) => r.trustOds === 'RTQ' && r.questionId === 'q3_accepted_under2' && r.periodId === 'fy2022_23',
    )!;
    const filled = await fillCodingSheet(Buffer.from(await sheet.xlsx.writeBuffer()), {
      [`RWX|${rwxRow.questionId}|${rwxRow.periodLabel}`]: { 'Confirm suggestion': 'yes' },
      [`RTQ|${rtqRow.questionId}|${rtqRow.periodLabel}`]: { Low: 7, 'Note / reason': 'table on page 2' },
    });
    const loaded = await loadCodingSheet({ path: filled, wave: 2024, by: 'Ash Coder' }, cliDay);
    expect(loaded.issues).toEqual([]);
    expect(loaded.recorded).toBe(2);
    const rtqB = await valueOf(b.t, 'RTQ', 'q2_referrals_under2', 'fy2022_23');
    const cliLater = b.at('2024-05-10T08:00:00Z');
    // The two corrections in the other order.
    await recordCorrection(
      {
        wave: 2024,
        valueId: await valueOf(b.t, 'RWX', 'q3_accepted_under2', 'fy2023_24'),
        low: 3,
        high: null,
        by: 'Ash Coder',
        reason: 'the letter says three or more',
      },
      cliLater,
    );
    await recordCorrection(
      { wave: 2024, valueId: rtqB, low: 26, high: 26, by: 'Ash Coder', reason: "the trust's letter: 26" },
      cliLater,
    );

    const [ra, rb] = [await build(a.at('2024-06-01T09:00:00Z')), await build(b.at('2024-07-01T09:00:00Z'))];
    // The decisions were made: the figures moved from what the replies said.
    const f = JSON.parse(ra.outputs.get('figures.json')!.toString('utf8')) as { figures: unknown[] };
    expect(f.figures.length).toBeGreaterThan(0);
    expect(ra.manifest.corrections.map((c) => c.kind).sort()).toEqual([
      'foi_coded_value',
      'foi_coded_value',
      'foi_correction',
      'foi_correction',
    ]);
    expect(ra.manifest.sources.map((s) => s.kind)).not.toContain('foi_coding_sheet');
    expect(manifestWithoutRenderedBytes(rb.manifest as never)).toEqual(
      manifestWithoutRenderedBytes(ra.manifest as never),
    );
    const files = (r: typeof ra) =>
      new Map([...r.outputs].map(([p, v]) => [p, Buffer.isBuffer(v) ? v : Buffer.from(v)] as const));
    expect(differingFiles(files(ra), files(rb), { a: ra.manifest.renderings, b: rb.manifest.renderings })).toEqual([]);
    expect([...files(rb).keys()].sort()).toEqual([...files(ra).keys()].sort());
  });
});
