import ExcelJS from 'exceljs';
import type { CodedValue, FoiReader, RecordSummary } from '../../schemas/foi.ts';
import { issue, type Issue } from '../../schemas/issue.ts';
import { cellRaw } from '../shared/cell.ts';
import type { GridCell } from './grid.ts';
import { allAccepted, codeLetter, questionOf, type Line } from './letter.ts';
import { fromLetter, manualOnly, responseBasis } from './result.ts';
import { applyNonzeroNote, nonzeroNote } from './count.ts';
import { codeTable } from './table.ts';
import { labelledSheetDate } from './sheet-date.ts';
import { applyPeriodNotes, periodNotes } from './period-note.ts';
import { findTrustHint } from './trust-hint.ts';

/**
 * A reply as an xlsx workbook: each sheet one row per period or one row per referral; a sheet that is
 * neither is read as question-and-answer rows like a letter. Located by sheet!cell.
 */

const NOTE =
  /\*\s*(?:=|denotes|indicates|means|represents)|^\s*notes?\b|(?:shown|marked|replaced) (?:as|by|with) (?:an? )?(?:\*|asterisk)/i;

const NOTES_SHEET = /^(?:notes?|definitions?|glossary|read ?me|about\b.*|caveats?|footnotes?|guidance|key)$/i;

/** A cell that starts with a question's number: "3. Number of referrals accepted", "Q1", "Question 2:". */
const QUESTION_CELL = /^\s*(?:q(?:uestion)?\s*)?\d{1,2}\s*[.):-]?(?:\s|$)/i;

/**
 * Rows of a table's sheet that answer a question in words: two cells, the second text (not a count or a
 * date), the first naming a question by its number or by the words of a question that is not a count
 * (counts come from the table). As letter lines: the question, then "Response:" and the answer.
 */
function answerRows(rows: GridCell[][], wave: Parameters<typeof questionOf>[2]): Line[] {
  const out: Line[] = [];
  for (const row of rows) {
    const filled = row.filter((c) => c.text !== '');
    // One cell holding answers headed by their questions ("Question 1: Yes. Question 4: No. Question 5: CAMHS.").
    if (filled.length === 1 && QUESTION_CELL.test(filled[0]!.text)) {
      out.push({ text: filled[0]!.text, location: filled[0]!.location });
      continue;
    }
    // A note cell ending with answers headed by their questions ("... Accepted figures not held. Q1 yes, Q4
    // no, Q5 CAMHS."): one line per answer, from the first heading on.
    if (filled.length === 1) {
      const heads = [...filled[0]!.text.matchAll(/\bq(?:uestion)?\s*\d{1,2}\b(?=\s*[:.-]?\s*\S)/gi)];
      const from = heads.map((m) => m.index);
      const parts = from.map((at, i) =>
        filled[0]!.text
          .slice(at, from[i + 1])
          .trim()
          .replace(/[,;]$/, ''),
      );
      // Each a heading and its answer ("Q1 and Q2 2023/24 are provisional" names quarters, not answers).
      const answers = parts.every((p) =>
        /^\S+\s*\d*\s*[:.-]?\s*(?!(?:and|&|or|to)\b)[a-z]/i.test(p.replace(/^q(?:uestion)?\s*/i, 'Q')),
      );
      if (heads.length >= 2 && answers) {
        for (const text of parts) out.push({ text, location: filled[0]!.location, quote: filled[0]!.text });
        continue;
      }
    }
    if (filled.length !== 2) continue;
    const [label, answer] = filled as [GridCell, GridCell];
    if (typeof answer.value === 'number' || answer.value instanceof Date || /^[\d\s/.,:-]+$/.test(answer.text))
      continue;
    const numbered = QUESTION_CELL.test(label.text);
    const q = questionOf(label.text, null, wave);
    if (!numbered && (q === null || q.answerType === 'count_per_period')) continue;
    const n = numbered || q === null ? null : wave.questions.indexOf(q) + 1;
    out.push({ text: n === null ? label.text : `${n}. ${label.text}`, location: label.location });
    out.push({ text: `Response: ${answer.text}`, location: answer.location, quote: answer.text });
  }
  return out;
}

const FIGURE_CELL = (c: GridCell) => typeof c.value === 'number' || /^[<>~]?\s*\d+(?:[.,]\d+)?$/.test(c.text);

