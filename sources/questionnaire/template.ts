import ExcelJS from 'exceljs';
import type { Question, QuestionList } from '../../schemas/question-list.ts';
import {
  ABOUT_LABELS,
  HEADERS,
  INSTRUCTIONS_SHEET,
  LISTS_SHEET,
  QUESTIONNAIRE_SHEET,
  REQUIRED_MARK,
  STAFFING_HEADERS,
  STAFFING_SHEET,
  optionRowId,
  optionRowLabel,
} from './layout.ts';

/**
 * Writes the blank questionnaire for a wave from its question list (questionnaire.md "The 2025
 * template"): the same list drives validation, so the two cannot disagree. It is a form a team
 * manager fills without help (issue 19):
 * - "Instructions" is the first sheet: who fills it, the period, how to answer ranges and unknowns,
 *   how to send it back, then the stamps (wave, period, version) and the "Date completed" answer
 *   cell. The reader finds stamps by their label wherever they are, so the older layout (an "About"
 *   third sheet) still reads.
 * - Required questions carry "(required)" in the Notes column and a bold label; the label itself is
 *   never changed, because a return whose id column was deleted is matched by its label.
 * - Every sheet is protected without a password; only answer cells (and Date completed) are
 *   unlocked, so the structure the reader relies on stays, yet a team can unprotect it if it must.
 * - Choice cells (single, yes_no, band, multi option rows) have a dropdown with a stop alert and an
 *   input prompt. A band question's reader also takes an exact number, but the form asks for a band.
 * - Number cells (count, decimal, days, year, date): the spec lets a count be written as a range
 *   ("40-50"), an estimate ("approx 40", "over 100", "100+", "<25") and "2 weeks" as days, so a
 *   whole-number rule would reject valid answers. The rule instead is: a number >= 0, or text that
 *   holds a digit (every spelled range or estimate does), or a stated unknown ("not known", "n/a",
 *   "don't know", "prefer not to say"). "lots", "TBC" or "see comments" are stopped with an alert
 *   that says what to type. The reader still judges each answer; the alert only catches words.
 * - Headers are frozen; pages print fit to width with the header row repeated, answers beside their
 *   questions on the same row, wrapped text, and a footer naming the wave and the page.
 * Dropdown lists live on a hidden "Lists" sheet because option labels contain commas.
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

/** The stated unknowns a number cell accepts as text (read as missing with a reason). */
const UNKNOWN_WORDS = ['not known', 'n/a', "don't know", 'prefer not to say'];

/** A number >= 0, text holding a digit, or a stated unknown (see the doc comment above). */
function numberRule(address: string): string {
  const digits = Array.from({ length: 10 }, (_, d) => `FIND("${d}",${address})`).join(',');
  const words = UNKNOWN_WORDS.map((w) => `LOWER(TRIM(${address}))="${w.replace(/"/g, '""')}"`).join(',');
  return `OR(AND(ISNUMBER(${address}),${address}>=0),AND(ISTEXT(${address}),COUNT(${digits})>0),${words})`;
}

/** What a number cell asks for, by type: the input prompt and the alert's advice. */
function numberPrompt(q: Question, wave: number): string | null {
  switch (q.type) {
    case 'count':
      return 'A whole number, e.g. 40. If you only know roughly: a range (40-50), "approx 40", "over 100" or "fewer than 25". If you do not know: "not known".';
    case 'decimal':
      return 'Whole-time equivalents as a number, e.g. 1.5 (0 if none). If you do not know: "not known".';
    case 'days':
      return 'A number of days, e.g. 28 (or "4 weeks"). If you do not know: "not known".';
    case 'year':
      return `A 4-digit year from 1990 to ${wave}, e.g. 2016. If you do not know: "not known".`;
    case 'date':
      return 'A date, day first, e.g. 31/03/2025. If you do not know: "not known".';
    default:
      return null;
  }
}

const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const ANSWER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEAF1FB' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FFBFBFBF' } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Protection without a password: the structure stays, and a team can still unprotect if it must. */
function protect(ws: ExcelJS.Worksheet): void {
  void ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
  });
}

/**
 * Print set-up: A4 portrait, fit to one page wide and at most N tall, N worked out from the row
 * heights with one page to spare, so width governs the scale. (LibreOffice reads "any number tall",
 * fitToHeight 0, as one page in all, and a fixed scale depends on the fonts installed.) The header
 * row repeats on each page, and each row's height is set from its wrapped text so nothing overlaps.
 */
