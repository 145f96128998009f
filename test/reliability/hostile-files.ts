import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { Limits } from '../../pipeline/runtime/workspace.ts';
import { fillReturn, type TypedAnswer } from '../../sources/questionnaire/fill-return.ts';
import { writeCfb } from './cfb-writer.ts';
import { readZipParts, writeZip } from './zip-writer.ts';

/**
 * A folder of hostile and malformed inputs made from code (no binary fixture is committed), with
 * what ingest must say about each: the issue codes it must raise and whether it must still load.
 */
export interface Expectation {
  codes: string[];
  /** 'any': the issue is what matters; whether the return still loads is the reader's decision. */
  status: 'loaded' | 'rejected' | 'refused' | 'any';
  team?: string;
}

/** Limits low enough that the bombs stay small on disk; the good returns are far below them. */
export const HOSTILE_LIMITS: Partial<Limits> = {
  maxFileBytes: 5_000_000,
  maxRows: 5_000,
  maxUnzippedBytes: 20_000_000,
  maxZipEntries: 1_000,
};

const CREATED = new Date('2025-04-01T00:00:00Z');
export const HUGE = 'x'.repeat(1024 * 1024);

export function answers(team: string, extra: Record<string, TypedAnswer> = {}): Record<string, TypedAnswer> {
  return {
    team_name: team,
    host_organisation: `${team} Host`,
    nation: 'England',
    region: 'London',
    status: 'Established',
    ...extra,
  };
}

