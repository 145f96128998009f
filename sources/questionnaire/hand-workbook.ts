import ExcelJS from 'exceljs';
import type { ExtractedAnswer } from '../../schemas/answer.ts';
import { findOption } from '../../schemas/answers/index.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import type { Question, QuestionList } from '../../schemas/question-list.ts';
import type { ExtractedReturn } from '../../schemas/stage.ts';
import { cellText, readCell } from '../shared/cell.ts';
import { normaliseLabel } from '../shared/label-match.ts';
import {
  a1,
  isDateCompletedLabel,
  labelResolver,
  visibleSheets,
  type LabelMapping,
  type LabelResolver,
  type LabelTarget,
  type OneReturn,
} from './label-target.ts';

/**
 * Reads a 2019 hand-made workbook (questionnaire.md "Waves"): question labels down one column, the
 * answers in a column to their right, no ids. Teams renamed the "Survey" sheet, inserted rows and
 * columns and reworded labels, so nothing is found by position: the label column is the one whose
 * cells match most question labels, the answer column is the one headed "Answer" (or similar) or
 * else the nearest one to the right that holds answers on matched rows. Every row is tied by label,
 * exact ('label', score 1) or fuzzy ('fuzzy', its score); a label that matches nothing but has an
 * answer is reported with its cell, never dropped silently. A multi question may be answered in its
 * own cell ("NHS; Local authority") or on rows below it, one per option, ticked. A sheet with no column
 * of labels may hold them across one row with the answers in the row below (rowLayout): it is read the
 * same way, every location the cell of the sheet as the team laid it out. A question answered on two
 * rows keeps the first, unless a later row's label names it more surely (mapped by a person, or exact).
 */
export const HAND_WORKBOOK_RULES = 'hand-workbook/6';

const SCAN_COLS = 8;
const ANSWER_HEADERS = new Set(['answer', 'answers', 'your answer', 'response', 'responses', 'your response', 'reply']);
const PREFERRED_SHEET = 'survey';

interface SheetLayout {
  ws: ExcelJS.Worksheet;
  labelCol: number;
  answerCol: number;
  headerRow: number;
  matched: number;
  /** A sheet read turned on its side (labels across one row): the cell of the original sheet, and how to name a line. */
  origin?: { sheet: string; cell: (col: number, row: number) => string; line: (row: number) => string };
}

export async function readHandWorkbook(
  bytes: Buffer,
  fileHash: string,
  list: QuestionList,
  mapping: readonly LabelMapping[] = [],
): Promise<OneReturn> {
  const resolver = labelResolver(list, mapping);
  let best: SheetLayout | null = null;
  for (const ws of await visibleSheets(bytes)) {
    const layout = sheetLayout(ws, resolver);
    // The sheet with most matched labels; a sheet still called "Survey" wins a tie.
    if (
      layout &&
      (!best ||
        layout.matched > best.matched ||
        (layout.matched === best.matched &&
          normaliseLabel(ws.name) === PREFERRED_SHEET &&
          normaliseLabel(best.ws.name) !== PREFERRED_SHEET))
    )
      best = layout;
  }
  // No column of labels: labels across a row with the answers in the row below ("Name of team | Hosting
  // organisation | Nation ..." then one row of answers), as some teams laid out their own sheet.
  if (!best)
    for (const ws of await visibleSheets(bytes)) {
      const layout = rowLayout(ws, resolver);
      if (layout && (!best || layout.matched > best.matched)) best = layout;
    }
  if (!best) {
    return {
      ret: null,
      issues: [
        issue(
          'hand_workbook_not_recognised',
          'error',
          `No sheet of this workbook has a column of wave ${list.wave} question labels. Check that the file is a ${list.wave} questionnaire return.`,
          { fileHash },
        ),
      ],
    };
  }
  return readSheet(best, fileHash, list, resolver);
}

function isLabelLike(text: string): boolean {
  return text.length >= 3 && /\p{L}{2}/u.test(text);
}