function printSetup(ws: ExcelJS.Worksheet, wave: number, titleRow: boolean): void {
  let totalPt = 0;
  ws.eachRow((row) => {
    let lines = 1;
    row.eachCell((cell, col) => {
      const column = ws.getColumn(col);
      if (column.hidden || !cell.alignment?.wrapText) return;
      lines = Math.max(lines, wrappedLines(String(cell.text), Math.max(1, Math.floor((column.width ?? 9) * 1.1))));
    });
    const base = row.font?.size && row.font.size > 11 ? 18 : 15;
    row.height = Math.max(base, lines * 14.5 + 3);
    totalPt += row.height;
  });
  let px = 0;
  ws.columns.forEach((c) => {
    if (!c.hidden) px += Math.round((c.width ?? 9) * 7 + 5);
  });
  const printableWidthPx = (8.27 - 1) * 96;
  const scale = Math.min(1, printableWidthPx / px);
  const printableHeightPt = (11.69 - 1.2) * 72 - 30;
  const pages = Math.ceil((totalPt * scale) / printableHeightPt) + 1;
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: pages,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(titleRow ? { printTitlesRow: '1:1' } : {}),
  };
  ws.headerFooter = { oddFooter: `&LParent-infant team census ${wave}: ${ws.name}&RPage &P of &N` };
}

function wrappedLines(text: string, perLine: number): number {
  let n = 0;
  for (const para of text.split('\n')) {
    n += 1;
    let len = 0;
    for (const w of para.split(/\s+/)) {
      if (len > 0 && len + 1 + w.length > perLine) {
        n += 1;
        len = w.length;
      } else len += (len > 0 ? 1 : 0) + w.length;
    }
  }
  return n;
}

export function buildTemplate(list: QuestionList, opts: { created: Date }): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'parent-infant-census';
  wb.title = `Parent-infant team census ${list.wave}: questionnaire`;
  wb.subject = list.reportingPeriod ? `Reporting period: ${list.reportingPeriod.label}` : `Wave ${list.wave}`;
  wb.created = opts.created;
  wb.modified = opts.created;
  const about = wb.addWorksheet(INSTRUCTIONS_SHEET);
  const qs = wb.addWorksheet(QUESTIONNAIRE_SHEET);
  const staff = wb.addWorksheet(STAFFING_SHEET);
  const lists = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });

  qs.columns = [
    { header: HEADERS.id, key: 'id', width: 24, hidden: true },
    { header: HEADERS.label, key: 'label', width: 58 },
    { header: HEADERS.answer, key: 'answer', width: 30 },
    { header: HEADERS.notes, key: 'notes', width: 36 },
  ];
  staff.columns = [
    { header: STAFFING_HEADERS.id, key: 'id', width: 24, hidden: true },
    { header: STAFFING_HEADERS.label, key: 'label', width: 58 },
    { header: STAFFING_HEADERS.answer, key: 'answer', width: 14 },
    { header: HEADERS.notes, key: 'notes', width: 36 },
  ];
  for (const ws of [qs, staff]) {
    const h = ws.getRow(1);
    h.font = { bold: true };
    h.eachCell((c) => {
      c.fill = HEADER_FILL;
      c.border = BOX;
    });
    ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'B2', activeCell: 'C2' }];
  }

  let listCol = 0;
  let section = '';
  for (const q of list.questions) {
    const ws = q.sheet === 'Staffing' ? staff : qs;
    if (ws === qs && q.section !== section) {
      section = q.section;
      const r = qs.addRow({ id: '', label: section });
      r.font = { bold: true, size: 12 };
      for (const c of [2, 3, 4]) r.getCell(c).fill = SECTION_FILL;
    }
    const required = q.required || q.requiredWhen !== undefined;
    const mark = q.required ? REQUIRED_MARK : q.requiredWhen ? `${REQUIRED_MARK} where it applies` : '';
    if (q.type === 'multi') {
      for (const o of q.options ?? []) {
        const r = ws.addRow({
          id: optionRowId(q.id, o.code),
          label: optionRowLabel(q.label, o.label),
          notes: 'Answer Yes or leave blank',
        });
        styleRow(r, false);
        addList(r.getCell(3), ['Yes', 'No'], q.label);
      }
      continue;
    }
    const r = ws.addRow({ id: q.id, label: q.label, notes: [mark, q.help ?? ''].filter(Boolean).join(' ') });
    styleRow(r, required);
    const labels = dropdownLabels(q);
    if (labels) addList(r.getCell(3), labels, q.label);
    else addNumberRule(r.getCell(3), q);
  }
  for (const ws of [qs, staff]) {
    printSetup(ws, list.wave, true);
    protect(ws);
  }

  writeInstructions(about, list);
  return wb;

  function styleRow(r: ExcelJS.Row, required: boolean): void {
    const [label, answer, notes] = [r.getCell(2), r.getCell(3), r.getCell(4)];
    label.alignment = { wrapText: true, vertical: 'top' };
    notes.alignment = { wrapText: true, vertical: 'top' };
    answer.alignment = { wrapText: true, vertical: 'top' };
    answer.protection = { locked: false };
    answer.fill = required ? REQUIRED_FILL : ANSWER_FILL;
    answer.border = BOX;
    if (required) {
      label.font = { bold: true };
      notes.font = { bold: true, color: { argb: 'FF9C0006' } };
    } else notes.font = { color: { argb: 'FF595959' } };
  }

  function addList(cell: ExcelJS.Cell, labels: string[], question: string): void {
    listCol += 1;
    const col = colLetter(listCol);
    labels.forEach((l, i) => {
      lists.getCell(`${col}${i + 1}`).value = l;
    });
    cell.dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`${LISTS_SHEET}!$${col}$1:$${col}$${labels.length}`],
      showInputMessage: true,
      promptTitle: 'Choose from the list',
      prompt: clip('Click the arrow beside the cell and choose one answer. Leave blank if you do not know.'),
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: 'Please choose from the list',
      error: clip(`"${question}" takes one of the answers in the list: ${labels.join('; ')}.`),
    };
  }

  function addNumberRule(cell: ExcelJS.Cell, q: Question): void {
    const prompt = numberPrompt(q, list.wave);
    if (!prompt) return;
    cell.dataValidation = {
      type: 'custom',
      allowBlank: true,
      formulae: [numberRule(cell.address)],
      showInputMessage: true,
      promptTitle: q.type === 'date' ? 'A date' : 'A number',
      prompt: clip(prompt),
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: 'Please type a number',
      error: clip(`We could not read this as an answer. ${prompt}`),
    };
  }
}

