import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { writeFeedback, type FeedbackOutput } from '../../../pipeline/feedback/index.ts';
import { childPath, safeStem, uniqueNamer } from '../../../pipeline/runtime/safe-file-name.ts';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { checkReturnBytes } from '../../../pipeline/ingest/questionnaire/check-return.ts';
import { teamIssues } from '../../../pipeline/checker/wording.ts';
import { limitsSchema } from '../../../pipeline/runtime/workspace.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

const list = loadQuestionList(2025);

async function open(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  return wb;
}
const sheetText = (ws: ExcelJS.Worksheet): string => {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? ''))));
  return out.join('\n');
};

describe('file names made from team names', () => {
  it('keeps letters and digits only, so no name can leave the folder', () => {
    expect(safeStem('../../etc/passwd', 'x')).toBe('etc-passwd');
    expect(safeStem('C:\\Teams\\Ash\u0007 Team', 'x')).toBe('c-teams-ash-team');
    expect(safeStem('Équipe Bébé', 'x')).toBe('equipe-bebe');
    expect(safeStem('\u0000\u001f /// ..', 'return-7')).toBe('return-7');
  });
  it('refuses a name that is not a plain child of the folder', () => {
    expect(() => childPath('/tmp/out', '../x.xlsx')).toThrow(/not a plain file name/);
    expect(() => childPath('/tmp/out', 'a/b.xlsx')).toThrow(/not a plain file name/);
    expect(childPath('/tmp/out', 'a.xlsx')).toBe('/tmp/out/a.xlsx');
  });
  it('gives two teams with the same stem different names', () => {
    const name = uniqueNamer();
    expect([name('ash', '1', '.xlsx'), name('ash', '2', '.xlsx'), name('ash', '2', '.xlsx')]).toEqual([
      'ash.xlsx',
      'ash-2.xlsx',
      'ash-2-2.xlsx',
    ]);
  });
});

