import iconv from 'iconv-lite';
import { utf16WithoutBom } from '../shared/text-decode.ts';
import type { Line } from './prose.ts';

/**
 * Text files as trusts send them. Node 20's TextDecoder('windows-1252') maps 0x80-0x9f wrongly
 * (TOOLCHAIN_NOTES.md §5), so windows-1252 goes through iconv-lite; a BOM decides first, then UTF-16
 * without one, then strict UTF-8. NUL, which PostgreSQL text cannot hold, becomes U+FFFD.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export function decodeText(bytes: Buffer): { text: string; encoding: TextEncoding } {
  const out = (text: string, encoding: TextEncoding) => ({
    text: text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text,
    encoding,
  });
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return out(bytes.subarray(3).toString('utf8'), 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return out(iconv.decode(bytes.subarray(2), 'utf16-le'), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return out(iconv.decode(bytes.subarray(2), 'utf16-be'), 'utf-16be');
  // UTF-16 without a mark is valid UTF-8 (a NUL after every letter), so it must be recognised first.
  const bare = utf16WithoutBom(bytes);
  if (bare) return out(iconv.decode(bytes, bare === 'utf-16le' ? 'utf16-le' : 'utf16-be'), bare);
  try {
    return out(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'utf-8');
  } catch {
    return out(iconv.decode(bytes, 'win1252'), 'windows-1252');
  }
}

/** Columns of a plain-text line: tabs, pipes or runs of 2+ spaces; undefined for an ordinary sentence. */
function splitCells(line: string): string[] | undefined {
  const cells = line
    .split(/\t|\s*\|\s*|\s{2,}/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
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