/**
 * A sheet holding more than one table, each under its own title and set apart by a blank row ("Referrals
 * received by age band" ... "Referrals accepted by age band" ...): each table is read on its own, its
 * counts of the basis its title names (the second table's rows had been read as a second reading of the
 * received counts). A sheet with one table is read whole, as before.
 */
function codeTables(rows: GridCell[][], tctx: Parameters<typeof codeTable>[1]): ReturnType<typeof codeTable> {
  const blocks: GridCell[][][] = [[]];
  for (const row of rows) {
    if (row.every((c) => c.text === '')) {
      if (blocks.at(-1)!.length > 0) blocks.push([]);
    } else blocks.at(-1)!.push(row);
  }
  // A title or heading block with no figure belongs to the block below it.
  const tables: GridCell[][][] = [];
  let pending: GridCell[][] = [];
  for (const b of blocks.filter((x) => x.length > 0)) {
    if (b.some((row) => row.slice(1).some(FIGURE_CELL))) {
      tables.push([...pending, ...b]);
      pending = [];
    } else pending.push(...b);
  }
  // One table: the sheet's title rows above its first figure, and the sheet's name ("Q3 Accepted" over
  // "Period | Count"), say the basis of columns whose header names none.
  const sheet = rows[0]?.[0]?.location.sheet ?? '';
  const single = tables.length < 2;
  const out: ReturnType<typeof codeTable> = { values: [], issues: [], uncoded: 0, recognised: false };
  for (const t of single ? [rows] : tables) {
    const lone = (row: GridCell[]) => row.filter((c) => c.text !== '').length === 1;
    const text = (row: GridCell[]) => row.find((c) => c.text !== '')!.text;
    const title = (single ? [sheet, ...titleAbove(t)] : t.filter(lone).map(text)).join(' ');
    const accepted = /\baccept/i.test(title);
    const received = /\breceiv/i.test(title);
    // (Several tables: a title naming both is the accepted table's, "Referrals accepted, of those received".)
    const basis = accepted && !(single && received) ? 'accepted' : received && !accepted ? 'received' : undefined;
    const r = codeTable(t, basis === undefined ? tctx : { ...tctx, defaultBasis: basis });
    out.values.push(...r.values);
    out.issues.push(...r.issues);
    out.uncoded += r.uncoded;
    out.recognised ||= r.recognised;
    if (r.records !== undefined) out.records ??= r.records;
  }
  return out;
}

/**
 * The title of a sheet's one table: the one-cell rows straight above its header (the row over the first
 * figure), up to a blank row; never an answer above it ("Q1: Yes - referrals ... are accepted").
 */
function titleAbove(rows: GridCell[][]): string[] {
  const firstFigure = rows.findIndex((row) => row.slice(1).some(FIGURE_CELL));
  const out: string[] = [];
  for (let i = firstFigure - 2; i >= 0; i--) {
    const filled = rows[i]!.filter((c) => c.text !== '');
    if (filled.length !== 1 || QUESTION_CELL.test(filled[0]!.text)) break;
    out.unshift(filled[0]!.text);
  }
  return out;
}

function sheetRows(ws: ExcelJS.Worksheet, fileHash: string, issues: Issue[]): GridCell[][] {
  const rows: GridCell[][] = [];
  // exceljs computes columnCount by walking every row: read once, or the grid costs rows^2.
  const rowCount = ws.rowCount;
  const columnCount = ws.columnCount;
  for (let r = 1; r <= rowCount; r++) {
    const row: GridCell[] = [];
    const xlRow = ws.getRow(r);
    for (let c = 1; c <= columnCount; c++) {
      const cell = xlRow.getCell(c);
      const location = { fileHash, sheet: ws.name, cell: cell.address };
      const { raw, issues: found } = cellRaw(cell.value, location);
      issues.push(...found);
      const text = raw === null ? '' : raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
      row.push(raw === null ? { text, location } : { text, location, value: raw });
    }
    rows.push(row);
  }
  return rows;
}

