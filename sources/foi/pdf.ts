import type { FoiReader } from '../../schemas/foi.ts';
import { issue, type Issue } from '../../schemas/issue.ts';
import { codeLetter, type Line } from './letter.ts';
import { placeColumns, type PlacedItem, type PlacedLine } from './pdf-table.ts';
import { fromLetter, manualOnly, needsManual } from './result.ts';
import { markNotAnAnswer } from './reply-kind.ts';

/**
 * A reply as a PDF: letters with prose or small tables, tables of counts. Located by page and 1-based
 * line of the page's text; the quote is the whole line. A page without a text layer (a scan) is never
 * guessed at: it is recorded as needing manual coding.
 */

// pdf.js puts a gap between two table cells as a separate whitespace item; joining items with a mark
// we can see keeps those gaps apart from ordinary spaces inside a run of text.
/**
 * pdf-parse loads pdf.js's legacy build, whose core-js polyfills replace Array.prototype.push for
 * the whole thread with a JavaScript one (it deems V8 <= 121, Node 20's, wrong on an array with a
 * read-only length): every push of the readers, exceljs and pako then costs several times the
 * native one (#18: about a tenth of a parse worker's time on the FOI replies). The native push is
 * taken here, before pdf-parse loads (only on first use, below), and put back once it has loaded
 * and after every PDF (pdf.js loads its worker half on first use, with the same polyfill). Nothing
 * this code or pdf.js does pushes onto an array with a read-only length.
 */
const NATIVE_PUSH = Array.prototype.push;
const pushIsNative = Function.prototype.toString.call(NATIVE_PUSH).includes('[native code]');
function keepNativePush(): void {
  if (pushIsNative && Array.prototype.push !== NATIVE_PUSH) Array.prototype.push = NATIVE_PUSH;
}
let pdfParse: Promise<typeof import('pdf-parse')> | null = null;
const loadPdfParse = (): Promise<typeof import('pdf-parse')> =>
  (pdfParse ??= import('pdf-parse').then((m) => {
    keepNativePush();
    return m;
  }));

const JOIN = '\u001f';
const GAP = new RegExp(`${JOIN}\\s+${JOIN}`);

function lineOf(raw: string, location: Line['location']): Line {
  const cells = raw
    .split(GAP)
    .map((c) => c.split(JOIN).join('').trim())
    .filter((c) => c !== '');
  const line: Line = { text: raw.split(JOIN).join(''), location };
  if (cells.length >= 2) line.cells = cells;
  return line;
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
}
interface PdfPage {
  getTextContent(opts?: object): Promise<{ items: object[] }>;
}
interface PdfDoc {
  getPage(n: number): Promise<PdfPage>;
}

/**
 * The text items of each page as pdf.js gave them to pdf-parse's getText, kept (page number -> items)
 * before pdf-parse changes their text (it prefixes a cell's item with a tab): one text extraction a
 * page where the positions used to be asked for again, the same call on the same page (#18: the
 * second extraction was about a third of the parse worker's time on an FOI ingest).
 */
function keepTextItems(doc: PdfDoc): Map<number, PlacedItem[]> {
  const kept = new Map<number, PlacedItem[]>();
  const getPage = doc.getPage.bind(doc);
  doc.getPage = async (num) => {
    const page = await getPage(num);
    const getTextContent = page.getTextContent.bind(page);
    page.getTextContent = async (opts) => {
      const content = await getTextContent(opts);
      kept.set(
        num,
        content.items
          .filter((i): i is TextItem => 'str' in i)
          .map((it) => ({ str: it.str, x: it.transform[4]!, y: it.transform[5]!, w: it.width })),
      );
      return content;
    };
    return page;
  };
  return kept;
}

/**
 * The text items of a page with their positions, by line of the page's text: pdf-parse joins the
 * items in order (with JOIN), putting a line break between some of them, so walking its text and the
 * items together says which line each item is on. Null when the two do not line up.
 */
function placedItems(items: readonly PlacedItem[], text: string): PlacedItem[][] | null {
  const lines: PlacedItem[][] = [[]];
  let k = 0;
  for (const e of text.split(JOIN)) {
    const it = items[k];
    if (it !== undefined && (e === it.str || e === `\t${it.str}`)) {
      lines[lines.length - 1]!.push(it);
      for (let n = 0; n < (e.match(/\n/g) ?? []).length; n++) lines.push([]);
      k += 1;
    } else if (e === '\n') lines.push([]);
    else return null;
  }
  return k === items.length ? lines : null;
}

