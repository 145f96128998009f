import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { readSurveyExport } from '../../../sources/questionnaire/survey-export.ts';
import { decodeText, utf16WithoutBom } from '../../../sources/shared/text-decode.ts';
import { validate } from '../../../pipeline/ingest/questionnaire/validate.ts';
import type { StoredFile } from '../../../schemas/stage.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

const list = loadQuestionList(2023);
const HASH = 'a'.repeat(64);
const COMMENT = 'Funding of £12,000 for the café – “pilot”; it’s going well';

const HEADERS = [
  'Name of your team',
  'Organisation that hosts the team',
  'Nation',
  'Region (England only)',
  'Status of the team',
  'Sources of funding (tick all)',
  'Interventions offered (tick all): Video feedback (VIG or VIPP)',
  'Interventions offered (tick all): Circle of Security',
  'Interventions offered (tick all): Watch, Wait and Wonder',
  'Referrals received (last 12 months)',
  'Families supported directly',
  'End Date',
  'Anything else you would like to tell us',
  'Favourite colour',
];
const ROWS: (string | number | null)[][] = [
  [
    'Riverside Babies',
    'Riverside NHS Foundation Trust',
    'England',
    'London',
    'Established',
    'NHS commissioner (ICB or health board); CAMHS',
    'Video feedback (VIG or VIPP)',
    null,
    'Watch, Wait and Wonder',
    'approx 40',
    '25-50',
    '2023-05-12',
    COMMENT,
    'blue',
  ],
  [
    'Glen Team',
    'NHS Lothian',
    'Scotland',
    null,
    'In development',
    'Voluntary or charitable',
    null,
    'Circle of Security',
    null,
    12,
    '0-24',
    '2023-05-20',
    null,
    null,
  ],
];

function csvText(delimiter: string): string {
  const quote = (v: string | number | null): string => {
    const s = v === null ? '' : String(v);
    return s.includes(delimiter) || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [HEADERS, ...ROWS].map((r) => r.map(quote).join(delimiter)).join('\r\n') + '\r\n';
}

async function xlsxBytes(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date('2023-06-01T00:00:00Z');
  wb.modified = wb.created;
  wb.addWorksheet('Notes').addRow(['Exported from the survey tool']);
  const ws = wb.addWorksheet('Responses');
  ws.addRow(HEADERS);
  for (const r of ROWS) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FORMATS: Record<string, () => Promise<Buffer>> = {
  xlsx: xlsxBytes,
  'csv in UTF-8 with a BOM': async () =>
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(','), 'utf8')]),
  'csv in Windows-1252 with ";"': async () => iconv.encode(csvText(';'), 'win1252'),
  'csv in UTF-16LE with a BOM': async () =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csvText(','), 'utf16le')]),
  'tab-separated text': async () => Buffer.from(csvText('\t'), 'utf8'),
  'csv in UTF-16LE without a BOM': async () => iconv.encode(csvText(','), 'utf16le'),
};

async function readValues(bytes: Buffer) {
  const out = await readSurveyExport(bytes, HASH, list);
  const file = { hash: HASH, wave: 2023 } as StoredFile;
  const v = validate({ file, returns: out.returns, issues: out.issues }, list);
  return { out, v, values: v.returns.map((r) => Object.fromEntries(r.answers.map((a) => [a.questionId, a.value]))) };
}

