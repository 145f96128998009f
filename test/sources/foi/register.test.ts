import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { headerField, readDate, readRegister } from '../../../sources/foi/register.ts';
import { loadTrusts } from '../../../sources/foi/trusts.ts';

const trusts = loadTrusts();
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const read = (bytes: Uint8Array) => readRegister({ bytes, fileHash: 'h1' }, trusts);
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);
const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));

const CSV = [
  'Our ref,Trust FOI ref,ODS,Trust,Date sent (dd/mm/yyyy),Date of reply,Clarification requested,Clarification provided,Status,Exemptions,Comments,Colour',
  'PIR-01,FOI 1234,RPG,Oxleas NHS FT,11/03/2024,05/04/2024,,,Answered,,fine,red',
  'PIR-02,,,South London & Maudsley NHS Foundation Trust,2024-03-11,,20/03/2024,2 April 2024,clarification,,,',
  'PIR-03,,RRP,"Barnet, Enfield and Haringey Mental Health NHS Trust",11/3/24,45390,,,refused,"s40(2), s43",,',
  'PIR-04,,,St Elsewhere Trust,11/03/2024,,,,,,,',
].join('\r\n');

describe('reading a csv register', () => {
  it('finds columns by header name and reads UK, ISO, long and Excel-serial dates', async () => {
    const { rows } = await read(utf8(`\uFEFF${CSV}`));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      location: { fileHash: 'h1', row: 2 },
      ourRef: 'PIR-01',
      theirRef: 'FOI 1234',
      odsCodeTyped: 'RPG',
      trustNameTyped: 'Oxleas NHS FT',
      trust: { odsCode: 'RPG', originalOdsCode: 'RPG', method: 'ods', score: 1 },
      dateSent: '2024-03-11',
      dateReplied: '2024-04-05',
      clarificationAsked: null,
      clarificationAnswered: null,
      typedStatus: 'Answered',
      exemptions: [],
      notes: 'fine',
    });
    expect(rows[1]).toMatchObject({
      trust: { odsCode: 'RV5', method: 'name' },
      clarificationAsked: '2024-03-20',
      clarificationAnswered: '2024-04-02',
      typedStatus: 'clarification',
    });
    expect(rows[2]).toMatchObject({ dateSent: '2024-03-11', dateReplied: '2024-04-08', exemptions: ['s40(2)', 's43'] });
  });

  it('maps a merged trust to its successor, keeping the trust the row names', async () => {
    const { rows, issues } = await read(utf8(CSV));
    expect(rows[2]!.trust).toEqual({ odsCode: 'G6V2S', originalOdsCode: 'RRP', method: 'ods', score: 1 });
    expect(issues.find((i) => i.code === 'register_trust_successor')?.location).toEqual({ fileHash: 'h1', row: 4 });
  });

  it('keeps a row whose trust is unknown, with an error at its row', async () => {
    const { rows, issues } = await read(utf8(CSV));
    expect(rows[3]!.trust).toBeNull();
    expect(issues.find((i) => i.code === 'register_trust_unknown')).toMatchObject({
      severity: 'error',
      location: { fileHash: 'h1', row: 5 },
      raw: 'St Elsewhere Trust',
    });
  });

  it('notes a column it does not know', async () => {
    const { issues } = await read(utf8(CSV));
    expect(issues.find((i) => i.code === 'register_column_ignored')).toMatchObject({
      severity: 'info',
      location: { row: 1, column: 'Colour' },
    });
  });

  it('reads a Windows-1252 file with iconv-lite, curly quotes and accents intact', async () => {
    const text = 'Trust,Date sent,Notes\r\nOxleas,11/03/2024,Trust\u2019s reply \u2013 caf\u00e9\r\n';
    const { rows, issues } = await read(new Uint8Array(iconv.encode(text, 'win1252')));
    expect(rows[0]!.notes).toBe('Trust\u2019s reply \u2013 caf\u00e9');
    expect(codes(issues)).toContain('register_encoding_windows_1252');
  });

  it('reads Excel "Unicode text" (UTF-16 with BOM, tab-separated)', async () => {
    const text = 'ODS code\tDate sent\tNotes\r\nRPG\t11/03/2024\tSt George\u2019s\r\n';
    const { rows } = await read(new Uint8Array(iconv.encode(text, 'utf16le', { addBOM: true })));
    expect(rows[0]).toMatchObject({ trust: { odsCode: 'RPG' }, dateSent: '2024-03-11', notes: 'St George\u2019s' });
  });

  it('hashes the file when no hash is given', async () => {
    const bytes = utf8(CSV);
    const { rows } = await readRegister({ bytes }, trusts);
    expect(rows[0]!.location.fileHash).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('dates', () => {
  it.each([
    ['11/03/2024', '2024-03-11'],
    ['1/3/24', '2024-03-01'],
    ['11.03.2024', '2024-03-11'],
    ['2024-03-11', '2024-03-11'],
    ['2024-03-11T09:30:00', '2024-03-11'],
    ['11 March 2024', '2024-03-11'],
    ['11-Mar-24', '2024-03-11'],
    ['1st April 2024', '2024-04-01'],
    ['45362', '2024-03-11'],
    [45362, '2024-03-11'],
  ])('reads %s as %s', (raw, iso) => {
    expect(readDate(raw)).toEqual({ iso });
  });

  it('reads blanks and placeholders as no date, without a problem', () => {
    expect(readDate(null)).toEqual({ blank: true });
    expect(readDate('n/a')).toEqual({ blank: true });
  });

  it('refuses month/day order, impossible dates and words, reporting the cell', async () => {
    expect(readDate('03/13/2024')).toHaveProperty('problem', expect.stringMatching(/month\/day/));
    expect(readDate('31/02/2024')).toHaveProperty('problem');
    const { rows, issues } = await read(utf8('Trust,Date sent\nOxleas,soon\n'));
    expect(rows[0]!.dateSent).toBeNull();
    expect(issues.find((i) => i.code === 'register_date_unreadable')).toMatchObject({
      location: { row: 2, column: 'Date sent' },
      raw: 'soon',
    });
  });
});

describe('headers', () => {
  it.each([
    ['Our ref', 'ourRef'],
    ['Trust ref', 'theirRef'],
    ['FOI reference', 'theirRef'],
    ['ODS code', 'odsCode'],
    ['Trust code', 'odsCode'],
    ['Trust', 'trustName'],
    ['Trust name', 'trustName'],
    ['Organisation', 'trustName'],
    ['Date sent (dd/mm/yyyy)', 'dateSent'],
    ['Sent to trust', 'dateSent'],
    ['Date response received', 'dateReplied'],
    ['Date clarification requested', 'clarificationAsked'],
    ['Clarified', 'clarificationAnswered'],
    ['Outcome', 'status'],
    ['Exemptions cited', 'exemptions'],
    ['Comments', 'notes'],
    ['Date', null],
    ['Date received', null],
    ['', null],
  ])('reads "%s" as %s', (header, field) => {
    expect(headerField(header)).toBe(field);
  });

  it('reports a missing date-sent column as an error but still reads the rows', async () => {
    const { rows, issues } = await read(utf8('Trust,Notes\nOxleas,x\n'));
    expect(rows).toHaveLength(1);
    expect(issues.find((i) => i.code === 'register_column_missing')?.message).toMatch(/Date sent/);
  });

  it('reports a file with no recognisable header', async () => {
    const { rows, issues } = await read(utf8('Foo,Bar\n1,2\n'));
    expect(rows).toEqual([]);
    expect(codes(issues)).toEqual(['register_header_not_found']);
  });

  it('reports a damaged workbook as an issue instead of throwing', async () => {
    const { rows, issues } = await read(utf8('PK\u0003\u0004 not really a zip'));
    expect(rows).toEqual([]);
    expect(codes(issues)).toEqual(['register_unreadable']);
  });

  it('refuses a legacy .xls workbook with a way forward', async () => {
    const { issues } = await read(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]));
    expect(issues[0]).toMatchObject({ code: 'register_format_unsupported', severity: 'error' });
  });
});

