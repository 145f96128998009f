import type ExcelJS from 'exceljs';
import type { ExtractedAnswer } from '../../schemas/answer.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { ExtractedReturn } from '../../schemas/stage.ts';
import { cellRaw, cellText, readCell } from '../shared/cell.ts';
import { matchLabel, normaliseLabel } from '../shared/label-match.ts';
import { mappedLabels, visibleSheets, type LabelMapping, type OneReturn } from './label-target.ts';
import { ABOUT_LABELS, HEADERS, STAFFING_HEADERS, optionRowId, optionRowLabel } from './layout.ts';

/**
 * Reads a return made from the wave's template. Nothing is found by fixed position: the id, label
 * and answer columns are found by header and content on every sheet, rows are tied to questions by
 * the hidden id first and the label second, so inserted rows or columns, a renamed sheet, a
 * deleted id column or a re-save by LibreOffice lose no answer.
 */
export const TEMPLATE_RULES = 'template-reader/5';

interface RowKey {
  id: string;
  label: string;
  questionId: string;
  optionCode?: string;
}

function rowKeys(list: QuestionList): RowKey[] {
  const keys: RowKey[] = [];
  for (const q of list.questions) {
    if (q.type === 'multi') {
      for (const o of q.options ?? [])
        keys.push({
          id: optionRowId(q.id, o.code),
          label: optionRowLabel(q.label, o.label),
          questionId: q.id,
          optionCode: o.code,
        });
      for (const a of q.aliases)
        for (const o of q.options ?? [])
          keys.push({
            id: optionRowId(q.id, o.code),
            label: optionRowLabel(a, o.label),
            questionId: q.id,
            optionCode: o.code,
          });
    } else {
      keys.push({ id: q.id, label: q.label, questionId: q.id });
      for (const a of q.aliases) keys.push({ id: q.id, label: a, questionId: q.id });
    }
  }
  return keys;
}

interface Columns {
  idCol: number | null;
  labelCol: number;
  answerCol: number;
  headerRow: number;
}

const SCAN_COLS = 15;

/** Finds the id, label and answer columns of a sheet by what they hold. */
function findColumns(ws: ExcelJS.Worksheet, ids: Set<string>, labels: Set<string>): Columns | null {
  const idHits = new Array<number>(SCAN_COLS + 1).fill(0);
  const labelHits = new Array<number>(SCAN_COLS + 1).fill(0);
  ws.eachRow({ includeEmpty: false }, (row) => {
    for (let c = 1; c <= SCAN_COLS; c++) {
      const t = cellText(row.getCell(c).value);
      if (!t) continue;
      if (ids.has(t)) idHits[c]! += 1;
      if (labels.has(normaliseLabel(t))) labelHits[c]! += 1;
    }
  });
  const best = (hits: number[]): number => hits.reduce((b, h, i) => (h > (hits[b] ?? 0) ? i : b), 0);
  const idCol = best(idHits);
  const labelCol = best(labelHits);
  if ((labelHits[labelCol] ?? 0) < 2 && (idHits[idCol] ?? 0) < 2) return null;
  const useLabel = (labelHits[labelCol] ?? 0) >= 2 ? labelCol : idCol + 1;
  let headerRow = 1;
  let answerCol = 0;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (answerCol) return;
    for (let c = 1; c <= SCAN_COLS; c++) {
      const t = cellText(row.getCell(c).value).toLowerCase();
      if (t === HEADERS.answer.toLowerCase() || t === STAFFING_HEADERS.answer.toLowerCase() || t === 'your answer') {
        answerCol = c;
        headerRow = r;
      }
    }
  });
  if (!answerCol) answerCol = useLabel + 1 === idCol ? useLabel + 2 : useLabel + 1;
  return { idCol: (idHits[idCol] ?? 0) >= 2 ? idCol : null, labelCol: useLabel, answerCol, headerRow };
}

