import Papa from 'papaparse';
import type { FoiReader } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import { decodeText } from './decode.ts';
import type { GridCell } from './grid.ts';
import { responseBasis } from './result.ts';
import { applyPeriodNotes, periodNotes } from './period-note.ts';
import { labelledSheetDate } from './sheet-date.ts';
import { codeTable } from './table.ts';
import { findTrustHint } from './trust-hint.ts';

/**
 * A reply as a csv file: one row per period or one row per referral. Any of UTF-8 (with or without BOM),
 * UTF-16 with BOM or windows-1252; comma, semicolon, tab or pipe separated. Located by row (header = row 1).
 */
export const readFoiCsv: FoiReader = async (bytes, ctx) => {
  const { text } = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [',', ';', '\t', '|'], skipEmptyLines: false });
  const rows: GridCell[][] = parsed.data.map((r, i) =>
    r.map((t) => ({ text: String(t ?? '').trim(), location: { fileHash: ctx.fileHash, row: i + 1 } })),
  );
  const notes = rows
    .flat()
    .map((c) => c.text)
    .filter((t) => /\*\s*(?:=|denotes|indicates|means|represents)/i.test(t));
  const r = codeTable(rows, { wave: ctx.wave, period: { sentDate: ctx.sentDate }, notes });
  // Papa reports ragged rows as errors; the table coder copes with them, so only other errors are passed on.
  const issues = parsed.errors
    .filter((e) => e.code !== 'TooFewFields' && e.code !== 'TooManyFields' && e.code !== 'UndetectableDelimiter')
    .map((e) =>
      issue('csv_malformed', 'warning', `The csv could not be split cleanly: ${e.message}.`, {
        fileHash: ctx.fileHash,
        ...(e.row === undefined ? {} : { row: e.row + 1 }),
      }),
    );
  issues.push(...r.issues);
  // "Date of response,05/04/2024" above the table: the reply's own date (sources/foi/sheet-date.ts).
  const replyDate = labelledSheetDate(rows, ctx.sentDate);
  const texts = rows
    .map((row) =>
      row
        .map((c) => c.text)
        .filter((t) => t !== '')
        .join(' '),
    )
    .filter((t) => t !== '');
  // A note in the csv saying what dates a year covers.
  applyPeriodNotes(r.values, periodNotes(texts));
  if (!r.recognised || r.values.length === 0)
    issues.push(
      issue(
        'no_answers_found',
        'warning',
        'No table of counts or referrals was found in the csv; it goes to the coding sheet.',
        { fileHash: ctx.fileHash },
      ),
    );
  return {
    values: r.values,
    issues,
    basis: responseBasis(r.values, ctx.wave.periods),
    needsManualCoding: r.uncoded > 0 || r.values.length === 0,
    textAnswers: [],
    // The trust's name or our reference in the lines above a table of counts ("Our reference,PIP-FOI-2024-002").
    // Not for a record-level extract: the large ones are read by COPY (pipeline/ingest/foi/record-copy.ts),
    // which keeps no line above the header, and both paths must give the same reply; such an extract is
    // matched by its covering e-mail, its file name or our reference in it.
    trustHint: r.records ? {} : findTrustHint(texts.slice(0, 40)),
    ...(r.records ? { records: r.records } : {}),
    ...(replyDate === undefined ? {} : { replyDate }),
  };
};
