import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { TextEncoding } from './decode.ts';
import { detectRecordHeader, type RecordColumns } from './records.ts';

/**
 * A record-level csv reply (one row per referral) read as a stream, for files too large to hold in
 * memory. It reads exactly what csv.ts + table.ts read from the same bytes: the encoding chosen as
 * decodeText does, papaparse with the same delimiters, cells trimmed, blank rows skipped, the header
 * found among the first 15 non-blank rows, rows numbered from 1 as papaparse counts them.
 */

const HEADER_SEARCH_ROWS = 15;
// papaparse guesses newline and delimiter from its first chunk (10 rows, 1 MB): chunks this large
// make the guess the same as on the whole text.
const CHUNK_BYTES = 1 << 20;

export interface RecordCsvHeader {
  row: number;
  cells: string[];
  columns: RecordColumns;
  encoding: TextEncoding;
  delimiter: string;
}
/**
 * Data rows of one chunk (non-blank rows after the header) as papaparse split them, with their 1-based
 * row numbers; read a record column with recordCell. Rows are not copied: at a million rows every
 * copy showed in the load time.
 */
export interface RecordBatch {
  rowNos: number[];
  rows: string[][];
}
export interface RecordSink {
  header(h: RecordCsvHeader): Promise<void>;
  /** A returned promise pauses the parse until it settles (backpressure from the consumer). */
  rows(batch: RecordBatch): Promise<void> | void;
}
export interface RecordStreamResult {
  header: RecordCsvHeader | null;
  rowsRead: number;
  /** Splitting problems other than ragged rows, which the readers ignore too; the first 100. */
  errors: { message: string; row?: number }[];
}

/** decodeText's choice without holding the file: BOM first, then strict UTF-8 over every byte, else windows-1252. */
async function sniffEncoding(path: string): Promise<{ encoding: TextEncoding; skip: number; ascii?: boolean }> {
  const head = await firstBytes(path, 3);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  const check = await checkUtf8(path);
  return { encoding: check === 'invalid' ? 'windows-1252' : 'utf-8', skip: 0, ascii: check === 'ascii' };
}

/** Bytes of `buf` that end on a whole UTF-8 sequence; the rest waits for the next chunk. */
function wholeSequences(buf: Buffer): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + len > buf.length ? i : buf.length;
  }
  return buf.length;
}

/**
 * Strict UTF-8 over every byte, chunk by chunk: isUtf8 allocates nothing, a fatal TextDecoder (3x
 * slower) a string. 'ascii' when no byte is above 0x7f: then the file is decoded as latin1, the
 * same characters read faster.
 */
async function checkUtf8(path: string): Promise<'ascii' | 'utf-8' | 'invalid'> {
  let carry: Buffer = Buffer.alloc(0);
  let ascii = true;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    if (ascii && isAscii(buf)) continue;
    ascii = false;
    const cut = wholeSequences(buf);
    if (!isUtf8(buf.subarray(0, cut))) return 'invalid';
    carry = buf.subarray(cut);
  }
  return carry.length > 0 ? 'invalid' : ascii ? 'ascii' : 'utf-8';
}

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 0, end: n - 1 })) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function decodedStream(path: string, encoding: TextEncoding, skip: number, ascii: boolean): Readable {
  if (encoding === 'utf-8')
    return createReadStream(path, { start: skip, highWaterMark: CHUNK_BYTES, encoding: ascii ? 'latin1' : 'utf8' });
  const iconvName = encoding === 'utf-16le' ? 'utf16-le' : encoding === 'utf-16be' ? 'utf16-be' : 'win1252';
  // iconv-lite types its stream as NodeJS.ReadWriteStream; it is a stream.Transform.
  return createReadStream(path, { start: skip, highWaterMark: CHUNK_BYTES }).pipe(
    iconv.decodeStream(iconvName),
  ) as unknown as Readable;
}

/** String.prototype.trim, skipped when both ends are printable ASCII: the common case, a million times. */
function trim<T extends string | undefined>(s: T): T {
  if (s === undefined || s === '') return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(s.length - 1);
  return (a > 32 && a < 127 && b > 32 && b < 127 ? s : s.trim()) as T;
}

/** A record column of a data row, trimmed as the readers trim cells; undefined where the file has no such column or the row is short. */
export function recordCell(row: readonly string[], col: number | undefined): string | undefined {
  return col === undefined ? undefined : trim(row[col]);
}

function isBlank(raw: readonly string[]): boolean {
  for (const c of raw) if (trim(c) !== '') return false;
  return true;
}

const IGNORED_ERRORS = new Set(['TooFewFields', 'TooManyFields', 'UndetectableDelimiter']);
const MAX_ERRORS = 100;

/** Streams the file into `sink`; stops early (header null) when no per-referral header comes first. */
export async function streamRecordCsv(path: string, sink: RecordSink): Promise<RecordStreamResult> {
  const { encoding, skip, ascii } = await sniffEncoding(path);
  const result: RecordStreamResult = { header: null, rowsRead: 0, errors: [] };
  let rowNo = 0;
  let nonBlank = 0;
  let stop = false;
  const seen = new Set<string>();

  /** One chunk of papaparse rows; returns false when the file turned out not to be record-level. */
  const take = async (res: Papa.ParseResult<string[]>): Promise<boolean> => {
    for (const e of res.errors) {
      const row = e.row === undefined ? undefined : rowNo + e.row + 1;
      // A row cut by a chunk boundary is parsed again with the next chunk, and its error comes twice.
      const key = `${e.code} ${row}`;
      if (IGNORED_ERRORS.has(e.code) || seen.has(key) || result.errors.length >= MAX_ERRORS) continue;
      seen.add(key);
      result.errors.push({ message: e.message, ...(row === undefined ? {} : { row }) });
    }
    const batch: RecordBatch = { rowNos: [], rows: [] };
    for (const raw of res.data) {
      rowNo += 1;
      if (isBlank(raw)) continue;
      if (result.header) {
        batch.rowNos.push(rowNo);
        batch.rows.push(raw);
        continue;
      }
      const cells = raw.map((c) => c.trim());
      const columns = detectRecordHeader(cells);
      if (columns) {
        result.header = { row: rowNo, cells, columns, encoding, delimiter: res.meta.delimiter };
        await sink.header(result.header);
      } else if (++nonBlank >= HEADER_SEARCH_ROWS) {
        return false;
      }
    }
    result.rowsRead += batch.rowNos.length;
    if (batch.rowNos.length > 0) await sink.rows(batch);
    return true;
  };

  const input = decodedStream(path, encoding, skip, ascii === true);
  return new Promise((resolve, reject) => {
    const fail = (err: unknown, parser?: Papa.Parser): void => {
      stop = true;
      input.destroy();
      parser?.abort();
      reject(err);
    };
    Papa.parse(input as unknown as File, {
      delimitersToGuess: [',', ';', '\t', '|'],
      skipEmptyLines: false,
      // papaparse's own pause leaves the file flowing into an unbounded queue: the file stream is
      // paused with it, so memory stays at a chunk or two whatever the consumer's speed.
      chunk: (res: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        if (stop) return;
        parser.pause();
        input.pause();
        take(res).then(
          (more) => {
            if (stop) return;
            if (!more) {
              stop = true;
              input.destroy();
              parser.abort();
              resolve(result);
              return;
            }
            input.resume();
            parser.resume();
          },
          (e: unknown) => fail(e, parser),
        );
      },
      complete: () => {
        if (!stop) resolve(result);
      },
      error: (e: Error) => fail(e),
    });
  });
}
