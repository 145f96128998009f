import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../pipeline/ingest/questionnaire/processor.ts';
import { fillReturn } from '../../sources/questionnaire/fill-return.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { RUN_LIBREOFFICE, resaveWithLibreOffice } from '../support/libreoffice.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { testCtx } from '../support/ctx.ts';
import { answersByFile, FULL_2025 } from '../support/returns-fixture.ts';

const list = loadQuestionList(2025);
const run = RUN_LIBREOFFICE ? it : it.skip;

describe('a 2025 return re-saved by LibreOffice', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  run(
    'ingests with the same values as the original',
    async () => {
      const work = mkdtempSync(join(tmpdir(), 'lo-return-'));
      const [inbox, lo] = [join(work, 'inbox'), join(work, 'lo')];
      mkdirSync(inbox);
      mkdirSync(lo);
      const wb = fillReturn(list, FULL_2025, {
        created: new Date('2025-04-01T00:00:00Z'),
        dateCompleted: '2025-05-02',
      });
      const original = join(work, 'full-team.xlsx');
      writeFileSync(original, Buffer.from(await wb.xlsx.writeBuffer()));
      copyFileSync(original, join(inbox, 'a-original.xlsx'));
      copyFileSync(await resaveWithLibreOffice(original, lo), join(inbox, 'b-libreoffice.xlsx'));
      // Saved in LibreOffice's own format and as Excel 97-2003: read from a copy LibreOffice saves as .xlsx.
      copyFileSync(await resaveWithLibreOffice(original, lo, 'ods'), join(inbox, 'c-libreoffice.ods'));
      copyFileSync(await resaveWithLibreOffice(original, lo, 'xls'), join(inbox, 'd-excel97.xls'));

      const s = await ingest(
        { paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
        testCtx(t),
      );
      expect(s.files.map((f) => [f.name, f.status, f.returnsLoaded])).toEqual([
        ['a-original.xlsx', 'loaded', 1],
        ['b-libreoffice.xlsx', 'loaded', 1],
        ['c-libreoffice.ods', 'loaded', 1],
        ['d-excel97.xls', 'loaded', 1],
      ]);
      expect(s.files.slice(2).map((f) => f.issues.map((i) => i.code))).toEqual([
        ['converted_to_xlsx'],
        ['converted_to_xlsx'],
      ]);
      expect(s.files[0]!.hash).not.toBe(s.files[1]!.hash);
      const byFile = await answersByFile(t);
      expect(Object.keys(byFile.get('a-original.xlsx')!)).toHaveLength(list.questions.length - 4); // not the 3 personal ones nor team_name
      expect(byFile.get('b-libreoffice.xlsx')).toEqual(byFile.get('a-original.xlsx'));
      expect(byFile.get('c-libreoffice.ods')).toEqual(byFile.get('a-original.xlsx'));
      expect(byFile.get('d-excel97.xls')).toEqual(byFile.get('a-original.xlsx'));
      const meta = (
        await t.pool
          .query(`select f.original_name, r.date_completed::text as completed, string_agg(distinct a.match_method, ',') as methods
      from questionnaire_return r join file_receipt f on f.sha256 = r.sha256 join answer a on a.return_id = r.id
      group by f.original_name, r.date_completed order by f.original_name`)
      ).rows;
      expect(meta).toEqual([
        { original_name: 'a-original.xlsx', completed: '2025-05-02', methods: 'id' },
        { original_name: 'b-libreoffice.xlsx', completed: '2025-05-02', methods: 'id' },
        { original_name: 'c-libreoffice.ods', completed: '2025-05-02', methods: 'id' },
        { original_name: 'd-excel97.xls', completed: '2025-05-02', methods: 'id' },
      ]);
    },
    180_000,
  );
});