describe('trust checks', () => {
  it('warns when the ODS code and the name point at different trusts, using the code', async () => {
    const { rows, issues } = await read(utf8('ODS,Trust,Date sent\nRPG,South London and Maudsley,11/03/2024\n'));
    expect(rows[0]!.trust?.odsCode).toBe('RPG');
    expect(codes(issues)).toContain('register_trust_name_mismatch');
  });

  it('matches by name when the ODS code is not in the list, with a warning', async () => {
    const { rows, issues } = await read(utf8('ODS,Trust,Date sent\nXYZ,Oxleas NHS Foundation Trust,11/03/2024\n'));
    expect(rows[0]!.trust).toMatchObject({ odsCode: 'RPG', method: 'name' });
    expect(codes(issues)).toContain('register_ods_unknown');
  });

  it('flags a loose name match and a trust listed twice', async () => {
    const { issues } = await read(
      utf8(
        'Trust,Date sent\nBirmingham and Solihull,11/03/2024\nOxleas,11/03/2024\nBirmingham & Solihull MH FT,11/03/2024\n',
      ),
    );
    expect(codes(issues)).toContain('register_trust_matched_loosely');
    expect(issues.find((i) => i.code === 'register_trust_duplicate')).toMatchObject({ location: { row: 4 } });
  });

  it('keeps an exemption it cannot read as typed, with a warning', async () => {
    const { rows, issues } = await read(
      utf8('Trust,Date sent,Exemptions\nOxleas,11/03/2024,Section 12 and commercial\n'),
    );
    expect(rows[0]!.exemptions).toEqual(['s12', 'commercial']);
    expect(codes(issues)).toContain('exemption_unrecognised');
  });
});

