import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

/** Cells to type on a coding sheet, by row (trust|question|period) then column header. */
export type CodingFills = Record<string, Record<string, string | number>>;

/** Opens a written coding sheet, fills the rows picked by trust|question|period as a person would; returns the saved file. */
export async function fillCodingSheet(bytes: Buffer, fills: CodingFills): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Coding')!;
  const col = new Map<string, number>();
  ws.getRow(1).eachCell((c, n) => {
    col.set(String(c.value), n);
  });
  for (let n = 2; n <= ws.rowCount; n++) {
    const row = ws.getRow(n);
    const id = ['Trust', 'Question', 'Period'].map((h) => String(row.getCell(col.get(h)!).value ?? '')).join('|');
    for (const [h, v] of Object.entries(fills[id] ?? {})) row.getCell(col.get(h)!).value = v;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'coding-')), 'coding-2024.xlsx');
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}