export const readFoiSpreadsheet: FoiReader = async (bytes, ctx) => {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types its Buffer older than @types/node 20's generic one; the bytes are the same.
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return manualOnly([
      issue(
        'xlsx_unreadable',
        'error',
        `The workbook could not be opened (${(e as Error).message}); ask for it again or code it by hand.`,
        { fileHash: ctx.fileHash },
      ),
    ]);
  }
  const issues: Issue[] = [];
  const values: CodedValue[] = [];
  let uncoded = 0;
  let records: RecordSummary | undefined;
  const letterLines: Line[] = [];
  // "Response date | 05/04/2024" above a table: the reply's own date, from the first sheet that has one.
  let replyDate: string | undefined;
  // Each sheet's rows as text, first sheet first: the trust is named in a title row above a table too.
  const sheetTexts: string[] = [];
  for (const ws of wb.worksheets) {
    const rows = sheetRows(ws, ctx.fileHash, issues);
    for (const row of rows) {
      const t = row
        .map((c) => c.text)
        .filter((x) => x !== '')
        .join(' ');
      if (t !== '') sheetTexts.push(t);
    }
    replyDate ??= labelledSheetDate(rows, ctx.sentDate);
    const notes = rows
      .flat()
      .map((c) => c.text)
      .filter((t) => NOTE.test(t));
    const r = codeTables(rows, { wave: ctx.wave, period: { sentDate: ctx.sentDate }, notes });
    // A sheet taken for a table that gives no count nor record ("Question | Response" rows) is read as a letter.
    if (r.recognised && (r.values.length > 0 || r.records !== undefined || r.uncoded > 0)) {
      // A note of the sheet saying what "<5" stands for ("between 1 and 4") decides its interval.
      applyNonzeroNote(r.values, nonzeroNote(rows.flat().map((c) => c.text)));
      values.push(...r.values);
      issues.push(...r.issues);
      uncoded += r.uncoded;
      records ??= r.records;
      // The other questions answered in rows beside the table ("Does the Trust accept referrals for under
      // twos? | Yes", "Q4 Parent-infant relationship service | No"): read like an answers sheet.
      letterLines.push(...answerRows(rows, ctx.wave));
      continue;
    }
    // A sheet of notes ("Notes", "Definitions", "Caveats"): its lines are notes of the reply, never the end of
    // the answer read on the sheet before it.
    const notesSheet = NOTES_SHEET.test(ws.name.trim());
    for (const row of rows) {
      const filled = row.filter((c) => c.text !== '');
      if (notesSheet) {
        if (filled.length > 0)
          letterLines.push({ text: `Note: ${filled.map((c) => c.text).join(' ')}`, location: filled[0]!.location });
        continue;
      }
      // A question in one cell and its answer in the next ("3. Number of referrals accepted | Not held."):
      // two lines, the answer marked as such and located at its own cell.
      if (filled.length === 2 && QUESTION_CELL.test(filled[0]!.text)) {
        letterLines.push({ text: filled[0]!.text, location: filled[0]!.location });
        letterLines.push({
          text: `Response: ${filled[1]!.text}`,
          location: filled[1]!.location,
          quote: filled[1]!.text,
        });
      } else if (filled.length > 0)
        letterLines.push({ text: filled.map((c) => c.text).join(' '), location: filled[0]!.location });
    }
  }
  // A note of the workbook saying what dates a year covers ("FY23/24 covers 1 April 2023 to 31 March 2024").
  applyPeriodNotes(values, periodNotes(sheetTexts));
  if (letterLines.length > 0) {
    const letter = codeLetter(letterLines, { wave: ctx.wave, sentDate: ctx.sentDate });
    letter.values.unshift(...values);
    // "Q3 | All referrals listed were accepted" beside the sheet's table of received counts: each is accepted too.
    allAccepted(
      letter,
      letterLines.map((l) => l.text),
      ctx.wave,
    );
    letter.issues.unshift(...issues);
    letter.uncoded += uncoded;
    const out = fromLetter(letter, ctx.wave.periods, records ? { records } : {});
    if (replyDate !== undefined) out.replyDate = replyDate;
    out.trustHint = { ...findTrustHint(sheetTexts), ...out.trustHint };
    return out;
  }
  const answered = values.length > 0;
  if (!answered)
    issues.push(
      issue(
        'no_answers_found',
        'warning',
        'No table of counts or referrals was found in the workbook; it goes to the coding sheet.',
        { fileHash: ctx.fileHash },
      ),
    );
  return {
    values,
    issues,
    basis: responseBasis(values, ctx.wave.periods),
    needsManualCoding: uncoded > 0 || !answered,
    textAnswers: [],
    trustHint: findTrustHint(sheetTexts),
    ...(records ? { records } : {}),
    ...(replyDate === undefined ? {} : { replyDate }),
  };
};
