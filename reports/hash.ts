import { createHash } from 'node:crypto';

/** Lowercase hex sha256 of bytes or UTF-8 text: the content hash used in manifests. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
