import iconv from 'iconv-lite';
import type { Line } from './prose.ts';

/**
 * Text files as trusts send them. Node 20's TextDecoder('windows-1252') maps 0x80-0x9f wrongly
 * (TOOLCHAIN_NOTES.md §5), so windows-1252 goes through iconv-lite; a BOM decides first, then strict UTF-8.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export function decodeText(bytes: Buffer): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf16-le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf16-be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'win1252'), encoding: 'windows-1252' };
  }
}

/** Columns of a plain-text line: tabs, pipes or runs of 2+ spaces; undefined for an ordinary sentence. */
export function splitCells(line: string): string[] | undefined {
  const cells = line.split(/\t|\s*\|\s*|\s{2,}/).map((c) => c.trim()).filter((c) => c !== '');
  return cells.length >= 2 ? cells : undefined;
}

/** Lines of a text body, 1-based; blank and quoted lines ("> ...", the request sent back to us) are left out but counted. */
export function textLines(text: string, fileHash: string): Line[] {
  const out: Line[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    if (/^\s*>/.test(raw) || raw.trim() === '') return;
    const line: Line = { text: raw, location: { fileHash, line: i + 1 } };
    const cells = splitCells(raw);
    if (cells) line.cells = cells;
    out.push(line);
  });
  return out;
}
