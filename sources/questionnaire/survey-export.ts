import type { ExtractedAnswer, RawValue } from '../../schemas/answer.ts';
import { issue, type Issue, type IssueCode, type Location } from '../../schemas/issue.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { ExtractedReturn } from '../../schemas/stage.ts';
import { MAX_LABEL_CHARS } from '../shared/cell.ts';
import { blankRow, csvGrid, gridLocation, xlsxGrids, type Grid, type GridRow } from './grid.ts';
import {
  isDateCompletedLabel,
  isSurveyMetadataLabel,
  labelResolver,
  type LabelMapping,
  type LabelResolver,
} from './label-target.ts';

/**
 * Reads the 2023 online-survey export (questionnaire.md "Waves"): one row per team, one column per
 * question headed by its label, a multi question either as one column "A; B; C" or as one column
 * per option headed "Question label: Option". Each data row becomes one ExtractedReturn whose
 * `part` is its 1-based data row number (row n of the sheet or csv is part n - header row).
 * Locations: sheet!cell for a workbook; for a csv `row` (header = row 1, first team = row 2, as
 * `Location.row` and the FOI register reader count) and `column` (the header text).
 */
export const SURVEY_EXPORT_RULES = 'survey-export/6';

type Target = { questionId: string; optionCode?: string; score: number };
interface Column {
  col: number;
  header: string;
  target: Target;
}
interface Layout {
  header: GridRow;
  columns: Column[];
  dateCompletedCol: number | null;
  /** The date-completed column writes its dates month first (a survey tool set to US English). */
  monthFirst: boolean;
  issues: Issue[];
}

// "06/26/2023 10:55:00 AM", "6/1/2023 10:30", "01/06/2023": a date a survey tool stamps on a response.
const STAMP = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?)?\s*$/i;

/**
 * Whether a survey tool's timestamps are month first: some value's second number is over 12 (and no
 * value's first is), or the times are written with AM/PM, as tools set to US English write them
 * (SurveyMonkey: "06/26/2023 10:55:00 AM"). Otherwise day first, as UK dates are.
 */
function monthFirstColumn(values: readonly unknown[]): boolean {
  const stamps = values.map((v) => (typeof v === 'string' ? STAMP.exec(v) : null)).filter((m) => m !== null);
  if (stamps.some((m) => Number(m[1]) > 12)) return false;
  return stamps.some((m) => Number(m[2]) > 12) || stamps.some((m) => m[6] !== undefined);
}