describe('census feedback', () => {
  let t: TestDb;
  let ws: string;
  let out: string;
  let files: FeedbackOutput[];
  let inbox: string;
  beforeAll(async () => {
    t = await freshDatabase();
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    inbox = mkdtempSync(join(tmpdir(), 'inbox-fb-'));
    await writeSample2025(list, inbox);
    await writeReturn(
      inbox,
      'juniper.xlsx',
      list,
      {
        ...teamAnswers('../../Juniper: Team', 'Juniper Trust', 'jo@juniper.example'),
        respondent_name: 'Jo Bloggs',
        referrals_received: 'ask jo@juniper.example',
        families_supported: 'Jo Bloggs knows',
        // Typed as text: an issue on Date completed, which no question list holds.
      },
      'yesterday',
    );
    await ingest(
      { paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t, { dir: ws }),
    );
    out = mkdtempSync(join(tmpdir(), 'feedback-'));
    files = await writeFeedback({ wave: 2025, outDir: out }, testCtx(t, { dir: ws }));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('writes one workbook per return with issues, named safely from the team name, and nothing else', () => {
    expect(files.map((f) => [f.file, f.kind])).toEqual([
      ['juniper-team-2025-feedback.xlsx', 'annotated'],
      ['lough-families-2025-feedback.xlsx', 'annotated'],
    ]);
    expect(readdirSync(out).sort()).toEqual(files.map((f) => f.file).sort());
  });

  it("puts the summary sheet first, each issue as a sentence in the team's words, printing on one page", async () => {
    const wb = await open(join(out, 'lough-families-2025-feedback.xlsx'));
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Feedback');
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const header = rows.findIndex((r) => r[1] === 'Question');
    expect(rows[header]!.slice(1)).toEqual(['Question', 'Where', 'What we found']);
    expect(rows[header + 1]!.slice(0, 3)).toEqual([
      'Please correct',
      'Families supported directly',
      'Questionnaire!C40',
    ]);
    expect(String(rows[header + 1]![3])).toMatch(
      /^We could not read "lots" as an answer to "Families supported directly"\. Please choose one of: Fewer than 25;/,
    );
    expect(ws.pageSetup).toMatchObject({ fitToPage: true, fitToWidth: 1, fitToHeight: 1 });
  });

  it('says nothing internal to a team: no issue codes, question ids or advice meant for census staff', async () => {
    for (const f of files) {
      const summary = sheetText((await open(join(out, f.file))).worksheets[0]!);
      expect(summary, f.file).not.toMatch(/\b[a-z]+_[a-z_]+\b|record a correction|ask the team|census /i);
    }
  });

  it("marks the bad cell of the team's own workbook with a note and a fill", async () => {
    const wb = await open(join(out, 'lough-families-2025-feedback.xlsx'));
    const cell = wb.getWorksheet('Questionnaire')!.getCell('C40');
    expect(cell.value).toBe('lots');
    expect(String(cell.note)).toMatch(
      /^Please correct: We could not read "lots" as an answer to "Families supported directly"/,
    );
    expect(String(cell.note)).not.toMatch(/band_unknown|families_supported/);
    expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } });
    // Printed, the note's text is in the column after the sheet's last (LibreOffice prints no notes);
    // its other print settings are the template's.
    expect(wb.getWorksheet('Questionnaire')!.getCell('E40').value).toBe(String(cell.note));
    const setup = wb.getWorksheet('Questionnaire')!.pageSetup;
    expect(setup).toMatchObject({ fitToPage: true, fitToWidth: 1 });
  });

  it('words each issue on the self-check page exactly as the feedback workbook does (one wording for both)', async () => {
    const summaryRows = async (file: string): Promise<string[][]> => {
      const sheet = (await open(join(out, file))).worksheets[0]!;
      const rows: string[][] = [];
      sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1, 5).map((v) => String(v ?? ''))));
      return rows.slice(rows.findIndex((r) => r[1] === 'Question') + 1);
    };
    // The one difference: the workbook travels by e-mail, so it also removes the respondent's own name
    // where a message quotes it; the page runs on the team's own computer and keeps it.
    for (const [returned, feedback, respondent] of [
      ['lough-families.xlsx', 'lough-families-2025-feedback.xlsx', null],
      ['juniper.xlsx', 'juniper-team-2025-feedback.xlsx', 'Jo Bloggs'],
    ] as const) {
      const names = readdirSync(inbox);
      const name = names.find((n) => n === returned) ?? names.find((n) => n.startsWith(returned.split('.')[0]!))!;
      const checked = await checkReturnBytes(
        readFileSync(join(inbox, name)),
        { name, hash: '' },
        list,
        limitsSchema.parse({}),
      );
      const page = teamIssues(checked.issues, list).map((r) => [
        r.need,
        r.question || '(the file as a whole)',
        r.at,
        r.sentence.replaceAll(respondent ?? '\u0000', '[removed]'),
      ]);
      expect(page.length, name).toBeGreaterThan(0);
      expect(page, name).toEqual(await summaryRows(feedback));
      if (respondent) expect(teamIssues(checked.issues, list).some((r) => r.sentence.includes(respondent))).toBe(true);
    }
  });

  it('writes a covering e-mail per team with --emails: To the respondent, the wave in the subject, the same sentences, the workbook attached', async () => {
    const again = mkdtempSync(join(tmpdir(), 'feedback-again-'));
    const mail = join(again, 'mail');
    const written = await writeFeedback(
      { wave: 2025, outDir: join(again, 'wb'), emailsDir: mail },
      testCtx(t, { dir: ws }),
    );
    expect(readdirSync(mail).sort()).toEqual(written.map((f) => f.file.replace(/\.xlsx$/, '.eml')).sort());
    const eml = readFileSync(join(mail, 'lough-families-2025-feedback.eml'), 'utf8');
    const [head, ...rest] = eml.split('\r\n\r\n');
    expect(head).toMatch(/^To: \S+@\S+\r\nSubject: Parent-infant team census 2025: feedback on your return/);
    const body = rest.join('\n');
    expect(body).toContain('We could not read "lots" as an answer to "Families supported directly".');
    // Each point says where it is, as the summary sheet does.
    expect(body).toMatch(
      /\d+\. Please correct \(Families supported directly, Questionnaire!C40\): We could not read "lots"/,
    );
    expect(body).not.toMatch(/band_unknown|families_supported|record a correction/);
    const b64 = /filename="lough-families-2025-feedback\.xlsx"\r\n\r\n([A-Za-z0-9+/=\r\n]+)\r\n--/.exec(eml)![1]!;
    const attached = Buffer.from(b64.replace(/\r\n/g, ''), 'base64');
    expect(attached.equals(readFileSync(join(again, 'wb', 'lough-families-2025-feedback.xlsx')))).toBe(true);
  });

  it("keeps the respondent's name and e-mail out of the summary sheet, even where a message quoted them", async () => {
    const wb = await open(join(out, 'juniper-team-2025-feedback.xlsx'));
    const summary = sheetText(wb.worksheets[0]!);
    expect(summary).toMatch(/We could not read/);
    expect(summary).toContain('[removed]');
    expect(summary).not.toMatch(/jo@juniper\.example|Jo Bloggs/i);
    expect(summary).not.toMatch(/respondent@example\.org/);
  });
});

