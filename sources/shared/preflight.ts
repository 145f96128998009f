import { issue, type Issue, type IssueCode, type Location } from '../../schemas/issue.ts';
import { oleKind } from './cfb.ts';
import { guardZip } from './zip-guard.ts';

/**
 * Checks a received file against the workspace limits and recognises containers no reader opens,
 * before any parser touches it: everything here is a cheap scan of the bytes. An issue of severity
 * error means "do not parse"; each says what was found, what was expected and what to do.
 */
export interface FileLimits {
  maxFileBytes: number;
  maxRows: number;
  maxPages: number;
  maxUnzippedBytes: number;
  maxZipEntries: number;
}

export interface PreflightInput {
  mediaType: string;
  name: string;
  fileHash: string;
}

const ZIP_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroEnabled.12',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
]);

const OLE_ADVICE: Record<string, string> = {
  xls: 'an Excel 97-2003 workbook (.xls)',
  doc: 'a Word 97-2003 document (.doc)',
  ppt: 'a PowerPoint 97-2003 file (.ppt)',
  other: 'an old binary Office file',
};

const TAG_END = new Set([0x20, 0x3e, 0x2f, 0x09, 0x0a, 0x0d]);
const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x5f ||
  c === 0x2d ||
  c === 0x2e;

/** Rows of a worksheet part: `<row` or a prefixed `<x:row` start tag. Counted on bytes, so no huge string is made. */
function countRowTags(xml: Buffer): number {
  let n = 0;
  for (let i = xml.indexOf('row'); i >= 0; i = xml.indexOf('row', i + 3)) {
    if (!TAG_END.has(xml[i + 3] ?? 0)) continue;
    let j = i - 1;
    if (xml[j] === 0x3a) {
      const stop = Math.max(0, j - 32);
      j -= 1;
      while (j > stop && isNameChar(xml[j]!)) j -= 1;
    }
    if (xml[j] === 0x3c) n += 1;
  }
  return n;
}

/** Pages of a PDF as declared in its page tree (the largest /Count); 0 when compressed out of sight. */
export function declaredPdfPages(b: Buffer): number {
  const text = b.toString('latin1', 0, Math.min(b.length, 64 * 1024 * 1024));
  let max = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g))
    max = Math.max(max, Number(m[1] ?? m[2]));
  return max;
}

const OBJ_AT = /^\s*\d+\s+\d+\s+obj\b/;

/**
 * What is wrong with a PDF's cross-reference table, or null when it looks sound: the last
 * "startxref" must point at a table ("xref") or an xref stream ("n g obj"), and a sample of the
 * table's in-use entries at their objects. pdf.js rebuilds a broken table by scanning the file,
 * which usually works but can pick up stale or deleted objects; the values then deserve a check.
 */
export function pdfXrefProblem(b: Buffer): string | null {
  const tail = b.toString('latin1', Math.max(0, b.length - 2048));
  const m = /startxref\s+(\d+)\s*(?:%%EOF)?\s*$/.exec(tail) ?? [...tail.matchAll(/startxref\s+(\d+)/g)].pop();
  if (!m) return 'it has no "startxref" pointer to its cross-reference table';
  const at = Number(m[1]);
  const head = at < b.length ? b.toString('latin1', at, Math.min(b.length, at + 64 * 1024)) : '';
  if (OBJ_AT.test(head)) return null; // an xref stream: its entries are compressed, not checked here
  if (!/^\s*xref\b/.test(head)) return `"startxref" points at byte ${at}, where there is no cross-reference table`;
  let checked = 0;
  for (const sub of head.matchAll(/(?:^|\s)(\d+)\s+(\d+)\s*[\r\n]+((?:\d{10}\s\d{5}\s[nf][\s]{1,2})+)/g)) {
    let num = Number(sub[1]);
    for (const e of sub[3]!.matchAll(/(\d{10})\s(\d{5})\s([nf])/g)) {
      const n = num++;
      if (e[3] !== 'n' || checked >= 20) continue;
      checked += 1;
      const off = Number(e[1]);
      const obj = off < b.length ? b.toString('latin1', off, Math.min(b.length, off + 40)) : '';
      if (!new RegExp(`^\\s*${n}\\s+${Number(e[2])}\\s+obj\\b`).test(obj))
        return `its entry for object ${n} points at byte ${off}, where that object is not`;
    }
    if (checked >= 20) break;
  }
  return null;
}

function lineCount(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n += 1;
  return b.length > 0 && b[b.length - 1] !== 0x0a ? n + 1 : n;
}

