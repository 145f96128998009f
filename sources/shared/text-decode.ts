import iconv from 'iconv-lite';

/**
 * Bytes of a text file (csv, tsv) as a string, for the readers of survey exports and FOI registers.
 * Order: a UTF-16 byte-order mark; else UTF-16 without a mark when every other byte is zero (some
 * exporters write it so); else strict UTF-8 (a UTF-8 BOM is dropped); else Windows-1252,
 * which is what Excel's "CSV" writes on Windows. Windows-1252 goes through iconv-lite because
 * Node 20's TextDecoder('windows-1252') maps 0x80-0x9F wrongly (€, curly quotes; TOOLCHAIN_NOTES §5).
 * The caller decides whether a fallback to Windows-1252 deserves an issue.
 */
type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** The bytes began with a byte-order mark (UTF-8 or UTF-16); it is never part of `text`. */
  bom: boolean;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: cleanText(iconv.decode(buf, 'utf16le')), encoding: 'utf-16le', bom: true };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: cleanText(iconv.decode(buf, 'utf16be')), encoding: 'utf-16be', bom: true };
  const bare = utf16WithoutBom(buf);
  if (bare)
    return {
      text: cleanText(iconv.decode(buf, bare === 'utf-16le' ? 'utf16le' : 'utf16be')),
      encoding: bare,
      bom: false,
    };
  const utf8Bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  try {
    // fatal: any byte sequence that is not UTF-8 throws, which is the signal to try Windows-1252.
    return { text: cleanText(new TextDecoder('utf-8', { fatal: true }).decode(buf)), encoding: 'utf-8', bom: utf8Bom };
  } catch {
    return { text: cleanText(iconv.decode(buf, 'win1252')), encoding: 'windows-1252', bom: false };
  }
}

/** Drops a leading BOM; NUL (which PostgreSQL text cannot hold) becomes U+FFFD. */
function cleanText(s: string): string {
  return s.replace(/^\uFEFF/, '').replace(/\u0000/g, '\uFFFD');
}

/**
 * UTF-16 text without a byte-order mark: mostly Latin text puts a zero in every other byte, on the
 * odd side for little-endian. Binary data has zeros on both sides, so it is not mistaken for text.
 */
export function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZero += 1;
    if (b[i + 1] === 0) oddZero += 1;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.4 && evenZero <= pairs * 0.02) return 'utf-16le';
  if (evenZero >= pairs * 0.4 && oddZero <= pairs * 0.02) return 'utf-16be';
  return null;
}