describe('census feedback for a survey export', () => {
  let t: TestDb;
  afterAll(async () => {
    await t.drop();
  });

  it("writes a summary workbook per team holding only the issues on that team's row", async () => {
    t = await freshDatabase();
    const sha = 'a'.repeat(64);
    const now = '2025-06-01T00:00:00Z';
    await t.pool.query(`insert into raw_file values ($1, 10, 'text/csv', 'export.csv', $2)`, [sha, now]);
    await t.pool.query(
      `insert into file_receipt (sha256, wave, original_name, source_kind, received_at) values ($1, 2025, 'export.csv', 'survey_export', $2)`,
      [sha, now],
    );
    const teams = (
      await t.pool.query(
        `insert into team (name, created_at) values ('Oak Team', $1), ('Pine Team', $1) returning id`,
        [now],
      )
    ).rows.map((r) => r.id);
    const rets = (
      await t.pool.query(
        `insert into questionnaire_return (sha256, wave, source_kind, part, team_id, state, received_at, rule_version)
      values ($1, 2025, 'survey_export', 1, $2, 'loaded', $4, 'r'), ($1, 2025, 'survey_export', 2, $3, 'rejected', $4, 'r') returning id`,
        [sha, teams[0], teams[1], now],
      )
    ).rows.map((r) => r.id);
    await t.pool.query(
      `insert into answer (return_id, question_id, value_kind, row_no) values ($1, 'nation', 'missing', 2), ($2, 'nation', 'missing', 3)`,
      rets,
    );
    await t.pool.query(
      `insert into data_issue (sha256, file_name, wave, code, severity, message, row_no, question_id, raw) values
      ($1, 'export.csv', 2025, 'count_unreadable', 'warning', 'about Oak', 2, 'referrals_received', 'oak-lots'),
      ($1, 'export.csv', 2025, 'count_unreadable', 'error', 'about Pine', 3, 'referrals_received', 'pine-lots'),
      ($1, 'export.csv', 2025, 'header_unmatched', 'warning', 'about the export', null, null, 'export-col')`,
      [sha],
    );
    const out = mkdtempSync(join(tmpdir(), 'feedback-export-'));
    const written = await writeFeedback({ wave: 2025, outDir: out }, testCtx(t));
    expect(written.map((f) => [f.file, f.kind, f.issues])).toEqual([
      ['oak-team-2025-feedback.xlsx', 'summary', 1],
      ['pine-team-2025-feedback.xlsx', 'summary', 1],
    ]);
    const pine = sheetText((await open(join(out, 'pine-team-2025-feedback.xlsx'))).worksheets[0]!);
    expect(pine).toContain('We could not read "pine-lots" as an answer to "Referrals received"');
    expect(pine).not.toMatch(/oak-lots|export-col|about Pine/);
  });
});