describe('survey export reader (2023)', () => {
  it.each(Object.keys(FORMATS))('reads one return per team with the same answers from %s', async (name) => {
    const { out, values, v } = await readValues(await FORMATS[name]!());
    expect(out.returns.map((r) => r.part)).toEqual([1, 2]);
    expect(values[0]).toMatchObject({
      team_name: { kind: 'text', text: 'Riverside Babies' },
      nation: { kind: 'code', code: 'england' },
      funding_sources: { kind: 'codes', codes: ['nhs_commissioner', 'camhs'] },
      interventions: { kind: 'codes', codes: ['video_feedback', 'watch_wait_wonder'] },
      referrals_received: { kind: 'interval', low: 40, high: 40, approximate: true },
      families_supported: { kind: 'interval', low: 25, high: 50, bandCode: '25_50' },
      comments: { kind: 'text', text: COMMENT },
    });
    expect(values[1]).toMatchObject({
      funding_sources: { kind: 'codes', codes: ['voluntary_or_charitable'] },
      interventions: { kind: 'codes', codes: ['circle_of_security'] },
      referrals_received: { kind: 'interval', low: 12, high: 12, approximate: false },
    });
    expect(v.returns.map((r) => r.dateCompleted)).toEqual(['2023-05-12', '2023-05-20']);
    expect(v.returns.flatMap((r) => r.issues).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('records the header match: method header, score 1 when exact, the fuzzy score when reworded', async () => {
    const { out } = await readValues(await FORMATS['csv in UTF-8 with a BOM']!());
    const byQ = new Map(
      out.returns[0]!.answers.map((a) => [`${a.questionId}${a.optionCode ? `:${a.optionCode}` : ''}`, a]),
    );
    expect(byQ.get('team_name')!.match).toEqual({ method: 'header', score: 1 });
    expect(byQ.get('interventions:circle_of_security')!.match).toEqual({ method: 'header', score: 1 });
    const fuzzy = byQ.get('referrals_received')!.match;
    expect(fuzzy.method).toBe('header');
    expect(fuzzy.score).toBeGreaterThanOrEqual(0.75);
    expect(fuzzy.score).toBeLessThan(1);
  });

  it('locates csv answers by row (header = row 1) and column header, xlsx answers by sheet!cell', async () => {
    const csv = await readValues(await FORMATS['csv in UTF-8 with a BOM']!());
    expect(csv.out.returns[1]!.answers.find((a) => a.questionId === 'team_name')!.location).toEqual({
      fileHash: HASH,
      row: 3,
      column: 'Name of your team',
    });
    const xlsx = await readValues(await xlsxBytes());
    expect(xlsx.out.returns[1]!.answers.find((a) => a.questionId === 'team_name')!.location).toEqual({
      fileHash: HASH,
      sheet: 'Responses',
      cell: 'A3',
    });
  });

  it('reports a header that matches no question, naming the column and an example answer, instead of dropping it', async () => {
    const { out } = await readValues(await FORMATS['csv in Windows-1252 with ";"']!());
    const unmatched = out.issues.filter((i) => i.code === 'header_unmatched');
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]).toMatchObject({
      severity: 'warning',
      location: { row: 1, column: 'Favourite colour' },
      raw: 'blue',
    });
    expect(out.issues.map((i) => i.code)).toContain('csv_encoding_windows_1252');
  });

  it("ignores a survey tool's own columns (respondent and collector ids, dates, IP and e-mail address, custom data), storing none of them", async () => {
    const meta = ['Respondent ID', 'Collector ID', 'Start Date', 'IP Address', 'Email Address', 'Custom Data 1'];
    const values = [['11', '22', '2023-05-01', '192.0.2.7', 'someone@example.org', 'x']];
    const text = [
      [...meta, 'Name of your team', 'Nation'].join(','),
      [...values[0]!, 'Riverside Babies', 'England'].join(','),
    ].join('\n');
    const out = await readSurveyExport(Buffer.from(text, 'utf8'), HASH, list);
    expect(out.issues.filter((i) => i.code === 'header_unmatched')).toEqual([]);
    expect(JSON.stringify(out.returns)).not.toContain('192.0.2.7');
    // The wave asks the respondent's e-mail by that name: a personal question (kept apart, never an answer row).
    expect(out.returns[0]!.answers.map((a) => a.questionId).sort()).toEqual([
      'nation',
      'respondent_email',
      'team_name',
    ]);
    expect(list.questions.find((q) => q.id === 'respondent_email')!.personal).toBe(true);
  });

  it("reads a survey tool's US timestamps as dates, and the question's own e-mail column over the tool's empty one", async () => {
    const text = [
      'Respondent ID,End Date,Email Address,Name of your team,Nation,Your email',
      '11,06/26/2023 10:55:00 AM,,Riverside Babies,England,r@riverside.example',
      '12,07/01/2023 09:01:00 AM,,Glen Team,Scotland,g@glen.example',
    ].join('\n');
    const { out, v } = await readValues(Buffer.from(text, 'utf8'));
    expect(v.returns.map((r) => r.dateCompleted)).toEqual(['2023-06-26', '2023-07-01']);
    expect(v.issues.filter((i) => i.code === 'date_unreadable')).toEqual([]);
    const email = out.returns.map((r) => r.answers.find((a) => a.questionId === 'respondent_email')?.raw);
    expect(email).toEqual(['r@riverside.example', 'g@glen.example']);
  });

  it("reads SurveyMonkey's two header rows as one (each option column of a tick-all question), and keeps a test response out (v10q corpus)", async () => {
    const text = [
      'Respondent ID,Name of your team,Nation,Sources of funding (tick all),,',
      ',Open-Ended Response,Response,NHS commissioner (ICB or health board),CAMHS,Public health',
      '11,Riverside Babies,England,NHS commissioner (ICB or health board),,Public health',
      '12,TEST - please ignore,England,,,',
      '13,Glen Team,Scotland,,CAMHS,',
    ].join('\n');
    const { out, v } = await readValues(Buffer.from(text, 'utf8'));
    expect(out.issues.filter((i) => i.code === 'header_unmatched')).toEqual([]);
    const teams = out.returns.map((r) => r.answers.find((a) => a.questionId === 'team_name')?.raw);
    expect(teams).toEqual(['Riverside Babies', 'TEST - please ignore', 'Glen Team']);
    const funding = out.returns.map((r) =>
      r.answers
        .filter((a) => a.questionId === 'funding_sources' && a.raw !== null)
        .map((a) => a.optionCode)
        .sort(),
    );
    expect(funding[0]).toHaveLength(2);
    expect(funding[2]).toHaveLength(1);
    // The test row is kept out as a whole (an error about the return itself), the others load.
    expect(v.returns.map((r) => r.issues.some((i) => i.code === 'test_response'))).toEqual([false, true, false]);
  });

  it('counts csv rows by record, so an answer spanning lines does not shift the rows after it', async () => {
    const text =
      'Name of your team,Anything else you would like to tell us\r\nA team,"line one\r\nline two"\r\nB team,\r\n';
    const { out, values } = await readValues(Buffer.from(text));
    expect(values[0]!.comments).toEqual({ kind: 'text', text: 'line one\r\nline two' });
    expect(out.returns.map((r) => [r.part, r.answers[0]!.location.row])).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('reports a per-option column whose option is not listed', async () => {
    const text = 'Name of your team,Interventions offered (tick all): Baby massage\r\nA team,Baby massage\r\n';
    const { out } = await readValues(Buffer.from(text));
    expect(out.issues).toEqual([
      expect.objectContaining({
        code: 'header_unmatched',
        location: { fileHash: HASH, row: 1, column: 'Interventions offered (tick all): Baby massage' },
      }),
    ]);
  });

  it.each(['csv', 'xlsx'])(
    'reports a 1 MB header cell of a %s as header_too_long, unmatched, and reads the other columns',
    async (kind) => {
      const huge = 'Name of your team '.repeat(60_000);
      let bytes = Buffer.from(`Name of your team,Nation,${huge}\r\nA team,England,lost\r\n`);
      if (kind === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('Responses');
        ws.addRow(['Name of your team', 'Nation', huge]);
        ws.addRow(['A team', 'England', 'lost']);
        bytes = Buffer.from(await wb.xlsx.writeBuffer());
      }
      const { out, values } = await readValues(bytes);
      expect(values[0]).toMatchObject({
        team_name: { kind: 'text', text: 'A team' },
        nation: { kind: 'code', code: 'england' },
      });
      const long = out.issues.filter((i) => i.code === 'header_too_long');
      expect(long).toEqual([
        expect.objectContaining({
          severity: 'warning',
          location:
            kind === 'csv'
              ? { fileHash: HASH, row: 1, column: 'column 3' }
              : { fileHash: HASH, sheet: 'Responses', cell: 'C1' },
        }),
      ]);
      expect(long[0]!.message).toMatch(/column 3 is 1079999 characters long, over the 500 .*1 filled cell/);
      expect(long[0]!.raw!.length).toBeLessThanOrEqual(80);
      expect(out.issues.map((i) => i.code)).not.toContain('header_unmatched');
    },
  );

  it('rejects a file with no recognisable header row with an error', async () => {
    const { out } = await readValues(Buffer.from('colour,size\r\nblue,3\r\n'));
    expect(out.returns).toEqual([]);
    expect(out.issues.map((i) => [i.code, i.severity])).toEqual([['survey_export_not_recognised', 'error']]);
  });
});

describe('decodeText', () => {
  it('decodes UTF-8 with and without a BOM, UTF-16 LE and BE with a BOM, and falls back to Windows-1252', () => {
    const s = '£ é “q” €';
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]))).toEqual({
      text: s,
      encoding: 'utf-8',
      bom: true,
    });
    expect(decodeText(Buffer.from(s))).toEqual({ text: s, encoding: 'utf-8', bom: false });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(s, 'utf16le')]))).toEqual({
      text: s,
      encoding: 'utf-16le',
      bom: true,
    });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(s, 'utf16be')]))).toEqual({
      text: s,
      encoding: 'utf-16be',
      bom: true,
    });
    expect(decodeText(iconv.encode(s, 'win1252'))).toEqual({ text: s, encoding: 'windows-1252', bom: false });
  });

  it('recognises UTF-16 without a BOM by its zero bytes, and never mistakes UTF-8 or Windows-1252 for it', () => {
    const s = 'Name of your team,Nation\r\nCafé Team,England\r\n';
    expect(decodeText(iconv.encode(s, 'utf16le'))).toEqual({ text: s, encoding: 'utf-16le', bom: false });
    expect(decodeText(iconv.encode(s, 'utf16be'))).toEqual({ text: s, encoding: 'utf-16be', bom: false });
    expect(utf16WithoutBom(Buffer.from(s))).toBeNull();
    expect(utf16WithoutBom(iconv.encode(s, 'win1252'))).toBeNull();
  });
});

