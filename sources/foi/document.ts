import JSZip from 'jszip';
import type { FoiReader } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import { codeLetter, type Line } from './letter.ts';
import { markNotAnAnswer } from './reply-kind.ts';
import { fromLetter, manualOnly } from './result.ts';

/**
 * A reply as a word-processor letter: Word (.docx) or OpenDocument text (.odt). Trusts send FOI letters
 * this way as often as PDFs; the spec's list of shapes does not name them, so they are read as the
 * letter they are: each paragraph a line, each table row a line of cells, coded by the letter reader
 * (letter.ts) exactly as a PDF's text. Located by paragraph: `line` is the paragraph's number in the
 * document (table rows count as one paragraph each), since a word-processor file has no fixed pages.
 */

/** The XML part holding the text, and the tags that make its paragraphs, table rows and cells. */
interface Dialect {
  part: string;
  /** Paragraph and heading elements. */
  paragraph: RegExp;
  /** Elements whose character data is text (Word keeps text only in w:t; ODF in any paragraph). */
  textOnlyIn: RegExp | null;
  tab: RegExp;
  space: RegExp;
  row: RegExp;
  cell: RegExp;
}

const DOCX: Dialect = {
  part: 'word/document.xml',
  paragraph: /^w:p$/,
  textOnlyIn: /^w:t$/,
  tab: /^w:(?:tab|br|cr)$/,
  space: /^$/,
  row: /^w:tr$/,
  cell: /^w:tc$/,
};
const ODT: Dialect = {
  part: 'content.xml',
  paragraph: /^text:(?:p|h)$/,
  textOnlyIn: null,
  tab: /^text:(?:tab|line-break)$/,
  space: /^text:s$/,
  row: /^table:table-row$/,
  cell: /^table:table-cell$/,
};

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : (ENTITY[e] ?? m),
  );

/** The document's paragraphs and table rows, in order, as text lines (a row's cells kept apart). */
function documentLines(xml: string, d: Dialect): { text: string; cells?: string[] }[] {
  const out: { text: string; cells?: string[] }[] = [];
  let para: string[] | null = null;
  let row: string[] | null = null;
  let cell: string[] | null = null;
  let inText = 0;
  const tags = /<(\/?)([\w:-]+)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<[!?][^>]*>|([^<]+)/g;
  for (const m of xml.matchAll(tags)) {
    const [, close, name, attrs, selfClose, chars] = m;
    if (chars !== undefined) {
      if (para && (d.textOnlyIn === null || inText > 0)) para.push(unescape(chars));
      continue;
    }
    if (name === undefined) continue;
    if (d.textOnlyIn?.test(name) && !selfClose) inText += close ? -1 : 1;
    else if (d.paragraph.test(name)) {
      if (!close) para = [];
      if (close || selfClose) {
        const text = (para ?? []).join('').replace(/\s+/g, ' ').trim();
        if (cell) cell.push(text);
        else if (text !== '') out.push({ text });
        para = null;
      }
    } else if (para && (d.tab.test(name) || d.space.test(name))) {
      const n = d.space.test(name) ? Number(/c\s*=\s*"(\d+)"/.exec(attrs ?? '')?.[1] ?? 1) : 1;
      para.push(' '.repeat(Math.min(n, 8)));
    } else if (d.row.test(name)) {
      if (!close && !selfClose) row = [];
      else if (close && row) {
        while (row.length > 0 && row[row.length - 1] === '') row.pop();
        const cells = row;
        if (cells.length >= 2) out.push({ text: cells.join(' '), cells });
        else if (cells.length === 1 && cells[0] !== '') out.push({ text: cells[0]! });
        row = null;
      }
    } else if (d.cell.test(name)) {
      // An ODF cell repeated over empty columns ("number-columns-repeated") is one blank cell per column.
      const repeat = Math.min(Number(/columns-repeated\s*=\s*"(\d+)"/.exec(attrs ?? '')?.[1] ?? 1), 50);
      if (selfClose) row?.push(...Array<string>(repeat).fill(''));
      else if (!close) cell = [];
      else if (cell) {
        const text = cell.filter((t) => t !== '').join(' ');
        row?.push(...Array<string>(repeat).fill(text));
        cell = null;
      }
    }
  }
  return out;
}

export const readFoiDocument: FoiReader = async (bytes, ctx) => {
  let xml: string | undefined;
  let dialect = DOCX;
  try {
    const zip = await JSZip.loadAsync(bytes);
    const mimetype = await zip.file('mimetype')?.async('string');
    dialect = mimetype?.trim() === 'application/vnd.oasis.opendocument.text' ? ODT : DOCX;
    xml = await zip.file(dialect.part)?.async('string');
  } catch {
    xml = undefined;
  }
  if (xml === undefined)
    return manualOnly([
      issue(
        'foi_document_unreadable',
        'error',
        `${ctx.originalName}: the document could not be opened as a Word (.docx) or OpenDocument (.odt) letter. Ask the trust to send it again, or as a PDF; it is kept for coding by hand.`,
        { fileHash: ctx.fileHash },
      ),
    ]);
  const lines: Line[] = documentLines(xml, dialect).map((l, i) => ({
    ...l,
    location: { fileHash: ctx.fileHash, line: i + 1 },
  }));
  const letter = codeLetter(lines, { wave: ctx.wave, sentDate: ctx.sentDate });
  return markNotAnAnswer(fromLetter(letter, ctx.wave.periods), lines);
};