/** Finds the label and answer columns of one sheet by what they hold; null when fewer than two labels match. */
function sheetLayout(ws: ExcelJS.Worksheet, resolver: LabelResolver): SheetLayout | null {
  const hits = new Array<number>(SCAN_COLS + 1).fill(0);
  const matchedRows: number[][] = Array.from({ length: SCAN_COLS + 1 }, () => []);
  let header: { row: number; col: number } | null = null;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    for (let c = 1; c <= SCAN_COLS; c++) {
      const t = cellText(row.getCell(c).value);
      if (header === null && ANSWER_HEADERS.has(normaliseLabel(t))) header = { row: r, col: c };
      if (isLabelLike(t) && resolver.resolve(t) !== null) {
        hits[c]! += 1;
        matchedRows[c]!.push(r);
      }
    }
  });
  const labelCol = hits.reduce((b, h, i) => (h > hits[b]! ? i : b), 0);
  if (labelCol === 0 || hits[labelCol]! < 2) return null;
  const found = header as { row: number; col: number } | null;
  if (found && found.col > labelCol)
    return { ws, labelCol, answerCol: found.col, headerRow: found.row, matched: hits[labelCol]! };
  // No "Answer" header: the column right of the labels with most answers on matched rows, the nearest on a tie.
  let answerCol = labelCol + 1;
  let most = 0;
  for (let c = labelCol + 1; c <= labelCol + 4; c++) {
    const n = matchedRows[labelCol]!.filter((r) => cellText(ws.getRow(r).getCell(c).value) !== '').length;
    if (n > most) {
      most = n;
      answerCol = c;
    }
  }
  return { ws, labelCol, answerCol, headerRow: 0, matched: hits[labelCol]! };
}

/**
 * Labels across one row (at least three of them questions of the wave) and the answers in the next row
 * holding anything: the sheet turned on its side, so each label and its answer make a line as readSheet
 * reads them, with every location the cell of the original sheet.
 */
function rowLayout(ws: ExcelJS.Worksheet, resolver: LabelResolver): SheetLayout | null {
  let best: { row: number; hits: number } | null = null;
  for (let r = 1; r <= Math.min(ws.rowCount, 10); r++) {
    const row = ws.getRow(r);
    let hits = 0;
    for (let c = 1; c <= Math.min(row.cellCount, 60); c++) {
      const t = cellText(row.getCell(c).value);
      if (isLabelLike(t) && resolver.resolve(t) !== null) hits += 1;
    }
    if (hits >= 3 && (!best || hits > best.hits)) best = { row: r, hits };
  }
  if (!best) return null;
  const header = ws.getRow(best.row);
  let answerRow = 0;
  for (let r = best.row + 1; r <= Math.min(ws.rowCount, best.row + 5) && answerRow === 0; r++)
    if (
      ws.getRow(r).cellCount > 0 &&
      [...Array(header.cellCount).keys()].some((i) => cellText(ws.getRow(r).getCell(i + 1).value) !== '')
    )
      answerRow = r;
  if (answerRow === 0) return null;
  const turned = new ExcelJS.Workbook().addWorksheet(ws.name);
  for (let c = 1; c <= header.cellCount; c++) {
    const label = header.getCell(c).value;
    if (cellText(label) === '') continue;
    turned.getCell(c, 1).value = label;
    turned.getCell(c, 2).value = ws.getRow(answerRow).getCell(c).value;
  }
  const rowOf = (col: number) => (col === 1 ? best!.row : answerRow);
  return {
    ws: turned,
    labelCol: 1,
    answerCol: 2,
    headerRow: 0,
    matched: best.hits,
    origin: {
      sheet: ws.name,
      cell: (col, row) => a1(row, rowOf(col)),
      line: (row) => `Column ${a1(row, 1).replace(/\d+$/, '')}`,
    },
  };
}