function a1(col: number, row: number): string {
  let s = '';
  for (let x = col; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return `${s}${row}`;
}

export async function readTemplateReturn(
  bytes: Buffer,
  fileHash: string,
  list: QuestionList,
  mapping: readonly LabelMapping[] = [],
): Promise<OneReturn> {
  const mapped = mappedLabels(mapping);
  const keys = rowKeys(list);
  const byId = new Map(keys.map((k) => [k.id, k]));
  const byLabel = new Map(keys.map((k) => [normaliseLabel(k.label), k]));
  const labelCandidates = keys.map((k) => ({ id: k.id, label: k.label, aliases: [] as string[] }));
  const answers: ExtractedAnswer[] = [];
  const issues: Issue[] = [];
  const ret: ExtractedReturn = { part: 0, answers, meta: {}, issues: [] };
  const seen = new Set<string>();
  const sections = new Set(list.questions.map((q) => normaliseLabel(q.section)));

  for (const ws of await visibleSheets(bytes)) {
    readAbout(ws, fileHash, ret);
    const cols = findColumns(ws, new Set(byId.keys()), new Set(byLabel.keys()));
    if (!cols) continue;
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      if (r <= cols.headerRow) return;
      const idText = cols.idCol ? cellText(row.getCell(cols.idCol).value) : '';
      const labelText = cellText(row.getCell(cols.labelCol).value);
      const loc: Location = { fileHash, sheet: ws.name, cell: a1(cols.answerCol, r) };
      let key = idText ? byId.get(idText) : undefined;
      let match: ExtractedAnswer['match'] = { method: 'id', score: 1 };
      // A label a person mapped (`census questions map`) comes before any scoring; null: ignored.
      const to = !key && labelText ? mapped.get(normaliseLabel(labelText)) : undefined;
      if (to === null) return;
      if (!key && labelText) {
        key = byLabel.get(normaliseLabel(labelText)) ?? (to !== undefined ? byId.get(to) : undefined);
        match = { method: 'label', score: 1 };
        if (!key) {
          const m = matchLabel(labelText, labelCandidates);
          if (m) {
            key = byId.get(m.id);
            match = { method: 'fuzzy', score: m.score };
          }
        }
      }
      // readCell: a merge spilling from the answer above is a blank, flagged, not a copy of that answer.
      const { raw, issues: cellIssues } = readCell(row.getCell(cols.answerCol), loc);
      if (!key) {
        // A row with no label and no answer (an inserted blank row, cells holding "") is no unmatched label.
        const blank = raw === null || (typeof raw === 'string' && raw.trim() === '');
        if (!blank && !sections.has(normaliseLabel(labelText))) {
          issues.push(
            issue(
              'label_unmatched',
              'warning',
              `Row ${r} ("${labelText.slice(0, 80)}") matches no question of wave ${list.wave}; its answer was not loaded. Check whether the team added a question, or map the label: census questions unmatched --wave ${list.wave} --out map.xlsx, then census questions map map.xlsx.`,
              { ...loc, cell: a1(cols.labelCol, r), ...(labelText ? { column: labelText } : {}) },
              { raw: String(raw) },
            ),
          );
        }
        return;
      }
      if (seen.has(key.id)) {
        issues.push(
          issue(
            'duplicate_question_row',
            'warning',
            `The question ${key.id} appears twice; the first row was used.`,
            loc,
            { questionId: key.questionId },
          ),
        );
        return;
      }
      seen.add(key.id);
      // On the return, not the file: a cell error is an unreadable answer and blocks the return like one.
      for (const i of cellIssues) ret.issues.push({ ...i, questionId: key.questionId });
      const a: ExtractedAnswer = { questionId: key.questionId, raw, location: loc, match };
      if (key.optionCode) a.optionCode = key.optionCode;
      answers.push(a);
    });
  }
  if (answers.length === 0) {
    issues.push(
      issue(
        'template_not_recognised',
        'error',
        `No sheet of this workbook holds the questions of wave ${list.wave} (by hidden id or by label). Check that the file is a ${list.wave} questionnaire return.`,
        { fileHash },
      ),
    );
    return { ret: null, issues };
  }
  return { ret, issues };
}

function readAbout(ws: ExcelJS.Worksheet, fileHash: string, ret: ExtractedReturn): void {
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    for (let c = 1; c < 6; c++) {
      const t = normaliseLabel(cellText(row.getCell(c).value));
      if (t === normaliseLabel(ABOUT_LABELS.version) && ret.meta.templateVersion === undefined) {
        ret.meta.templateVersion = cellText(row.getCell(c + 1).value);
        ret.meta.templateVersionLocation = { fileHash, sheet: ws.name, cell: a1(c + 1, r) };
      }
      if (t === normaliseLabel(ABOUT_LABELS.wave) && ret.meta.waveStamp === undefined) {
        ret.meta.waveStamp = cellText(row.getCell(c + 1).value);
        ret.meta.waveStampLocation = { fileHash, sheet: ws.name, cell: a1(c + 1, r) };
      }
      if (t === normaliseLabel(ABOUT_LABELS.dateCompleted) && ret.meta.dateCompleted === undefined) {
        ret.meta.dateCompleted = cellRaw(row.getCell(c + 1).value, {}).raw;
        ret.meta.dateCompletedLocation = { fileHash, sheet: ws.name, cell: a1(c + 1, r) };
      }
    }
  });
}
