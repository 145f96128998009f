import { PDFParse } from 'pdf-parse';
import type { FoiReader } from '../../schemas/foi.ts';
import { issue, type Issue } from '../../schemas/issue.ts';
import { codeLetter, type Line } from './letter.ts';
import { fromLetter, manualOnly, needsManual } from './result.ts';

/**
 * A reply as a PDF: letters with prose or small tables, tables of counts. Located by page and 1-based
 * line of the page's text; the quote is the whole line. A page without a text layer (a scan) is never
 * guessed at: it is recorded as needing manual coding.
 */

// pdf.js puts a gap between two table cells as a separate whitespace item; joining items with a mark
// we can see keeps those gaps apart from ordinary spaces inside a run of text.
const JOIN = '\u001f';
const GAP = new RegExp(`${JOIN}\\s+${JOIN}`);

function lineOf(raw: string, location: Line['location']): Line {
  const cells = raw.split(GAP).map((c) => c.split(JOIN).join('').trim()).filter((c) => c !== '');
  const line: Line = { text: raw.split(JOIN).join(''), location };
  if (cells.length >= 2) line.cells = cells;
  return line;
}

export const readFoiPdf: FoiReader = async (bytes, ctx) => {
  // A copy: pdf.js may take ownership of (detach) the array it is given.
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  let pages: { num: number; text: string }[];
  try {
    pages = (await parser.getText({ itemJoiner: JOIN, pageJoiner: '' })).pages;
  } catch (e) {
    return manualOnly([issue('pdf_unreadable', 'error', `The PDF could not be read (${(e as Error).message}); code it by hand.`, { fileHash: ctx.fileHash })]);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
  const issues: Issue[] = [];
  const lines: Line[] = [];
  for (const p of pages) {
    const raw = p.text.split('\n');
    if (raw.every((l) => l.split(JOIN).join('').trim() === '')) {
      issues.push(needsManual({ fileHash: ctx.fileHash, page: p.num }, `Page ${p.num} has no text layer (a scan or an image); a person must read it.`));
      continue;
    }
    raw.forEach((l, i) => lines.push(lineOf(l, { fileHash: ctx.fileHash, page: p.num, line: i + 1 })));
  }
  if (lines.length === 0) return manualOnly(issues);
  const result = fromLetter(codeLetter(lines, { wave: ctx.wave, sentDate: ctx.sentDate }), ctx.wave.periods);
  result.issues.unshift(...issues);
  if (issues.length > 0) result.needsManualCoding = true;
  return result;
};