function readSheet(
  l: SheetLayout,
  fileHash: string,
  list: QuestionList,
  resolver: LabelResolver,
): { ret: ExtractedReturn; issues: Issue[] } {
  const answers: ExtractedAnswer[] = [];
  const issues: Issue[] = [];
  const ret: ExtractedReturn = { part: 0, answers, meta: {}, issues: [] };
  const byId = new Map(list.questions.map((q) => [q.id, q]));
  const seen = new Map<string, number>();
  // The multi question whose option rows may follow ("Sources of funding" then "NHS | x").
  let openMulti: Question | null = null;
  l.ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (r === l.headerRow) return;
    const label = cellText(row.getCell(l.labelCol).value);
    const sheet = l.origin?.sheet ?? l.ws.name;
    const at = (col: number) => (l.origin ? l.origin.cell(col, r) : a1(col, r));
    const loc: Location = { fileHash, sheet, cell: at(l.answerCol) };
    const labelLoc: Location = { fileHash, sheet, cell: at(l.labelCol) };
    const line = l.origin ? l.origin.line(r) : `Row ${r}`;
    // readCell: a merge spilling from the answer above is a blank, flagged, not a copy of that answer.
    const { raw, issues: cellIssues } = readCell(row.getCell(l.answerCol), loc);
    let t: LabelTarget | null = label === '' ? null : resolver.resolve(label);
    if (label !== '' && isDateCompletedLabel(label) && t?.score !== 1) {
      ret.meta.dateCompleted = raw;
      ret.meta.dateCompletedLocation = loc;
      return;
    }
    // Under a multi question an option's own label is an option row, even if it loosely resembles a question.
    const option = (t === null || t.score < 1) && openMulti ? findOption(openMulti.options ?? [], label) : undefined;
    if (option && openMulti) t = { kind: 'option', questionId: openMulti.id, optionCode: option.code, score: 1 };
    if (t === null || t.kind === 'unknown_option') {
      if (raw !== null && !(typeof raw === 'string' && raw.trim() === '') && !resolver.isIgnored(label)) {
        const what =
          label === ''
            ? `${line} has an answer but no label`
            : t
              ? `${line} ("${label.slice(0, 80)}") names "${t.option}", which is not an option of ${t.questionId}`
              : `${line} ("${label.slice(0, 80)}") matches no question of wave ${list.wave}`;
        issues.push(
          issue(
            'label_unmatched',
            'warning',
            `${what}; its answer in ${loc.cell} was not loaded. Map the label once for the whole wave: census questions unmatched --wave ${list.wave} --out map.xlsx, then census questions map map.xlsx.`,
            // The label itself, so that `census questions unmatched` lists it whole.
            label === '' ? labelLoc : { ...labelLoc, column: label },
            { raw: String(raw instanceof Date ? raw.toISOString() : raw) },
          ),
        );
      }
      return;
    }
    if (t.kind === 'question') openMulti = byId.get(t.questionId)?.type === 'multi' ? byId.get(t.questionId)! : null;
    const key = t.kind === 'option' ? `${t.questionId}:${t.optionCode}` : t.questionId;
    const a: ExtractedAnswer = {
      questionId: t.questionId,
      raw,
      location: loc,
      match: { method: t.score === 1 ? 'label' : 'fuzzy', score: t.score },
    };
    if (t.kind === 'option') a.optionCode = t.optionCode;
    const firstAt = seen.get(key);
    if (firstAt !== undefined) {
      const first = answers[firstAt]!;
      if (raw === null) return;
      // A question asked twice: the row with an answer counts; two answers keep the first and say so,
      // unless this row's label names the question more surely (a label a person mapped, or written
      // exactly, over one only near it: "First saw families in" read as families supported).
      if (first.raw === null) {
        answers[firstAt] = a;
        return;
      }
      if ((a.match?.score ?? 0) > (first.match?.score ?? 0)) {
        answers[firstAt] = a;
        for (const i of cellIssues) ret.issues.push({ ...i, questionId: t.questionId });
        issues.push(
          issue(
            'duplicate_question_row',
            'warning',
            `${line} answers ${key}, as ${first.location.cell}'s row seemed to (its label only near the question's); the answer in ${loc.cell}, whose label names it surely, was used, not ${first.location.cell}'s. If that row asks something else, map its label with census questions map.`,
            first.location,
            { questionId: t.questionId, raw: String(first.raw) },
          ),
        );
        return;
      }
      issues.push(
        issue(
          'duplicate_question_row',
          'warning',
          `${line} repeats ${key} (first answered in ${first.location.cell}); the first answer was used.`,
          loc,
          { questionId: t.questionId, raw: String(raw) },
        ),
      );
      return;
    }
    seen.set(key, answers.length);
    // On the return, not the file: a cell error is an unreadable answer and blocks the return like one.
    for (const i of cellIssues) ret.issues.push({ ...i, questionId: t.questionId });
    answers.push(a);
  });
  // A multi question's own row left blank above its ticked option rows: the option rows are the answer.
  const hasOptions = new Set(answers.filter((a) => a.optionCode !== undefined).map((a) => a.questionId));
  ret.answers = answers.filter((a) => a.optionCode !== undefined || a.raw !== null || !hasOptions.has(a.questionId));
  return { ret, issues };
}
