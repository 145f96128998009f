import ExcelJS from 'exceljs';
import type { QuestionList } from '../../schemas/question-list.ts';
import { cellText } from '../shared/cell.ts';
import { normaliseLabel } from '../shared/label-match.ts';

/**
 * The label-mapping workbook of `census questions unmatched` / `census questions map`: one row per
 * unmatched label with its files, an example answer and candidate questions; the person types a
 * question id (or "ignore") in the "Map to" column. Read back by header, not position, so a re-save
 * by Excel or LibreOffice, reordered columns or added notes lose nothing.
 */
export interface MapSheetRow {
  label: string;
  files: string[];
  where: string;
  example: string | null;
  candidates: { questionId: string; label: string; score: number }[];
}

const SHEET = 'Unmatched labels';
const HEAD = {
  label: 'Label',
  mapTo: 'Map to (question id or ignore)',
  files: 'Files',
  count: 'Number of files',
  where: 'Where (first file)',
  example: 'Example answer',
};
export const IGNORE = 'ignore';

export function buildMapWorkbook(list: QuestionList, rows: readonly MapSheetRow[], created: Date): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.created = created;
  wb.modified = created;
  const ws = wb.addWorksheet(SHEET);
  const candidateHeads = [1, 2, 3].map((i) => `Candidate ${i} (id, score, label)`);
  ws.addRow([HEAD.label, HEAD.mapTo, HEAD.count, HEAD.files, HEAD.where, HEAD.example, ...candidateHeads]);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow([
      r.label,
      '',
      r.files.length,
      r.files.join('\n'),
      r.where,
      r.example ?? '',
      ...r.candidates.map((c) => `${c.questionId} (${c.score.toFixed(2)}): ${c.label}`),
    ]);
  }
  ws.columns.forEach((c, i) => (c.width = [40, 28, 10, 50, 18, 30, 45, 45, 45][i] ?? 20));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const q = wb.addWorksheet('Questions');
  q.addRow(['question id', 'label', 'type']);
  q.getRow(1).font = { bold: true };
  for (const x of list.questions) q.addRow([x.id, x.label, x.type]);
  q.addRow([IGNORE, 'the label is not a question: leave its answers out, without a warning', '']);
  q.columns.forEach((c, i) => (c.width = [24, 60, 10][i] ?? 20));
  // The "Map to" cells offer the wave's ids (and ignore) as a list; typing is still allowed.
  for (let r = 2; r <= rows.length + 1; r++) {
    ws.getCell(r, 2).dataValidation = {
      type: 'list',
      allowBlank: true,
      showErrorMessage: false,
      formulae: [`Questions!$A$2:$A$${list.questions.length + 2}`],
    };
  }
  const about = wb.addWorksheet('About');
  about.addRow(['Wave', list.wave]);
  about.addRow([
    'How to fill',
    'Type a question id from the Questions sheet (or "ignore") in the "Map to" column of each label; leave it blank to decide later. Then: census questions map <this file>',
  ]);
  return wb;
}

export interface MapSheetEntry {
  /** 1-based row of the sheet, for messages. */
  row: number;
  label: string;
  /** What the person typed, trimmed; '' when left blank. */
  mapTo: string;
}

/** The wave stamped on the About sheet (null if absent) and every row with a label. */
export async function readMapWorkbook(bytes: Buffer): Promise<{ wave: number | null; entries: MapSheetEntry[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  let wave: number | null = null;
  wb.getWorksheet('About')?.eachRow((row) => {
    if (normaliseLabel(cellText(row.getCell(1).value)) === 'wave') {
      const n = Number(cellText(row.getCell(2).value));
      if (Number.isInteger(n)) wave = n;
    }
  });
  const ws = wb.getWorksheet(SHEET) ?? wb.worksheets[0];
  const entries: MapSheetEntry[] = [];
  if (!ws) return { wave, entries };
  let labelCol = 0;
  let mapCol = 0;
  let headerRow = 0;
  ws.eachRow((row, r) => {
    if (headerRow) return;
    row.eachCell((cell, c) => {
      const t = normaliseLabel(cellText(cell.value));
      if (t === normaliseLabel(HEAD.label)) labelCol = c;
      if (t.startsWith('map to')) mapCol = c;
    });
    if (labelCol && mapCol) headerRow = r;
  });
  if (!headerRow) return { wave, entries };
  ws.eachRow((row, r) => {
    if (r <= headerRow) return;
    const label = cellText(row.getCell(labelCol).value).trim();
    if (label === '') return;
    entries.push({ row: r, label, mapTo: cellText(row.getCell(mapCol).value).trim() });
  });
  return { wave, entries };
}