describe('census feedback for a team that sent two returns', () => {
  let t: TestDb;
  afterAll(async () => {
    await t.drop();
  });

  it('writes one workbook, for the latest return only', async () => {
    t = await freshDatabase();
    const now = '2025-06-01T00:00:00Z';
    const team = (await t.pool.query(`insert into team (name, created_at) values ('Oak Team', $1) returning id`, [now]))
      .rows[0].id;
    for (const [sha, name, raw] of [
      ['b'.repeat(64), 'first.csv', 'first-lots'],
      ['c'.repeat(64), 'second.csv', 'second-lots'],
    ] as const) {
      await t.pool.query(`insert into raw_file values ($1, 10, 'text/csv', $2, $3)`, [sha, name, now]);
      await t.pool.query(
        `insert into file_receipt (sha256, wave, original_name, source_kind, received_at) values ($1, 2025, $2, 'survey_export', $3)`,
        [sha, name, now],
      );
      await t.pool.query(
        `insert into questionnaire_return (sha256, wave, source_kind, part, team_id, state, received_at, rule_version)
        values ($1, 2025, 'survey_export', 1, $2, 'loaded', $3, 'r')`,
        [sha, team, now],
      );
      await t.pool.query(
        `insert into data_issue (sha256, file_name, wave, code, severity, message, row_no, question_id, raw)
        values ($1, $2, 2025, 'count_unreadable', 'error', 'm', 2, 'referrals_received', $3)`,
        [sha, name, raw],
      );
    }
    const out = mkdtempSync(join(tmpdir(), 'feedback-latest-'));
    const written = await writeFeedback({ wave: 2025, outDir: out }, testCtx(t));
    expect(written.map((f) => f.file)).toEqual(['oak-team-2025-feedback.xlsx']);
    const text = sheetText((await open(join(out, 'oak-team-2025-feedback.xlsx'))).worksheets[0]!);
    expect(text).toContain('second-lots');
    expect(text).not.toContain('first-lots');
  });

  it('names the question and the place of an issue as the team knows them: Date completed, a quoted sheet name', async () => {
    const db = await freshDatabase();
    try {
      const now = '2025-06-01T00:00:00Z';
      const team = (
        await db.pool.query(`insert into team (name, created_at) values ('Elm Team', $1) returning id`, [now])
      ).rows[0].id;
      const sha = 'd'.repeat(64);
      await db.pool.query(`insert into raw_file values ($1, 10, 'text/csv', 'elm.csv', $2)`, [sha, now]);
      await db.pool.query(
        `insert into file_receipt (sha256, wave, original_name, source_kind, received_at) values ($1, 2025, 'elm.csv', 'survey_export', $2)`,
        [sha, now],
      );
      await db.pool.query(
        `insert into questionnaire_return (sha256, wave, source_kind, part, team_id, state, received_at, rule_version)
      values ($1, 2025, 'survey_export', 1, $2, 'loaded', $3, 'r')`,
        [sha, team, now],
      );
      for (const [code, severity, sheet, cell, question, raw] of [
        ['date_unreadable', 'warning', 'Instructions', 'B14', 'date_completed', 'yesterday'],
        ['decimal_unreadable', 'error', 'Staff and roles', 'C3', 'wte_total', 'abc'],
        // A note for census staff only (the same bytes twice in one ingest): nothing for the team to do.
        ['file_duplicate_in_batch', 'info', null, null, null, null],
      ])
        await db.pool.query(
          `insert into data_issue (sha256, file_name, wave, code, severity, message, sheet, cell, row_no, question_id, raw)
        values ($1, 'elm.csv', 2025, $2, $3, 'm', $4, $5, 2, $6, $7)`,
          [sha, code, severity, sheet, cell, question, raw],
        );
      const out = mkdtempSync(join(tmpdir(), 'feedback-where-'));
      await writeFeedback({ wave: 2025, outDir: out }, testCtx(db));
      const ws = (await open(join(out, 'elm-team-2025-feedback.xlsx'))).worksheets[0]!;
      const rows: unknown[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      const byWhere = new Map(rows.map((r) => [String(r[2]), r]));
      // Date completed is no question of the list, yet the team reads its name, not "the file as a whole".
      expect(byWhere.get('Instructions!B14')!.slice(0, 2)).toEqual(['Please check', 'Date completed']);
      expect(String(byWhere.get('Instructions!B14')![3])).toMatch(
        /^We could not read "yesterday" as an answer to "Date completed"/,
      );
      // With what a good answer looks like, as any date question's sentence has.
      expect(String(byWhere.get('Instructions!B14')![3])).toMatch(
        /Please type the date day first, e\.g\. 31\/03\/2025\.$/,
      );
      // A sheet name with spaces is quoted, as the Name Box of Excel or LibreOffice takes it.
      expect(byWhere.get("'Staff and roles'!C3")![1]).toBe('Total staff (whole-time equivalent)');
      expect(sheetText(ws)).not.toMatch(/For information|the whole file|Please check your file/);
      expect(ws.getColumn(3).width).toBeGreaterThanOrEqual("'Staff and roles'!C3".length);
    } finally {
      await db.drop();
    }
  });
});