describe('reading an xlsx register', () => {
  async function workbook(): Promise<Uint8Array> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('About').addRow(['This workbook tracks our FOI requests.']);
    const ws = wb.addWorksheet('Register');
    ws.addRow(['FOI register, wave 2024']);
    ws.addRow([]);
    ws.addRow(['Ref', 'Trust ref', 'Trust', 'Date sent', 'Date replied', 'Status']);
    ws.addRow([
      'PIR-01',
      { text: 'FOI/24/77', hyperlink: 'https://example.org/77' },
      { richText: [{ text: 'Oxleas ' }, { text: 'NHS FT' }] },
      d(2024, 3, 11),
      { formula: 'D4+25', result: d(2024, 4, 5) },
      'Answered',
    ]);
    ws.addRow(['PIR-02', null, 'Devon Partnership NHS Trust', d(2024, 3, 11), '31/02/2024', 'overdue']);
    ws.addRow(['PIR-03', null, 'Nowhere Healthcare', '11/03/2024', null, null]);
    ws.addRow(['PIR-04', null, 'Devon Partnership', { formula: 'TODAY()' }, null, null]);
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it('skips a sheet and title rows without a header, and reads date, rich-text, formula and hyperlink cells', async () => {
    const { rows } = await read(await workbook());
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      location: { fileHash: 'h1', sheet: 'Register', row: 4 },
      ourRef: 'PIR-01',
      theirRef: 'FOI/24/77',
      trustNameTyped: 'Oxleas NHS FT',
      trust: { odsCode: 'RPG', method: 'name' },
      dateSent: '2024-03-11',
      dateReplied: '2024-04-05',
      typedStatus: 'Answered',
    });
  });

  it('reports problems by sheet and cell', async () => {
    const { issues } = await read(await workbook());
    expect(issues.find((i) => i.code === 'register_date_unreadable')?.location).toEqual({
      fileHash: 'h1',
      sheet: 'Register',
      row: 5,
      cell: 'E5',
    });
    expect(issues.find((i) => i.code === 'register_trust_unknown')?.location).toEqual({
      fileHash: 'h1',
      sheet: 'Register',
      row: 6,
    });
  });

  it('reads a formula with no saved result as no date, with a warning at its cell', async () => {
    const { rows, issues } = await read(await workbook());
    expect(rows[3]!.dateSent).toBeNull();
    expect(issues.find((i) => i.code === 'formula_no_cached_value')?.location).toEqual({
      fileHash: 'h1',
      sheet: 'Register',
      cell: 'D7',
    });
  });
});
