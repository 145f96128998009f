import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import pg from 'pg';
import { copyRecordCsv, countRecordLoad } from '../../pipeline/ingest/foi/record-copy.ts';
import { loadFoiWave } from '../../schemas/foi/index.ts';
import { readFoiCsv } from '../../sources/foi/csv.ts';

/**
 * The record csv loaded in a process of its own, so its peak memory is its own. Mode "copy": the
 * streaming path (COPY, then the count in SQL), timed apart. Mode "memory": readFoiCsv on the whole
 * file, the reader the streaming path stands in for above RECORD_COPY_MIN_BYTES. One JSON line out.
 */
export interface RecordChildResult {
  loadMs: number;
  countMs: number;
  rows: number;
  included: number;
  maxRssMb: number;
}

const [mode, url, path, hash] = process.argv.slice(2) as ['copy' | 'memory', string, string, string];
const wave = loadFoiWave(2024);
const ctx = { fileHash: hash, originalName: basename(path), wave, sentDate: wave.sentDate };
let result: RecordChildResult;
if (mode === 'memory') {
  const t0 = performance.now();
  const read = await readFoiCsv(readFileSync(path), ctx);
  result = {
    loadMs: performance.now() - t0,
    countMs: 0,
    rows: read.records?.rowsRead ?? 0,
    included: read.records?.included ?? 0,
    maxRssMb: 0,
  };
} else {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await pool.query(
      `insert into raw_file (sha256, size_bytes, media_type, first_name, first_received_at) values ($1, $2, 'text/csv', $3, now())
      on conflict do nothing`,
      [hash, statSync(path).size, basename(path)],
    );
    const t0 = performance.now();
    const load = await copyRecordCsv(path, { sha256: hash, wave: 2024 }, { pool, now: new Date() });
    const loadMs = performance.now() - t0;
    if (!load) throw new Error(`${path} was not read as a record-level csv`);
    const t1 = performance.now();
    const agg = await countRecordLoad(load, ctx, pool);
    result = { loadMs, countMs: performance.now() - t1, rows: agg.rowsRead, included: agg.included, maxRssMb: 0 };
  } finally {
    await pool.end();
  }
}
result.maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
