import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../../pipeline/ingest/job.ts';
import { bindChunks } from '../../../../pipeline/ingest/questionnaire/load.ts';
import { questionnaireProcessor } from '../../../../pipeline/ingest/questionnaire/processor.ts';
import { fillReturn } from '../../../../sources/questionnaire/fill-return.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../../support/db.ts';
import { testCtx } from '../../../support/ctx.ts';
import { teamAnswers } from '../../../support/returns.ts';

const list = loadQuestionList(2025);

describe('multi-row inserts under the bind-parameter limit', () => {
  it('cuts rows into statements of at most limit / columns rows', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ a: i, b: i, c: i }));
    expect(bindChunks(rows, 9).map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(bindChunks([], 9)).toEqual([]);
    expect(bindChunks(rows).flat()).toEqual(rows);
  });

  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads a workbook whose issues need more than 65,535 bind parameters in one file', async () => {
    const wb = fillReturn(list, teamAnswers('Bulk Team', 'Bulk Trust', 'b@bulk.example'), {
      created: new Date('2025-04-01T00:00:00Z'),
      dateCompleted: '2025-05-01',
    });
    const ws = wb.getWorksheet('Questionnaire')!;
    // 5,000 rows with a label that matches no question and an answer: one label_unmatched issue each,
    // 15 columns per data_issue row = 75,000 parameters in a single insert.
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    for (let i = 0; i < 5000; i++) {
      const label = `Zq ${words[i % 10]} ${words[Math.floor(i / 10) % 10]} ${words[Math.floor(i / 100) % 10]} ${words[Math.floor(i / 1000) % 10]}`;
      ws.addRow([null, label, `note ${i}`]);
    }
    const dir = mkdtempSync(join(tmpdir(), 'inbox-bulk-'));
    writeFileSync(join(dir, 'bulk.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    const ws2 = mkdtempSync(join(tmpdir(), 'census-ws-bulk-'));
    const s = await ingest(
      { paths: [dir], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t, { dir: ws2 }),
    );
    expect(s.files[0]!.status).toBe('loaded');
    const n = Number(
      (await t.pool.query("select count(*)::int as n from data_issue where code = 'label_unmatched'")).rows[0].n,
    );
    expect(n * 15).toBeGreaterThan(65_535);
  }, 120_000);
});