describe('ingest --wave 2023 of survey exports', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads every team of an xlsx export and of a csv export as returns with part = data row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-2023-'));
    writeFileSync(join(dir, 'export.xlsx'), await xlsxBytes());
    writeFileSync(join(dir, 'export-eu.csv'), await FORMATS['csv in Windows-1252 with ";"']!());
    const s = await ingest(
      { paths: [dir], wave: 2023, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t),
    );
    expect(s.files.map((f) => [f.name, f.kind, f.status, f.returnsLoaded])).toEqual([
      ['export-eu.csv', 'survey_export', 'loaded', 2],
      ['export.xlsx', 'survey_export', 'loaded', 2],
    ]);
    const rows = (
      await t.pool
        .query(`select f.original_name, r.part, a.codes, a.row_no, a.column_name, a.sheet, a.cell, a.match_method
      from answer a join questionnaire_return r on r.id = a.return_id join file_receipt f on f.sha256 = r.sha256
      where a.question_id = 'funding_sources' order by f.original_name, r.part`)
    ).rows;
    expect(rows).toEqual([
      {
        original_name: 'export-eu.csv',
        part: 1,
        codes: ['nhs_commissioner', 'camhs'],
        row_no: 2,
        column_name: 'Sources of funding (tick all)',
        sheet: null,
        cell: null,
        match_method: 'header',
      },
      {
        original_name: 'export-eu.csv',
        part: 2,
        codes: ['voluntary_or_charitable'],
        row_no: 3,
        column_name: 'Sources of funding (tick all)',
        sheet: null,
        cell: null,
        match_method: 'header',
      },
      {
        original_name: 'export.xlsx',
        part: 1,
        codes: ['nhs_commissioner', 'camhs'],
        row_no: null,
        column_name: null,
        sheet: 'Responses',
        cell: 'F2',
        match_method: 'header',
      },
      {
        original_name: 'export.xlsx',
        part: 2,
        codes: ['voluntary_or_charitable'],
        row_no: null,
        column_name: null,
        sheet: 'Responses',
        cell: 'F3',
        match_method: 'header',
      },
    ]);
    const issues = (
      await t.pool.query(
        "select file_name, column_name, cell from data_issue where code = 'header_unmatched' order by file_name",
      )
    ).rows;
    expect(issues).toEqual([
      { file_name: 'export-eu.csv', column_name: 'Favourite colour', cell: null },
      { file_name: 'export.xlsx', column_name: 'Favourite colour', cell: 'N1' },
    ]);
  });
});
