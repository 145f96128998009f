import { Buffer } from 'buffer/';
import pako from 'pako';

/**
 * `node:zlib`'s inflateRawSync for the self-check page's bundle, the one zlib call of the code it
 * runs (sources/shared/zip-guard.ts). Like Node's, it stops with ERR_BUFFER_TOO_LARGE as soon as
 * the output passes `maxOutputLength`, so a zip entry whose directory lies about its size is caught
 * after at most that many bytes, in a browser as on the server.
 */
export function inflateRawSync(data: Uint8Array, opts: { maxOutputLength?: number } = {}): Buffer {
  const max = opts.maxOutputLength ?? Number.POSITIVE_INFINITY;
  const inflate = new pako.Inflate({ raw: true, chunkSize: 64 * 1024 });
  const chunks: Uint8Array[] = [];
  let size = 0;
  inflate.onData = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > max)
      throw Object.assign(new RangeError(`Cannot create a Buffer larger than ${max} bytes`), {
        code: 'ERR_BUFFER_TOO_LARGE',
      });
    chunks.push(chunk);
  };
  // Not pushed as the final chunk: pako then ends (ended) only where the deflate stream itself ends,
  // so a stream cut short is told apart from a whole one, as Node's "unexpected end of file" does.
  inflate.push(data, false);
  if (inflate.err) throw Object.assign(new Error(inflate.msg || 'invalid deflate data'), { code: 'Z_DATA_ERROR' });
  if (!inflate.ended) throw Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' });
  const out = Buffer.alloc(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
