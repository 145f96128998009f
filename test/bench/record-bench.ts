import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import pg from 'pg';
import type { RecordChildResult } from './record-child.ts';
import { runChild, spread, timeCommand } from './measure.ts';
import { writeRecordCsv } from './record-csv.ts';

/**
 * The million-row record csv: our load (papaparse streaming into COPY FROM STDIN) against psql's
 * \copy of the same file into a table of the same shape, alternated, `repeats` pairs, medians and the ratio pair by pair, so
 * a burst of load on the machine hits both. Then the count in SQL, and the in-memory reader.
 */
export interface RecordBench {
  rows: number;
  bytes: number;
  psqlMs: number;
  copyMs: number;
  countMs: number;
  copyRssMb: number;
  memory: { ms: number; rssMb: number } | { error: string };
  /** Every alternated pair (ms): psql \copy, then our COPY path; the times above are their medians. */
  runs: { psqlMs: number; copyMs: number }[];
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

export async function recordBench(input: {
  url: string;
  path: string;
  rows: number;
  repeats: number;
  inMemory: boolean;
  log: (m: string) => void;
}): Promise<RecordBench> {
  if (!existsSync(input.path)) {
    input.log(`writing ${input.rows} referral rows to ${input.path}`);
    await writeRecordCsv(input.path, input.rows);
  }
  const hash = await sha256File(input.path);
  const db = new pg.Client({ connectionString: input.url });
  await db.connect();
  // psql cannot fill load_id and row_no, which the file does not have: the clone defaults them.
  await db.query(`drop table if exists bench_psql_target;
    create table bench_psql_target (like foi_referral_row including all);
    alter table bench_psql_target alter column load_id set default 0, alter column row_no set default 0`);
  const reset = () => db.query('truncate foi_referral_row, foi_referral_load, bench_psql_target');
  const runs: RecordBench['runs'] = [];
  const ours: RecordChildResult[] = [];
  try {
    for (let i = 0; i < input.repeats; i++) {
      await reset();
      input.log(`psql \\copy, run ${i + 1}`);
      const psqlMs = await timeCommand('psql', [
        input.url,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy bench_psql_target (referral_date, age, team, outcome) from '${input.path}' with (format csv, header true)`,
      ]);
      await reset();
      input.log(`COPY through the pipeline, run ${i + 1}`);
      const r = await runChild<RecordChildResult>('./record-child.ts', ['copy', input.url, input.path, hash]);
      if (r.rows !== input.rows) throw new Error(`the load counted ${r.rows} rows, the file has ${input.rows}`);
      ours.push(r);
      runs.push({ psqlMs, copyMs: r.loadMs });
    }
  } finally {
    await db.query('drop table if exists bench_psql_target').catch(() => {});
    await db.end();
  }
  let memory: RecordBench['memory'] = { error: 'not run (--no-in-memory)' };
  if (input.inMemory) {
    input.log('readFoiCsv on the whole file, for reference');
    memory = await runChild<RecordChildResult>('./record-child.ts', ['memory', input.url, input.path, hash]).then(
      (r) => ({ ms: r.loadMs, rssMb: r.maxRssMb }),
      (e: Error) => ({ error: e.message.split('\n')[0]!.slice(0, 160) }),
    );
  }
  return {
    rows: input.rows,
    bytes: statSync(input.path).size,
    psqlMs: spread(runs.map((r) => r.psqlMs)).median,
    copyMs: spread(runs.map((r) => r.copyMs)).median,
    countMs: spread(ours.map((r) => r.countMs)).median,
    copyRssMb: Math.max(...ours.map((r) => r.maxRssMb)),
    memory,
    runs,
  };
}