export async function xlsx(
  list: QuestionList,
  a: Record<string, TypedAnswer>,
  edit?: (wb: ExcelJS.Workbook, row: (id: string) => ExcelJS.Row) => void,
): Promise<Buffer> {
  const wb = fillReturn(list, a, { created: CREATED, dateCompleted: '2025-05-01' });
  if (edit) {
    edit(wb, (id) => {
      for (const ws of wb.worksheets) {
        let found: ExcelJS.Row | undefined;
        ws.eachRow((r) => {
          if (r.getCell(1).value === id) found = r;
        });
        if (found) return found;
      }
      throw new Error(`no row ${id}`);
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function corruptEntry(zip: Buffer): Buffer {
  const parts = readZipParts(zip);
  const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
  // Rebuild, then overwrite part of that entry's compressed bytes: the directory stays valid.
  const out = writeZip(parts);
  const at = out.indexOf(Buffer.from(sheet.name)) + sheet.name.length + 40;
  out.fill(0xff, at, at + 64);
  return out;
}

function csv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
}

const CSV_HEADER = [
  'Name of your team',
  'Organisation that hosts the team',
  'Nation',
  'Region (England only)',
  'Status of the team',
];

export async function writeHostileFolder(list: QuestionList, dir: string): Promise<Map<string, Expectation>> {
  mkdirSync(dir, { recursive: true });
  const out = new Map<string, Expectation>();
  const put = (name: string, bytes: Buffer | string, e: Expectation): void => {
    writeFileSync(join(dir, name), bytes);
    out.set(name, e);
  };
  const good = await xlsx(list, answers('Good Quote Team'));

  // The two good returns, with names that are data only: quotes, a newline, a backslash, non-Latin script.
  put('Team "Quote" o\'Brien\nfinal.xlsx', good, { codes: [], status: 'loaded', team: 'Good Quote Team' });
  put('Ἀθῆναι 名前 back\\slash.xlsx', await xlsx(list, answers('Good Unicode Team')), {
    codes: [],
    status: 'loaded',
    team: 'Good Unicode Team',
  });

  put('truncated.xlsx', good.subarray(0, Math.floor(good.length / 2)), {
    codes: ['file_unreadable'],
    status: 'rejected',
  });
  put('corrupt-entry.xlsx', corruptEntry(good), { codes: ['file_unreadable'], status: 'rejected' });
  put('protected.xlsx', writeCfb(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']), {
    codes: ['password_protected'],
    status: 'rejected',
  });
  put('old-workbook.xls', writeCfb(['Workbook', '\u0005SummaryInformation']), {
    codes: ['legacy_binary_format'],
    status: 'rejected',
  });
  put('old-letter.doc', writeCfb(['WordDocument', '1Table']), { codes: ['legacy_binary_format'], status: 'rejected' });
  put(
    'letter.docx',
    writeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ]),
    { codes: ['unsupported_format'], status: 'rejected' },
  );
  put('scan.pdf', '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', {
    codes: ['unsupported_format'],
    status: 'rejected',
  });

  const macroParts = readZipParts(await xlsx(list, answers('Macro Team')));
  put('macros.xlsm', writeZip([...macroParts, { name: 'xl/vbaProject.bin', data: writeCfb(['VBA', 'PROJECT']) }]), {
    codes: ['macros_present'],
    status: 'loaded',
    team: 'Macro Team',
  });

  const zeros = (n: number): Buffer => Buffer.alloc(n, 0x20);
  put(
    'bomb-size.xlsx',
    writeZip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: zeros(30_000_000) },
    ]),
    { codes: ['zip_bomb_suspected'], status: 'rejected' },
  );
  put(
    'bomb-lying.xlsx',
    writeZip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: zeros(8_000_000), declaredSize: 1_000 },
    ]),
    { codes: ['zip_bomb_suspected'], status: 'rejected' },
  );
  put(
    'bomb-entries.xlsx',
    writeZip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      ...Array.from({ length: 1_500 }, (_, i) => ({ name: `xl/media/${i}.bin`, data: Buffer.from('a') })),
    ]),
    { codes: ['zip_bomb_suspected'], status: 'rejected' },
  );
  put(
    'bomb-overlap.xlsx',
    writeZip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: zeros(10_000) },
      { name: 'xl/worksheets/sheet2.xml', data: Buffer.alloc(0), sameDataAs: 'xl/worksheets/sheet1.xml' },
    ]),
    { codes: ['zip_bomb_suspected'], status: 'rejected' },
  );

  put('binary.csv', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)), {
    codes: ['binary_not_text'],
    status: 'rejected',
  });
  put(
    'utf16.csv',
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(csv([CSV_HEADER, ['Équipe Ünïcode 名前', 'Hôte', 'England', 'London', 'Established']]), 'utf16le'),
    ]),
    { codes: [], status: 'loaded', team: 'Équipe Ünïcode 名前' },
  );
  put(
    'utf16-no-bom.csv',
    Buffer.from(csv([CSV_HEADER, ['Équipe Sans Marque', 'Hôte', 'England', 'London', 'Established']]), 'utf16le'),
    { codes: [], status: 'loaded', team: 'Équipe Sans Marque' },
  );
  put(
    'windows-1252.csv',
    iconv.encode(csv([CSV_HEADER, ['Café “Ñandú” Team €', 'Hôte', 'England', 'London', 'Established']]), 'win1252'),
    { codes: ['csv_encoding_windows_1252'], status: 'loaded', team: 'Café “Ñandú” Team €' },
  );

  put(
    'errors.xlsx',
    await xlsx(list, answers('Error Cell Team'), (_wb, row) => {
      row('families_supported').getCell(3).value = { error: '#REF!' } as ExcelJS.CellErrorValue;
      row('referrals_received').getCell(3).value = { error: '#N/A' } as ExcelJS.CellErrorValue;
      row('period_start').getCell(3).value = 1e12;
      row('period_start').getCell(3).numFmt = 'dd/mm/yyyy';
    }),
    { codes: ['cell_error', 'invalid_date_cell'], status: 'any', team: 'Error Cell Team' },
  );
  put(
    'formulas.xlsx',
    await xlsx(list, answers('Formula Team'), (_wb, row) => {
      row('babies_under_2').getCell(3).value = { formula: 'SUM(10,2)', result: 12 } as ExcelJS.CellFormulaValue;
      row('referrals_received').getCell(3).value = { formula: 'NOW()' } as ExcelJS.CellFormulaValue;
    }),
    { codes: ['formula_no_cached_value'], status: 'loaded', team: 'Formula Team' },
  );
  put(
    'merged.xlsx',
    await xlsx(list, answers('Merged Team', { host_organisation: 'Merged Host' }), (wb, row) => {
      const ws = wb.getWorksheet('Questionnaire')!;
      const r = row('host_organisation').number;
      ws.mergeCells(r, 3, r, 5);
    }),
    { codes: [], status: 'loaded', team: 'Merged Team' },
  );
  put(
    'dates-1904.xlsx',
    await xlsx(list, answers('Date 1904 Team'), (wb, row) => {
      wb.properties.date1904 = true;
      row('funding_secure_until').getCell(3).value = 46112 - 1462; // 2026-03-31 counted from 1904-01-01
      row('funding_secure_until').getCell(3).numFmt = 'dd/mm/yyyy';
    }),
    { codes: [], status: 'loaded', team: 'Date 1904 Team' },
  );
  put(
    'dates-1900.xlsx',
    await xlsx(list, answers('Date 1900 Team'), (_wb, row) => {
      row('funding_secure_until').getCell(3).value = 46112; // 2026-03-31 counted from 1900
      row('funding_secure_until').getCell(3).numFmt = 'dd/mm/yyyy';
    }),
    { codes: [], status: 'loaded', team: 'Date 1900 Team' },
  );
  put(
    'huge-cells.xlsx',
    await xlsx(list, answers('Huge Cell Team', { comments: HUGE, host_ods_code: HUGE }), (wb) => {
      wb.getWorksheet('Questionnaire')!.addRow([null, HUGE, 'an answer to a question nobody asked']);
    }),
    { codes: ['label_unmatched'], status: 'loaded', team: 'Huge Cell Team' },
  );
  put(
    'too-many-rows.xlsx',
    await xlsx(list, answers('Many Rows Team'), (wb) => {
      const ws = wb.addWorksheet('Pasted');
      for (let i = 0; i < 6_000; i++) ws.addRow([i]);
    }),
    { codes: ['too_many_rows'], status: 'rejected' },
  );
  symlinkSync(join(dir, 'no-such-target.xlsx'), join(dir, 'dangling-link.xlsx'));
  out.set('dangling-link.xlsx', { codes: ['file_not_readable'], status: 'refused' });
  put('empty.xlsx', Buffer.alloc(0), { codes: ['file_empty'], status: 'refused' });
  put('too-large.csv', `${CSV_HEADER.join(',')}\r\n${'a,'.repeat(3_000_000)}`, {
    codes: ['file_too_large'],
    status: 'refused',
  });
  return out;
}

/**
 * A return whose hidden lookup sheet was replaced by `rows` rows of six cells: written as XML
 * directly (exceljs would take seconds to write it), and slow for any workbook library to read.
 */
export async function slowWorkbook(list: QuestionList, rows: number): Promise<Buffer> {
  const parts = readZipParts(await xlsx(list, answers('Slow Team')));
  const sheets = parts
    .filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const last = sheets[sheets.length - 1]!;
  const cells = (i: number): string =>
    ['A', 'B', 'C', 'D', 'E', 'F']
      .map((c, k) => `<c r="${c}${i}" t="inlineStr"><is><t>cell ${k} of row ${i}</t></is></c>`)
      .join('');
  const body: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  ];
  for (let i = 1; i <= rows; i++) body.push(`<row r="${i}">${cells(i)}</row>`);
  body.push('</sheetData></worksheet>');
  last.data = Buffer.from(body.join(''));
  return writeZip(parts);
}
