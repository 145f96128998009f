// Node's Buffer global for the self-check page's bundle (esbuild `inject`). The readers and the
// preflight take Buffers (readUInt32LE, toString('latin1'), indexOf), so the page gives them the
// `buffer` npm package's ('buffer/' names the package, not Node's own module): the same API.
export { Buffer } from 'buffer/';
