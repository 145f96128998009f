import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { waveProcessor } from '../../../pipeline/ingest/questionnaire/reread.ts';
import { flaggedAnswers, waveCoverage, type WaveCoverage } from '../../../pipeline/returns/coverage.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { PINNED_NOW, testCtx } from '../../support/ctx.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

const list = loadQuestionList(2025);

describe('coverage of a wave (census returns, report section 8b)', () => {
  let t: TestDb;
  let ws: string;
  let c: WaveCoverage;
  const ctx = () => ({ ...testCtx(t, { dir: ws, now: PINNED_NOW }), actor: 'A. Lee' });

  beforeAll(async () => {
    t = await freshDatabase();
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    const inbox = mkdtempSync(join(tmpdir(), 'inbox-coverage-'));
    // Babies under two above the families band: kept as given and flagged (a check between answers).
    await writeReturn(
      inbox,
      'alder.xlsx',
      list,
      teamAnswers('Alder Team', 'Alder Trust', 'a@alder.example', { families_supported: '25-49', babies_under_2: 90 }),
    );
    // An unreadable answer: stored missing, the team still counts.
    await writeReturn(
      inbox,
      'birch.xlsx',
      list,
      teamAnswers('Birch Team', 'Birch Trust', 'b@birch.example', { professionals_trained: 'lots' }),
    );
    await writeReturn(inbox, 'cedar.xlsx', list, teamAnswers('Cedar Team', 'Cedar Trust', 'c@cedar.example'));
    // The same bytes under another name: kept out as a copy, the team counts once.
    copyFileSync(join(inbox, 'cedar.xlsx'), join(inbox, 'zz copy of cedar.xlsx'));
    // Not a return at all: a list of contacts sent by mistake.
    const contacts = new ExcelJS.Workbook();
    contacts.addWorksheet('Contacts').addRows([
      ['Team', 'Name', 'E-mail'],
      ['Alder Team', 'A. Person', 'a@alder.example'],
    ]);
    writeFileSync(join(inbox, 'team contacts.xlsx'), Buffer.from(await contacts.xlsx.writeBuffer()));
    await ingest({ paths: [inbox], wave: 2025, processor: await waveProcessor(ctx(), 2025), command: 'test' }, ctx());
    c = await waveCoverage(t.db, 2025);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('counts every team whose return has answer-level problems, of the network', () => {
    expect({ network: c.network, returned: c.returned, missing: c.missing }).toEqual({
      network: 3,
      returned: 3,
      missing: 0,
    });
  });

  it('counts an unreadable answer as not answered and unreadable, for its question only', () => {
    const q = (id: string) => c.questions.find((x) => x.questionId === id)!;
    expect(q('professionals_trained')).toMatchObject({ unreadable: 1, flagged: 0 });
    expect(q('professionals_trained').answered + q('professionals_trained').notAnswered).toBe(3);
    expect(q('families_supported').unreadable).toBe(0);
  });

  it('counts an answer contradicting another as flagged, and names its return for the leave-out parameter', async () => {
    const flagged = c.questions.filter((x) => x.flagged > 0).map((x) => [x.questionId, x.flagged]);
    expect(flagged).toEqual([['babies_under_2', 1]]);
    const keys = await flaggedAnswers(t.db, 2025);
    expect([...keys.keys()]).toEqual(['babies_under_2']);
    expect(keys.get('babies_under_2')!.size).toBe(1);
  });

  it('lists the byte-identical copy and the file that is not a return as kept out, with their reasons', () => {
    expect(c.keptOut).toEqual([
      expect.objectContaining({
        file: 'team contacts.xlsx',
        state: 'not read',
        reason: expect.stringMatching(/not_recognised: /),
      }),
      expect.objectContaining({
        file: 'zz copy of cedar.xlsx',
        state: 'copy',
        reason: expect.stringMatching(/^file_duplicate_in_batch: /),
      }),
    ]);
  });
});