/** A survey tool's timestamp as an ISO date when it is one (month first or day first, as its column says); else as given. */
function stampDate<T>(raw: T, monthFirst: boolean): T | string {
  const m = typeof raw === 'string' ? STAMP.exec(raw) : null;
  if (!m) return raw;
  const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [month, day] = monthFirst ? [a, b] : [b, a];
  if (month < 1 || month > 12 || day < 1 || day > 31) return raw;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const HEADER_SCAN_ROWS = 10;

export async function readSurveyExport(
  bytes: Buffer,
  fileHash: string,
  list: QuestionList,
  mapping: readonly LabelMapping[] = [],
): Promise<{ returns: ExtractedReturn[]; issues: Issue[] }> {
  const resolver = labelResolver(list, mapping);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const grids = isZip
    ? await xlsxGrids(bytes, fileHash)
    : [csvGrid(bytes, fileHash, (s) => resolver.isKnownExactly(s))];
  // The sheet whose header row names the most questions is the export; notes or pivot sheets are not.
  let best: { grid: Grid; header: GridRow; known: number } | null = null;
  for (const grid of grids) {
    const found = findHeader(grid, resolver);
    if (found && (!best || found.known > best.known)) best = { grid, ...found };
  }
  const fileIssues = grids.flatMap((g) => g.issues);
  if (!best) {
    fileIssues.push(
      issue(
        'survey_export_not_recognised',
        'error',
        `No row of this export has question labels of wave ${list.wave} as column headers. Check that the file is the ${list.wave} survey export (one row per team, questions as headers).`,
        { fileHash },
      ),
    );
    return { returns: [], issues: fileIssues };
  }
  const { grid } = best;
  const header = withSubHeader(grid, best.header);
  const dataRows = grid.rows.filter((r) => r.n > header.n && !blankRow(r));
  const layout = planColumns(grid, header, dataRows, fileHash, list, resolver);
  const returns = dataRows.map((row) => readRow(grid, row, header.n, layout, fileHash));
  return { returns, issues: [...fileIssues, ...layout.issues] };
}

const SUB_HEADER = /^(?:open-ended )?response$/i;

/**
 * SurveyMonkey's export has two header rows: the question over its first column only, and below it
 * "Response", "Open-Ended Response" or, under a tick-all question, each option's name. The two are read
 * as one header ("Sources of funding (tick all): CAMHS"), so the second row is no team and every option
 * column is read; the data starts below it.
 */
function withSubHeader(grid: Grid, header: GridRow): GridRow {
  const sub = grid.rows.find((r) => r.n === header.n + 1);
  if (!sub || sub.cells.filter((c) => SUB_HEADER.test(headerText(c.raw))).length < 2) return header;
  let top = '';
  const width = Math.max(header.cells.length, sub.cells.length);
  const cells = Array.from({ length: width }, (_, i) => {
    const own = headerText(header.cells[i]?.raw ?? null);
    if (own !== '') top = own;
    const under = headerText(sub.cells[i]?.raw ?? null);
    const text = under === '' || SUB_HEADER.test(under) ? own : top === '' ? under : `${top}: ${under}`;
    return { raw: text === '' ? null : text, issues: [] };
  });
  return { n: sub.n, cells };
}

function headerText(raw: RawValue): string {
  if (raw === null) return '';
  return raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
}

/** The header row: among the first rows, the one with most cells that are exactly a label; else a fuzzy look at the first. */
function findHeader(grid: Grid, resolver: LabelResolver): { header: GridRow; known: number } | null {
  const scan = grid.rows.slice(0, HEADER_SCAN_ROWS);
  let best: { header: GridRow; known: number } | null = null;
  for (const row of scan) {
    const known = row.cells.filter((c) => resolver.isKnownExactly(headerText(c.raw))).length;
    if (known > 0 && (!best || known > best.known)) best = { header: row, known };
  }
  if (best || !scan[0]) return best;
  // Every header reworded: accept the first row when at least two of its cells match by fuzzy score.
  const fuzzy = scan[0].cells.filter((c) => resolver.resolve(headerText(c.raw)) !== null).length;
  return fuzzy >= 2 ? { header: scan[0], known: fuzzy } : null;
}

function planColumns(
  grid: Grid,
  header: GridRow,
  dataRows: GridRow[],
  fileHash: string,
  list: QuestionList,
  resolver: LabelResolver,
): Layout {
  const issues: Issue[] = [];
  const byKey = new Map<string, Column>();
  const wholeMulti = new Set<string>();
  let dateCompletedCol: number | null = null;
  const width = Math.max(header.cells.length, ...dataRows.map((r) => r.cells.length));
  const filled = (col: number) =>
    dataRows.filter((r) => {
      const v = r.cells[col]?.raw ?? null;
      return v !== null && String(v).trim() !== '';
    }).length;
  const where = (col: number, text: string): Location => gridLocation(grid, fileHash, header.n, col, text);
  const dropped = (col: number, text: string, code: IssueCode, why: string) => {
    const n = filled(col);
    if (n > 0 && !resolver.isIgnored(text)) {
      // The header whole (for `census questions unmatched`), and one of its answers as an example.
      const example = dataRows.map((r) => r.cells[col]?.raw ?? null).find((v) => v !== null && String(v).trim() !== '');
      issues.push(
        issue(
          code,
          'warning',
          `Column "${text || `column ${col + 1}`}" ${why}; its ${n} filled cell(s) were not loaded. Map the header once for the wave (census questions unmatched --wave W --out map.xlsx, then census questions map map.xlsx) or remove the column.`,
          text === '' ? where(col, text) : { ...where(col, text), column: text },
          { raw: example instanceof Date ? example.toISOString().slice(0, 10) : String(example) },
        ),
      );
    }
  };
  for (let col = 0; col < width; col++) {
    const text = headerText(header.cells[col]?.raw ?? null);
    if (text.length > MAX_LABEL_CHARS) {
      issues.push(
        issue(
          'header_too_long',
          'warning',
          `The header of column ${col + 1} is ${text.length} characters long, over the ${MAX_LABEL_CHARS} a question label can be, so it was not matched and the column's ${filled(col)} filled cell(s) were not loaded. Check that the header row is the export's own; if a label was pasted over, restore it.`,
          where(col, `column ${col + 1}`),
          { raw: text.slice(0, 80) },
        ),
      );
      continue;
    }
    const t = resolver.resolve(text);
    if (isDateCompletedLabel(text) && t?.score !== 1) {
      dateCompletedCol ??= col;
      continue;
    }
    // A survey tool's own column (Respondent ID, IP Address, Custom Data 1...), unless the wave asks it by that name.
    if (t?.score !== 1 && isSurveyMetadataLabel(text)) continue;
    if (t === null) {
      dropped(
        col,
        text,
        'header_unmatched',
        text === '' ? 'has no header' : `matches no question of wave ${list.wave}`,
      );
      continue;
    }
    if (t.kind === 'unknown_option') {
      dropped(col, text, 'header_unmatched', `names "${t.option}", which is not an option of ${t.questionId}`);
      continue;
    }
    const target: Target =
      t.kind === 'option'
        ? { questionId: t.questionId, optionCode: t.optionCode, score: t.score }
        : { questionId: t.questionId, score: t.score };
    const key = `${target.questionId}:${target.optionCode ?? ''}`;
    const prev = byKey.get(key);
    // Two columns for one question: one with answers wins over one left empty in every row (a survey tool's
    // own "Email Address" beside the question's "Your email"); else the closer header (the first on a tie).
    const keepPrev =
      prev !== undefined &&
      (filled(prev.col) > 0 !== filled(col) > 0 ? filled(prev.col) > 0 : prev.target.score >= target.score);
    if (prev && keepPrev) {
      dropped(
        col,
        text,
        'duplicate_question_column',
        `repeats ${key.replace(/:$/, '')} (already read from "${prev.header}")`,
      );
      continue;
    }
    if (prev)
      dropped(
        prev.col,
        prev.header,
        'duplicate_question_column',
        `repeats ${key.replace(/:$/, '')} (a closer header is "${text}")`,
      );
    byKey.set(key, { col, header: text, target });
    if (target.optionCode === undefined) wholeMulti.add(target.questionId);
  }
  const columns = [...byKey.values()]
    .sort((a, b) => a.col - b.col)
    .filter((c) => {
      const multi = list.questions.find((q) => q.id === c.target.questionId)?.type === 'multi';
      // A multi question read from one "A; B" column ignores per-option columns (validate would too): say so.
      if (multi && c.target.optionCode !== undefined && wholeMulti.has(c.target.questionId)) {
        dropped(
          c.col,
          c.header,
          'duplicate_question_column',
          `repeats ${c.target.questionId}, which also has a single answer column`,
        );
        return false;
      }
      return true;
    });
  const monthFirst =
    dateCompletedCol !== null && monthFirstColumn(dataRows.map((r) => r.cells[dateCompletedCol!]?.raw ?? null));
  return { header, columns, dateCompletedCol, monthFirst, issues };
}

function readRow(grid: Grid, row: GridRow, headerN: number, layout: Layout, fileHash: string): ExtractedReturn {
  const answers: ExtractedAnswer[] = [];
  const issues: Issue[] = [];
  const ret: ExtractedReturn = { part: row.n - headerN, answers, meta: {}, issues };
  for (const c of layout.columns) {
    const cell = row.cells[c.col] ?? { raw: null, issues: [] };
    const location = gridLocation(grid, fileHash, row.n, c.col, c.header);
    for (const i of cell.issues) issues.push({ ...i, location, questionId: c.target.questionId });
    const a: ExtractedAnswer = {
      questionId: c.target.questionId,
      raw: cell.raw,
      location,
      match: { method: 'header', score: c.target.score },
    };
    if (c.target.optionCode !== undefined) a.optionCode = c.target.optionCode;
    answers.push(a);
  }
  if (layout.dateCompletedCol !== null) {
    const col = layout.dateCompletedCol;
    ret.meta.dateCompleted = stampDate(row.cells[col]?.raw ?? null, layout.monthFirst);
    ret.meta.dateCompletedLocation = gridLocation(
      grid,
      fileHash,
      row.n,
      col,
      headerText(layout.header.cells[col]?.raw ?? null),
    );
  }
  return ret;
}
