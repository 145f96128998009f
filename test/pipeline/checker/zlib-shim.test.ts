import { deflateRawSync, inflateRawSync as nodeInflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateRawSync } from '../../../pipeline/checker/shims/zlib.ts';

/** The self-check page's stand-in for node:zlib behaves as Node's inflateRawSync does where the zip guard relies on it. */
describe('the browser inflateRawSync shim', () => {
  const text = Buffer.from('<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(5_000));
  const packed = deflateRawSync(text);

  it('inflates to the same bytes as node:zlib', () => {
    const out = inflateRawSync(packed, { maxOutputLength: text.length });
    expect(Buffer.from(out).equals(nodeInflateRawSync(packed, { maxOutputLength: text.length }))).toBe(true);
    expect(out.readUInt32LE(0)).toBe(text.readUInt32LE(0));
  });

  it('stops with ERR_BUFFER_TOO_LARGE once the output passes maxOutputLength, as node:zlib does', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code;
      }
    };
    expect(code(() => nodeInflateRawSync(packed, { maxOutputLength: 1_000 }))).toBe('ERR_BUFFER_TOO_LARGE');
    expect(code(() => inflateRawSync(packed, { maxOutputLength: 1_000 }))).toBe('ERR_BUFFER_TOO_LARGE');
  });

  it('throws on data that is not deflate, as node:zlib does', () => {
    const junk = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01]);
    expect(() => nodeInflateRawSync(junk)).toThrow();
    expect(() => inflateRawSync(junk)).toThrow();
    // Cut short: Node says "unexpected end of file"; the shim refuses it too rather than return part.
    const cut = packed.subarray(0, Math.floor(packed.length / 2));
    expect(() => nodeInflateRawSync(cut)).toThrow();
    expect(() => inflateRawSync(cut)).toThrow();
  });
});