export function preflight(bytes: Buffer, input: PreflightInput, limits: FileLimits): Issue[] {
  const loc: Location = { fileHash: input.fileHash };
  const name = input.name;
  const stop = (code: IssueCode, message: string): Issue[] => [issue(code, 'error', `${name}: ${message}`, loc)];
  if (bytes.length > limits.maxFileBytes) {
    return stop(
      'file_too_large',
      `the file is ${bytes.length} bytes, over the limit of ${limits.maxFileBytes}. Check it is the right file; if it is, raise limits.maxFileBytes in census.json.`,
    );
  }
  if (input.mediaType === 'application/x-ole-storage') {
    const kind = oleKind(bytes);
    if (kind === 'encrypted_ooxml')
      return stop(
        'password_protected',
        'the workbook is protected with a password, so census cannot open it. Ask the team to remove the password (File > Info > Protect Workbook) and send it again.',
      );
    return stop(
      'legacy_binary_format',
      `this is ${OLE_ADVICE[kind ?? 'other']}${kind === null ? ', and it is damaged' : ''}, a format census does not read. Ask for it saved as an Excel Workbook (.xlsx)${kind === 'xls' ? `, or save it so yourself (Excel or LibreOffice: File > Save As, "Excel Workbook (.xlsx)"; or soffice --headless --convert-to xlsx "${name}") and ingest the .xlsx` : ''}.`,
    );
  }
  if (input.mediaType === 'application/octet-stream' && /\.(csv|tsv|txt)$/i.test(name)) {
    return stop(
      'binary_not_text',
      'the file is named as text but holds binary data (a renamed workbook, or a damaged file). Ask for the export again as a UTF-8 .csv.',
    );
  }
  if (ZIP_TYPES.has(input.mediaType)) {
    let rows = 0;
    let binaryWorkbook = false;
    const dir = guardZip(bytes, limits, (part, data) => {
      if (/^xl\/worksheets\/[^/]+\.xml$/i.test(part)) rows = Math.max(rows, countRowTags(data));
      if (/^xl\/workbook\.bin$/i.test(part)) binaryWorkbook = true;
    });
    if (!dir.ok) {
      switch (dir.problem) {
        case 'bomb':
          return stop(
            'zip_bomb_suspected',
            `${dir.detail}. The file was not opened. If it is a genuine workbook, raise limits.maxUnzippedBytes / limits.maxZipEntries in census.json; otherwise delete it.`,
          );
        case 'encrypted':
          return stop('password_protected', `${dir.detail}. Ask the team to send it without a password.`);
        case 'unsupported':
          return stop('unsupported_format', `${dir.detail}. Ask for it saved again as an Excel Workbook (.xlsx).`);
        default:
          return stop(
            'file_unreadable',
            `the file cannot be opened as a workbook: ${dir.detail}. It may be truncated or corrupt: ask the team to send it again.`,
          );
      }
    }
    if (binaryWorkbook)
      return stop(
        'unsupported_format',
        'this is an Excel Binary Workbook (.xlsb), which census does not read. Ask for it saved as an Excel Workbook (.xlsx).',
      );
    if (rows > limits.maxRows)
      return stop(
        'too_many_rows',
        `a sheet has ${rows} rows, over the limit of ${limits.maxRows}. Check it is the right file; if it is, raise limits.maxRows in census.json.`,
      );
    return [];
  }
  if (input.mediaType === 'text/csv' || input.mediaType === 'text/plain') {
    const lines = lineCount(bytes);
    if (lines > limits.maxRows)
      return stop(
        'too_many_rows',
        `the file has ${lines} lines, over the limit of ${limits.maxRows}. Check it is the right file; if it is, raise limits.maxRows in census.json.`,
      );
  }
  if (input.mediaType === 'application/pdf') {
    const pages = declaredPdfPages(bytes);
    if (pages > limits.maxPages)
      return stop(
        'too_many_pages',
        `the PDF has ${pages} pages, over the limit of ${limits.maxPages}. Check it is the right file; if it is, raise limits.maxPages in census.json.`,
      );
    const xref = pdfXrefProblem(bytes);
    // Not a refusal: pdf.js can usually rebuild the table, so the reply is read, with this warning beside its values.
    if (xref)
      return [
        issue(
          'pdf_xref_broken',
          'warning',
          `${name}: the PDF's cross-reference table is damaged (${xref}); the PDF reader rebuilds it by scanning the whole file, which can pick up stale or deleted content. Check any values taken from it against the PDF, or ask the sender for a fresh copy.`,
          loc,
        ),
      ];
  }
  return [];
}
