import ExcelJS from 'exceljs';
import { foiFlagSchema } from '../../schemas/foi.ts';
import { issue, type Issue } from '../../schemas/issue.ts';
import { cellRaw } from '../shared/cell.ts';

/**
 * The FOI coding sheet as a file: the pipeline writes one row per trust x question x period that needs
 * a person, with what was found beside blank answer cells; a person fills it in and it is read back
 * here. Columns are found by header, so a person may reorder or hide them; the hidden key column says
 * what each row answers. Knows nothing about the database.
 */

export type CodingReason = 'manual_coding' | 'uncoded' | 'band_mismatch' | 'suggestion';
export interface CodingRow {
  key: string;
  reason: CodingReason;
  trustOds: string | null;
  trustName: string | null;
  file: string;
  sha256: string;
  questionId: string;
  question: string;
  periodId: string | null;
  periodLabel: string;
  basis: 'received' | 'accepted' | null;
  extracted: string;
  location: string;
  /** What a weak reading suggests (the confidence gate), beside the blank answer cells; '' when none. */
  suggestion?: string;
}

/** One filled row as typed; blank cells are null. */
export interface FilledRow {
  row: number;
  key: string;
  low: string | null;
  high: string | null;
  yesNo: string | null;
  text: string | null;
  missingReason: string | null;
  flags: string | null;
  exemptions: string | null;
  ageBand: string | null;
  page: string | null;
  quote: string | null;
  acceptBand: string | null;
  /** "yes": the suggestion beside the row is right (recorded as coded by the person). */
  confirm: string | null;
  note: string | null;
}

const SHEET = 'Coding';
const GIVEN: [string, keyof CodingRow | 'reasonText', number][] = [
  ['key', 'key', 10],
  ['Trust', 'trustOds', 8],
  ['Trust name', 'trustName', 28],
  ['File', 'file', 24],
  ['sha256', 'sha256', 14],
  ['Question', 'questionId', 22],
  ['Question text', 'question', 40],
  ['Period', 'periodLabel', 16],
  ['Needs', 'reasonText', 22],
  ['Found in the reply', 'extracted', 50],
  ['Where', 'location', 12],
  ['Suggestion', 'suggestion', 16],
];
const ANSWERS: [string, keyof Omit<FilledRow, 'row' | 'key'>, number][] = [
  ['Low', 'low', 8],
  ['High (blank = low, "open")', 'high', 10],
  ['Yes/No', 'yesNo', 8],
  ['Text answer', 'text', 30],
  ['Missing reason', 'missingReason', 14],
  ['Flags', 'flags', 16],
  ['Exemptions', 'exemptions', 12],
  ['Age band as given', 'ageBand', 14],
  ['Page', 'page', 6],
  ['Quote as read', 'quote', 30],
  ['Accept band mismatch', 'acceptBand', 12],
  ['Confirm suggestion', 'confirm', 12],
  ['Note / reason', 'note', 24],
];
const REASON_TEXT: Record<CodingReason, string> = {
  manual_coding: 'could not be read: code it',
  uncoded: 'no answer found: code it',
  band_mismatch: 'other age band: accept or not',
  suggestion: 'read with doubt: confirm the suggestion or code it',
};
// Columns a sheet written before them may lack: read as blank.
const OPTIONAL = new Set(['Confirm suggestion']);
export const MISSING_REASONS = ['not_held', 'withheld', 'refused', 'ncnd'] as const;
const list = (items: readonly string[]) => [`"${items.join(',')}"`];