/** pdf.js's reason a PDF did not open, as an issue that says what to ask the trust for. */
function unreadable(e: Error, bytes: Buffer, ctx: { fileHash: string; originalName: string }): Issue {
  const at = { fileHash: ctx.fileHash };
  if (e.name === 'PasswordException') {
    return issue(
      'password_protected',
      'error',
      `${ctx.originalName}: the PDF is protected with a password, so census cannot read it. Ask the trust to send it without a password; it is kept for coding by hand.`,
      at,
    );
  }
  // A PDF ends with "%%EOF"; without it near the end, the file was most likely cut short in transit.
  const cut = !bytes
    .subarray(Math.max(0, bytes.length - 1024))
    .toString('latin1')
    .includes('%%EOF');
  return issue(
    'pdf_unreadable',
    'error',
    `${ctx.originalName}: the PDF could not be read (${e.message})${cut ? '; it looks cut short (no end-of-file marker)' : ''}. Ask the trust to send it again; it is kept for coding by hand.`,
    at,
  );
}

export const readFoiPdf: FoiReader = async (bytes, ctx) => {
  // A copy: pdf.js may take ownership of (detach) the array it is given.
  const { PDFParse } = await loadPdfParse();
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  let pages: { num: number; text: string }[];
  const positions = new Map<number, PlacedItem[][]>();
  try {
    // pdf-parse's load() opens the document once (getText reuses it); a PDF that does not open throws here as there.
    const kept = keepTextItems(await (parser as unknown as { load(): Promise<PdfDoc> }).load());
    if (ctx.maxPages !== undefined) {
      // No page is parsed (there is no page 0): this loads the document and gives its real page count.
      const { total } = await parser.getText({ partial: [0] });
      if (total > ctx.maxPages) {
        return manualOnly([
          issue(
            'too_many_pages',
            'error',
            `${ctx.originalName}: the PDF has ${total} pages, over the limit of ${ctx.maxPages}. Check it is the right file; if it is, raise limits.maxPages in census.json. It is kept for coding by hand.`,
            { fileHash: ctx.fileHash },
          ),
        ]);
      }
    }
    pages = (await parser.getText({ itemJoiner: JOIN, pageJoiner: '' })).pages;
    // Where each piece of text sits, to put a table's cells back under their columns (pdf-table.ts).
    for (const p of pages) {
      const items = kept.get(p.num);
      const placed = items === undefined ? null : placedItems(items, p.text);
      if (placed !== null) positions.set(p.num, placed);
    }
  } catch (e) {
    return manualOnly([unreadable(e as Error, bytes, ctx)]);
  } finally {
    await parser.destroy().catch(() => undefined);
    keepNativePush();
  }
  const issues: Issue[] = [];
  const lines: Line[] = [];
  for (const p of pages) {
    const raw = p.text.split('\n');
    if (raw.every((l) => l.split(JOIN).join('').trim() === '')) {
      issues.push(
        needsManual(
          { fileHash: ctx.fileHash, page: p.num },
          `Page ${p.num} has no text layer (a scan or an image); a person must read it.`,
        ),
      );
      continue;
    }
    const pageLines = raw.map((l, i) => lineOf(l, { fileHash: ctx.fileHash, page: p.num, line: i + 1 }));
    const placed = positions.get(p.num);
    if (placed === undefined || placed.length !== pageLines.length) lines.push(...pageLines);
    else lines.push(...placeColumns(pageLines.map((line, i): PlacedLine => ({ line, items: placed[i]! }))));
  }
  if (lines.length === 0) return manualOnly(issues);
  const result = fromLetter(codeLetter(lines, { wave: ctx.wave, sentDate: ctx.sentDate }), ctx.wave.periods);
  result.issues.unshift(...issues);
  if (issues.length > 0) result.needsManualCoding = true;
  // A letter asking us to clarify, or saying the reply will be late, is not the reply (reply-kind.ts).
  return issues.length > 0 ? result : markNotAnAnswer(result, lines);
};
