import ExcelJS from 'exceljs';
import type { Question, QuestionList } from '../../schemas/question-list.ts';
import {
  ABOUT_LABELS,
  ABOUT_SHEET,
  HEADERS,
  LISTS_SHEET,
  QUESTIONNAIRE_SHEET,
  STAFFING_HEADERS,
  STAFFING_SHEET,
  optionRowId,
  optionRowLabel,
} from './layout.ts';

/**
 * Writes the blank questionnaire for a wave from its question list (questionnaire.md "The 2025
 * template"): the same list drives validation, so the two cannot disagree. Dropdown lists live on
 * a hidden "Lists" sheet because option labels contain commas, which a literal list cannot hold.
 */
function dropdownLabels(q: Question): string[] | null {
  if (q.type === 'yes_no') {
    const extra = q.extraCodes.map((c) => (c === 'dont_know' ? "Don't know" : 'Planned'));
    return ['Yes', 'No', ...extra];
  }
  if (q.type === 'single') return (q.options ?? []).map((o) => o.label);
  if (q.type === 'band') return (q.bands ?? []).map((b) => b.label);
  return null;
}

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export function buildTemplate(list: QuestionList, opts: { created: Date }): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'parent-infant-census';
  wb.created = opts.created;
  wb.modified = opts.created;
  const qs = wb.addWorksheet(QUESTIONNAIRE_SHEET);
  const staff = wb.addWorksheet(STAFFING_SHEET);
  const about = wb.addWorksheet(ABOUT_SHEET);
  const lists = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });

  qs.columns = [
    { header: HEADERS.id, key: 'id', width: 28, hidden: true },
    { header: HEADERS.label, key: 'label', width: 70 },
    { header: HEADERS.answer, key: 'answer', width: 32 },
    { header: HEADERS.notes, key: 'notes', width: 40 },
  ];
  staff.columns = [
    { header: STAFFING_HEADERS.id, key: 'id', width: 28, hidden: true },
    { header: STAFFING_HEADERS.label, key: 'label', width: 60 },
    { header: STAFFING_HEADERS.answer, key: 'answer', width: 14 },
  ];
  for (const ws of [qs, staff]) ws.getRow(1).font = { bold: true };

  let listCol = 0;
  let section = '';
  for (const q of list.questions) {
    const ws = q.sheet === 'Staffing' ? staff : qs;
    if (ws === qs && q.section !== section) {
      section = q.section;
      const r = qs.addRow({ id: '', label: section });
      r.font = { bold: true };
    }
    if (q.type === 'multi') {
      for (const o of q.options ?? []) {
        const r = ws.addRow({
          id: optionRowId(q.id, o.code),
          label: optionRowLabel(q.label, o.label),
          notes: 'Answer Yes or leave blank',
        });
        addList(r.getCell(3), ['Yes', 'No']);
      }
      continue;
    }
    const r = ws.addRow({ id: q.id, label: q.label, notes: q.help ?? '' });
    const labels = dropdownLabels(q);
    if (labels) addList(r.getCell(3), labels);
  }

  about.columns = [
    { key: 'k', width: 24 },
    { key: 'v', width: 60 },
  ];
  about.addRow([
    'How to fill in',
    'Answer in the Answer column of the Questionnaire and Staffing sheets. Use the dropdowns where given; otherwise type a number or text. Leave blank if not known.',
  ]);
  about.addRow([ABOUT_LABELS.wave, list.wave]);
  about.addRow([
    ABOUT_LABELS.period,
    list.reportingPeriod
      ? `${list.reportingPeriod.label} (${list.reportingPeriod.start} to ${list.reportingPeriod.end})`
      : '',
  ]);
  about.addRow([ABOUT_LABELS.version, list.templateVersion]);
  about.addRow([ABOUT_LABELS.dateCompleted, null]);
  about.getColumn(1).font = { bold: true };
  return wb;

  function addList(cell: ExcelJS.Cell, labels: string[]): void {
    listCol += 1;
    const col = colLetter(listCol);
    labels.forEach((l, i) => {
      lists.getCell(`${col}${i + 1}`).value = l;
    });
    cell.dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`${LISTS_SHEET}!$${col}$1:$${col}$${labels.length}`],
      showErrorMessage: false,
    };
  }
}
