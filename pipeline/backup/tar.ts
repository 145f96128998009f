/**
 * A plain ustar archive, written and read here so a backup needs no dependency and opens with any
 * `tar -tzf`. Only regular files with names under 100 bytes are written (the backup's own names
 * are short: db/NN-table.copy, store/aa/<sha256>); reading rejects anything else as damage.
 */
const BLOCK = 512;

export interface TarEntry {
  name: string;
  data: Buffer;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\u0000`;
}

export function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 99) throw new Error(`tar name too long: ${name}`);
  h.write(name, 0, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  // A fixed time keeps two backups of the same content byte-identical.
  h.write(octal(0, 12), 136, 'ascii');
  h.fill(0x20, 148, 156);
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return h;
}

export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The two zero blocks that end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/** Reads exactly n bytes at a time from a stream of chunks. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }
  async read(n: number): Promise<Buffer | null> {
    const parts: Buffer[] = [this.buf];
    let have = this.buf.length;
    while (have < n) {
      const next = await this.it.next();
      if (next.done) {
        this.buf = Buffer.alloc(0);
        return null;
      }
      parts.push(next.value);
      have += next.value.length;
    }
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    this.buf = all.subarray(n);
    return all.subarray(0, n);
  }
}

function parseHeader(h: Buffer): { name: string; size: number; type: string } {
  const field = (a: number, b: number): string => h.toString('utf8', a, b).replace(/\u0000.*$/s, '');
  const stored = parseInt(field(148, 156).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  if (stored !== sum) throw new Error('a tar header checksum is wrong');
  const prefix = field(345, 500);
  const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
  const size = parseInt(field(124, 136).trim() || '0', 8);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`a tar entry has a bad size (${name})`);
  return { name, size, type: field(156, 157) || '0' };
}

/** The archive's regular files in order; each entry is held in memory while it is handled. */
export async function* readTar(
  source: AsyncIterable<Buffer>,
  /** The largest size an entry of this name may have: checked on its header, before it is read. */
  maxSize: (name: string) => number = () => Number.MAX_SAFE_INTEGER,
): AsyncGenerator<TarEntry> {
  const r = new ByteReader(source);
  for (;;) {
    const h = await r.read(BLOCK);
    if (h === null) throw new Error('the archive ends without its end marker (it was cut short)');
    if (h.every((b) => b === 0)) return;
    const { name, size, type } = parseHeader(h);
    if (type !== '0') throw new Error(`unexpected tar entry type "${type}" for ${name}`);
    const cap = maxSize(name);
    if (size > cap)
      throw new Error(`the entry ${name.slice(0, 80)} claims ${size} bytes, over the ${cap} allowed for it`);
    const data = size === 0 ? Buffer.alloc(0) : await r.read(size);
    if (data === null) throw new Error(`the archive was cut short inside ${name}`);
    if (size % BLOCK && (await r.read(BLOCK - (size % BLOCK))) === null)
      throw new Error(`the archive was cut short after ${name}`);
    yield { name, data: Buffer.from(data) };
  }
}