export function writeCodingSheet(rows: readonly CodingRow[], meta: { wave: number; created: Date }): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  // Pinned so the same rows give the same file.
  wb.created = meta.created;
  wb.modified = meta.created;
  wb.creator = 'census';
  wb.lastModifiedBy = 'census';
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', xSplit: 3, ySplit: 1 }] });
  ws.columns = [...GIVEN, ...ANSWERS].map(([header, , width]) => ({ header, width }));
  ws.getColumn(1).hidden = true;
  ws.getRow(1).font = { bold: true };
  const first = GIVEN.length + 1;
  const col = (field: string) => first + ANSWERS.findIndex(([, f]) => f === field);
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 2);
    GIVEN.forEach(([, field], c) => {
      row.getCell(c + 1).value = field === 'reasonText' ? REASON_TEXT[r.reason] : (r[field] ?? '');
    });
    row.getCell(GIVEN.findIndex(([, f]) => f === 'sha256') + 1).value = r.sha256.slice(0, 12);
    row.getCell(GIVEN.findIndex(([, f]) => f === 'extracted') + 1).alignment = { wrapText: true, vertical: 'top' };
    const dv = (field: string, items: readonly string[], strict: boolean) => {
      row.getCell(col(field)).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: list(items),
        showErrorMessage: true,
        errorStyle: strict ? 'stop' : 'warning',
        error: strict
          ? `Choose one of: ${items.join(', ')}`
          : `Usually one of: ${items.join(', ')} (several separated by commas are allowed).`,
      };
    };
    dv('yesNo', ['yes', 'no'], true);
    dv('missingReason', MISSING_REASONS, true);
    dv('flags', foiFlagSchema.options, false);
    dv('acceptBand', ['yes', 'no'], true);
    dv('confirm', ['yes', 'no'], true);
    for (const [, f] of ANSWERS)
      row.getCell(col(f)).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF8DC' } };
  });
  const help = wb.addWorksheet('How to fill');
  [
    `FOI coding sheet, wave ${meta.wave}. Fill the yellow cells of each row you can; leave the rest blank.`,
    'Counts: Low and High as numbers ("<5" is Low 0, High 4 with flag suppressed; High "open" = no upper bound; High blank = same as Low).',
    'No figure given: Missing reason (not_held, withheld, refused, ncnd) and the Exemptions cited (s40(2), s43...).',
    'Yes/no questions: Yes/No, and the name or text in Text answer.',
    'Rows "other age band": Accept band mismatch yes or no; the figure is then kept or left out of the under-two statistics.',
    'Rows "read with doubt": the Suggestion column shows what census read; if the reply says so, type yes in Confirm suggestion, else type the right answer. Until then it feeds no figure.',
    'Page and Quote as read: where in the reply the answer is and its words. Do not edit the hidden key column.',
    'Load it back: census foi coding-sheet load FILE --wave W --by "Your Name" (loading it again changes nothing).',
  ].forEach((t, i) => {
    help.getCell(`A${i + 1}`).value = t;
  });
  help.getColumn(1).width = 120;
  return wb;
}

/**
 * Types a person's answers into row `n` (2 = the first row) of a sheet writeCodingSheet made, as if
 * typed in a spreadsheet: the review desk codes one row this way and loads it like any sheet.
 */
export function fillCodingRow(wb: ExcelJS.Workbook, n: number, answers: Partial<Omit<FilledRow, 'row' | 'key'>>): void {
  const row = wb.getWorksheet(SHEET)!.getRow(n);
  ANSWERS.forEach(([, f], i) => {
    const v = answers[f];
    if (v !== undefined && v !== null && v.trim() !== '') row.getCell(GIVEN.length + 1 + i).value = v.trim();
  });
}

export async function readCodingSheet(
  bytes: Buffer,
  fileHash: string,
): Promise<{ rows: FilledRow[]; issues: Issue[] }> {
  const wb = new ExcelJS.Workbook();
  const issues: Issue[] = [];
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return {
      rows: [],
      issues: [
        issue(
          'coding_sheet_unreadable',
          'error',
          `The coding sheet cannot be opened (${(e as Error).message}); save it as .xlsx and load it again.`,
          { fileHash },
        ),
      ],
    };
  }
  const ws = wb.getWorksheet(SHEET);
  if (!ws)
    return {
      rows: [],
      issues: [
        issue(
          'coding_sheet_unreadable',
          'error',
          `No sheet named "${SHEET}": this is not a coding sheet written by census foi coding-sheet.`,
          { fileHash },
        ),
      ],
    };
  const headers = new Map<string, number>();
  ws.getRow(1).eachCell((c, n) => {
    headers.set(String(c.value ?? '').trim(), n);
  });
  const missing = ['key', ...ANSWERS.map(([h]) => h)].filter((h) => !headers.has(h) && !OPTIONAL.has(h));
  if (missing.length)
    return {
      rows: [],
      issues: [
        issue(
          'coding_sheet_columns_missing',
          'error',
          `Columns missing: ${missing.join(', ')}. Write a fresh sheet with census foi coding-sheet.`,
          { fileHash, sheet: SHEET, row: 1 },
        ),
      ],
    };
  const rows: FilledRow[] = [];
  for (let n = 2; n <= ws.rowCount; n++) {
    const text = (header: string): string | null => {
      if (!headers.has(header)) return null;
      const cell = ws.getRow(n).getCell(headers.get(header)!);
      const { raw, issues: found } = cellRaw(cell.value, { fileHash, sheet: SHEET, cell: cell.address });
      issues.push(...found);
      const s = raw === null ? '' : raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
      return s === '' ? null : s;
    };
    const key = text('key');
    if (key === null) continue;
    const filled = Object.fromEntries(ANSWERS.map(([h, f]) => [f, text(h)])) as Omit<FilledRow, 'row' | 'key'>;
    if (Object.values(filled).every((v) => v === null)) continue; // not filled yet: nothing to record
    rows.push({ row: n, key, ...filled });
  }
  return { rows, issues };
}
