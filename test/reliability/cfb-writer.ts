/**
 * A minimal OLE compound file (CFB v3, 512-byte sectors) whose directory lists the given stream
 * names with empty streams: enough to stand for a password-protected xlsx ("EncryptedPackage"),
 * an old .xls ("Workbook") or .doc ("WordDocument") without committing binary fixtures.
 */
const END = 0xfffffffe;
const FREE = 0xffffffff;
const FATSECT = 0xfffffffd;

function dirEntry(name: string, type: number, child: number, right: number): Buffer {
  const e = Buffer.alloc(128);
  const n = Buffer.from(`${name}\u0000`, 'utf16le');
  n.copy(e, 0);
  e.writeUInt16LE(n.length, 64);
  e.writeUInt8(type, 66);
  e.writeUInt8(1, 67); // black
  e.writeUInt32LE(FREE, 68); // left sibling
  e.writeUInt32LE(right, 72);
  e.writeUInt32LE(child, 76);
  e.writeUInt32LE(END, 116); // start sector: empty stream
  return e;
}

export function writeCfb(streams: string[]): Buffer {
  if (streams.length > 3) throw new Error('one directory sector holds four entries');
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 24);
  header.writeUInt16LE(3, 26);
  header.writeUInt16LE(0xfffe, 28);
  header.writeUInt16LE(9, 30);
  header.writeUInt16LE(6, 32);
  header.writeUInt32LE(1, 44); // one FAT sector
  header.writeUInt32LE(1, 48); // directory in sector 1
  header.writeUInt32LE(4096, 56);
  header.writeUInt32LE(END, 60);
  header.writeUInt32LE(END, 68);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 76 + 4 * i);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(FATSECT, 0);
  fat.writeUInt32LE(END, 4);
  const dir = Buffer.alloc(512);
  dirEntry('Root Entry', 5, streams.length ? 1 : FREE, FREE).copy(dir, 0);
  streams.forEach((s, i) => dirEntry(s, 2, FREE, i + 2 <= streams.length ? i + 2 : FREE).copy(dir, 128 * (i + 1)));
  return Buffer.concat([header, fat, dir]);
}