/** Excel refuses input prompts over 255 characters. */
function clip(s: string): string {
  return s.length <= 255 ? s : `${s.slice(0, 252)}...`;
}

function writeInstructions(ws: ExcelJS.Worksheet, list: QuestionList): void {
  ws.columns = [
    { key: 'k', width: 24 },
    { key: 'v', width: 78 },
  ];
  const period = list.reportingPeriod;
  const periodText = period ? `${period.label} (${fmtDate(period.start)} to ${fmtDate(period.end)})` : '';
  const title = ws.addRow([`Parent-infant team census ${list.wave}: questionnaire`]);
  title.font = { bold: true, size: 14 };
  ws.addRow([]);
  const text: Array<[string, string]> = [
    [
      'Who should fill it in',
      'The manager or lead of the parent-infant team, or someone they ask. One questionnaire per team. It takes about 20 minutes; you may need your activity figures and staffing to hand.',
    ],
    [
      'What period',
      period
        ? `Figures about activity (referrals, families, waiting times, training) are for the ${periodText}. Everything else is as things stand on the day you fill it in.`
        : 'Figures about activity are for the last 12 months. Everything else is as things stand on the day you fill it in.',
    ],
    [
      'How to answer',
      'Type your answers in the shaded Answer column of the "Questionnaire" and "Staffing" sheets; the other cells are locked. Where a cell has a list, click the arrow beside it and choose. For "tick all" questions answer Yes on each row that applies and leave the others blank.',
    ],
    [
      'Required questions',
      `Questions marked ${REQUIRED_MARK} (bold, yellow answer cell) are needed to identify your team: please always answer them.`,
    ],
    [
      'Ranges and estimates',
      'If you do not have an exact number, give a range or an estimate rather than leave it blank: "40-50", "approx 40", "over 100", "100+" or "fewer than 25". Numbers only, please: words such as "lots" or "TBC" cannot be counted.',
    ],
    [
      'If you do not know',
      'Type "not known" in a number cell, or leave a list cell blank. Type "n/a" if the question does not apply to your team. Anything you want to explain can go in the last question, "Anything else you would like to tell us".',
    ],
    [
      'Sending it back',
      'Fill in "Date completed" below, save the file as an Excel workbook (.xlsx) without renaming or deleting sheets, and e-mail it back, as an attachment, to the census team that sent it to you. If you send a corrected copy later, we use the one with the latest Date completed.',
    ],
  ];
  for (const [k, v] of text) {
    const r = ws.addRow([k, v]);
    r.getCell(1).font = { bold: true };
    r.getCell(1).alignment = { vertical: 'top' };
    r.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  ws.addRow([]);
  const stamps: Array<[string, ExcelJS.CellValue]> = [
    [ABOUT_LABELS.wave, list.wave],
    [ABOUT_LABELS.period, periodText],
    [ABOUT_LABELS.version, list.templateVersion],
  ];
  for (const [k, v] of stamps) {
    const r = ws.addRow([k, v]);
    r.getCell(1).font = { bold: true };
    r.getCell(2).alignment = { horizontal: 'left' };
  }
  const done = ws.addRow([ABOUT_LABELS.dateCompleted, null]);
  done.getCell(1).font = { bold: true };
  const cell = done.getCell(2);
  cell.protection = { locked: false };
  cell.fill = REQUIRED_FILL;
  cell.border = BOX;
  cell.numFmt = 'dd/mm/yyyy';
  cell.alignment = { horizontal: 'left' };
  cell.dataValidation = {
    type: 'custom',
    allowBlank: true,
    formulae: [numberRule(cell.address)],
    showInputMessage: true,
    promptTitle: 'Date completed',
    prompt: 'The date you finished the questionnaire, day first, e.g. 02/05/2025.',
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Please type a date',
    error: 'Please type the date you finished, day first, e.g. 02/05/2025.',
  };
  ws.views = [{ state: 'normal', activeCell: cell.address }];
  printSetup(ws, list.wave, false);
  protect(ws);
}

/** "2023-04-01" -> "1 April 2023", the way a team reads a date. */
function fmtDate(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
