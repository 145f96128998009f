import { oleKind } from './cfb.ts';
import { readCentralDirectory } from './zip-guard.ts';
import { utf16WithoutBom } from './text-decode.ts';
import { DOCX, ODT, XLSX, type MediaType } from '../../schemas/media-type.ts';

function startsWith(b: Buffer, sig: number[]): boolean {
  return sig.every((x, i) => b[i] === x);
}

function looksBinary(b: Buffer): boolean {
  const n = Math.min(b.length, 4096);
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return false; // UTF-16 with BOM is text
  if (utf16WithoutBom(b)) return false;
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32)) ctrl++;
  }
  return n > 0 && ctrl / n > 0.1;
}

export function sniffMediaType(bytes: Buffer, originalName: string): MediaType {
  const ext = originalName.toLowerCase().split('.').pop() ?? '';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'application/pdf';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole-storage';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    // The zip's own directory names its parts; a file cut short has none, so its name decides.
    const dir = readCentralDirectory(bytes, 100_000);
    const names = dir.ok ? dir.entries.map((e) => e.name) : null;
    const head = names ? '' : bytes.subarray(0, Math.min(bytes.length, 64 * 1024)).toString('latin1');
    const macros = names ? names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n)) : head.includes('vbaProject.bin');
    const workbook = names ? names.some((n) => /^xl\/workbook\.(xml|bin)$/i.test(n)) : head.includes('xl/');
    if (macros && (workbook || ext === 'xlsm' || ext === 'xlsx'))
      return 'application/vnd.ms-excel.sheet.macroEnabled.12';
    if (workbook || (!names && ext === 'xlsx')) return XLSX;
    if (!names && ext === 'xlsm') return 'application/vnd.ms-excel.sheet.macroEnabled.12';
    if (names ? names.some((n) => /^word\/document\.xml$/i.test(n)) : ext === 'docx') return DOCX;
    // An OpenDocument file starts with its stored "mimetype" entry, which says which kind it is.
    if (bytes.subarray(0, 160).toString('latin1').includes('mimetypeapplication/vnd.oasis.opendocument.text'))
      return ODT;
    return 'application/zip';
  }
  if (looksBinary(bytes)) return 'application/octet-stream';
  const text = bytes.subarray(0, 2048).toString('latin1');
  if (
    ext === 'eml' ||
    (/^(Received|From|Return-Path|MIME-Version|Message-ID|Date|Subject|To|Delivered-To):/im.test(
      text.split(/\r?\n\r?\n/)[0] ?? '',
    ) &&
      /^From:/im.test(text))
  ) {
    if (ext !== 'csv') return 'message/rfc822';
  }
  if (ext === 'csv' || ext === 'tsv') return 'text/csv';
  return 'text/plain';
}

/** An OpenDocument spreadsheet or an Excel 97-2003 workbook, by its bytes; null for anything else. */
export function otherWorkbookFormat(bytes: Buffer, mediaType: string): 'ods' | 'xls' | null {
  if (mediaType === 'application/zip')
    return bytes.subarray(0, 160).toString('latin1').includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')
      ? 'ods'
      : null;
  return mediaType === 'application/x-ole-storage' && oleKind(bytes) === 'xls' ? 'xls' : null;
}
