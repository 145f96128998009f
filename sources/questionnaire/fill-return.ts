import type ExcelJS from 'exceljs';
import type { QuestionList } from '../../schemas/question-list.ts';
import { buildTemplate } from './template.ts';
import { ABOUT_LABELS, INSTRUCTIONS_SHEET, optionRowId } from './layout.ts';

/** An answer as a team would type it: text, a number, a date, or for multi questions the chosen option codes. */
export type TypedAnswer = string | number | Date | boolean | null | { options: string[] };

/**
 * Fills a copy of the wave's template as a team would: used for the demo's sample year and the
 * tests' fixtures. Answers are written next to their hidden id, found by content.
 */
export function fillReturn(
  list: QuestionList,
  answers: Record<string, TypedAnswer>,
  opts: { created: Date; dateCompleted?: Date | string; templateVersion?: string },
): ExcelJS.Workbook {
  const wb = buildTemplate(list, { created: opts.created });
  const rowsById = new Map<string, ExcelJS.Row>();
  for (const ws of wb.worksheets) {
    ws.eachRow((row) => {
      const id = row.getCell(1).value;
      if (typeof id === 'string' && id) rowsById.set(id, row);
    });
  }
  for (const [id, v] of Object.entries(answers)) {
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      for (const code of v.options) {
        const row = rowsById.get(optionRowId(id, code));
        if (!row) throw new Error(`no option row ${id}:${code} in the ${list.wave} template`);
        row.getCell(3).value = 'Yes';
      }
      continue;
    }
    const row = rowsById.get(id);
    if (!row) throw new Error(`no row for question ${id} in the ${list.wave} template`);
    row.getCell(3).value = v;
  }
  const about = wb.getWorksheet(INSTRUCTIONS_SHEET)!;
  about.eachRow((row) => {
    if (row.getCell(1).value === ABOUT_LABELS.dateCompleted && opts.dateCompleted !== undefined)
      row.getCell(2).value = opts.dateCompleted;
    if (row.getCell(1).value === ABOUT_LABELS.version && opts.templateVersion !== undefined)
      row.getCell(2).value = opts.templateVersion;
  });
  return wb;
}
