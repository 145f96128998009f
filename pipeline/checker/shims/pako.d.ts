// The part of pako 1.x (already installed with exceljs's JSZip) that shims/zlib.ts uses.
declare module 'pako' {
  class Inflate {
    constructor(opts?: { raw?: boolean; chunkSize?: number });
    onData: (chunk: Uint8Array) => void;
    push(data: Uint8Array, final: boolean): boolean;
    err: number;
    ended: boolean;
    msg: string;
  }
  const pako: { Inflate: typeof Inflate };
  export default pako;
}
