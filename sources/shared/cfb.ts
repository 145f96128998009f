/**
 * What an OLE compound file (CFB, the "D0 CF 11 E0" container) holds, from its directory. Old binary
 * .xls and .doc files and password-protected .xlsx files share this container: Office encrypts an
 * xlsx by wrapping it in a CFB with an "EncryptedPackage" stream. Only stream names are read, so a
 * team can be told "send it without the password" rather than "send it as .xlsx".
 */
export type OleKind = 'encrypted_ooxml' | 'xls' | 'doc' | 'ppt' | 'other';

const SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const END = 0xfffffffe;
const FREE = 0xffffffff;

function isCfb(b: Buffer): boolean {
  return b.length >= 8 && b.subarray(0, 8).equals(SIGNATURE);
}

/** Names of every storage and stream in the directory; null when the container is damaged. */
function cfbEntryNames(b: Buffer): string[] | null {
  if (!isCfb(b) || b.length < 512) return null;
  const shift = b.readUInt16LE(30);
  if (shift !== 9 && shift !== 12) return null;
  const size = 1 << shift;
  const sector = (n: number): Buffer | null => {
    const start = (n + 1) * size;
    return start + size <= b.length ? b.subarray(start, start + size) : null;
  };

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  const fatCount = b.readUInt32LE(44);
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(b.readUInt32LE(76 + 4 * i));
  const seen = new Set<number>();
  for (let d = b.readUInt32LE(68); d !== END && d !== FREE && fatSectors.length < fatCount;) {
    const s = sector(d);
    if (!s || seen.has(d)) return null;
    seen.add(d);
    for (let i = 0; i + 4 < s.length && fatSectors.length < fatCount; i += 4) fatSectors.push(s.readUInt32LE(i));
    d = s.readUInt32LE(s.length - 4);
  }
  const fat: number[] = [];
  for (const f of fatSectors) {
    const s = sector(f);
    if (!s) return null;
    for (let i = 0; i + 4 <= s.length; i += 4) fat.push(s.readUInt32LE(i));
  }

  // The directory is a chain of sectors of 128-byte entries; a loop or a dangling link means damage.
  const names: string[] = [];
  const visited = new Set<number>();
  for (let d = b.readUInt32LE(48); d !== END;) {
    const s = sector(d);
    if (!s || visited.has(d)) return null;
    visited.add(d);
    for (let off = 0; off + 128 <= s.length; off += 128) {
      const len = s.readUInt16LE(off + 64);
      const type = s.readUInt8(off + 66);
      if (type === 0 || len < 2 || len > 64) continue;
      names.push(s.toString('utf16le', off, off + len - 2));
    }
    const next = fat[d];
    if (next === undefined) return null;
    d = next;
  }
  return names;
}

export function oleKind(b: Buffer): OleKind | null {
  const names = cfbEntryNames(b);
  if (names === null) return null;
  const has = (n: string): boolean => names.some((x) => x.toLowerCase() === n.toLowerCase());
  if (has('EncryptedPackage')) return 'encrypted_ooxml';
  if (has('Workbook') || has('Book')) return 'xls';
  if (has('WordDocument')) return 'doc';
  if (has('PowerPoint Document')) return 'ppt';
  return 'other';
}
