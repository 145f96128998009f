import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbedded } from '../../pipeline/db/embedded.ts';
import { migrate } from '../../pipeline/db/migrate.ts';
import { load1, machine, REPEATS_DEFAULT } from './measure.ts';
import { startupSection } from './startup-bench.ts';
import { poolSection } from './pool-section.ts';
import { recordBench } from './record-bench.ts';
import { renderBenchmarks, type Results } from './report.ts';
import { ensureCorpus, freshDatabase, runScale, SCALES } from './scale-bench.ts';

/**
 * npm run bench [-- --scale 1x,10x,100x|none] [--records N | --no-records] [--no-pool] [--no-startup] [--no-in-memory]
 *   [--wait-load 2.5] [--repeats 3] [--startup-runs 7]
 *   [--other-workers 1x,10x]   (scales that also ingest FOI with another number of parse workers than shipped)
 * Every section runs --repeats times (at least 3 by default); BENCHMARKS.md shows the median with the
 * spread (lowest-highest) and takes each ratio pair by pair, from measurements made side by side.
 * Runs the selected sections and rewrites BENCHMARKS.md from the latest result of every section
 * (kept in test/.tmp/bench/results.json), each with its time and load average.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORK = join(ROOT, 'test', '.tmp', 'bench');
const RESULTS = join(WORK, 'results.json');

const { values: opt } = parseArgs({
  options: {
    scale: { type: 'string', default: SCALES.map((s) => s.name).join(',') },
    records: { type: 'string', default: '1000000' },
    'no-records': { type: 'boolean', default: false },
    'no-pool': { type: 'boolean', default: false },
    'no-startup': { type: 'boolean', default: false },
    repeats: { type: 'string', default: String(REPEATS_DEFAULT) },
    'startup-runs': { type: 'string', default: '7' },
    'no-in-memory': { type: 'boolean', default: false },
    'wait-load': { type: 'string' },
    'other-workers': { type: 'string', default: '1x,10x' },
    out: { type: 'string', default: join(ROOT, 'BENCHMARKS.md') },
  },
});
const log = (m: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load1().toFixed(1)}] ${m}\n`);
};
const repeats = Math.max(1, Number(opt.repeats));
const stamp = () => ({ at: new Date().toISOString().slice(0, 16).replace('T', ' '), load1: load1() });

// --scale none: only the record csv and pool sections.
const scales =
  opt.scale === 'none'
    ? []
    : opt.scale.split(',').map((n) => {
        const s = SCALES.find((x) => x.name === n.trim());
        if (!s) throw new Error(`--scale ${n}: known scales are ${SCALES.map((x) => x.name).join(', ')}`);
        return s;
      });

/** Other work on a 2-core box skews every ratio: wait (up to 40 min) for the load to fall, say so if it does not. */
async function waitForLoad(limit: number): Promise<void> {
  const until = Date.now() + 40 * 60_000;
  while (load1() >= limit && Date.now() < until) {
    log(`load average ${load1().toFixed(2)} >= ${limit}; waiting`);
    await new Promise((r) => setTimeout(r, 60_000));
  }
  if (load1() >= limit)
    log(
      `load average still ${load1().toFixed(2)} after 40 min; running anyway (the load is written next to each result)`,
    );
}

async function database(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => {} };
  mkdirSync(WORK, { recursive: true });
  const dir = mkdtempSync(join(WORK, 'pg-'));
  const server = await startEmbedded(dir, { info: log, warn: log, error: log });
  return {
    adminUrl: server.url.replace(/\/census$/, '/postgres'),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const results: Results = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Results)
    : { scales: {} };
  const save = () => writeFileSync(RESULTS, JSON.stringify(results, null, 1));
  if (opt['wait-load']) await waitForLoad(Number(opt['wait-load']));
  const db = await database();
  try {
    const c = new pg.Client({ connectionString: db.adminUrl });
    await c.connect();
    const version = (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
    await c.end();
    const m = machine();
    results.machine = {
      cores: m.cores,
      memoryGb: m.memoryGb,
      cpu: m.cpu,
      node: m.node,
      postgres: `PostgreSQL ${version}${process.env.DATABASE_URL ? '' : ' (embedded)'}`,
    };
    if (!opt['no-startup']) {
      const s = stamp();
      results.startup = {
        ...(await startupSection({
          root: WORK,
          adminUrl: db.adminUrl,
          freshDatabase,
          runs: Math.max(3, Number(opt['startup-runs'])),
          log,
        })),
        ...s,
      };
      save();
    }
    if (!opt['no-records']) {
      const rows = Number(opt.records);
      const url = await scratchDatabase(db.adminUrl, 'bench_records');
      const s = stamp();
      results.records = {
        ...(await recordBench({
          url,
          path: join(WORK, `records-${rows}.csv`),
          rows,
          repeats,
          inMemory: !opt['no-in-memory'],
          log,
        })),
        ...s,
      };
      save();
    }
    for (const scale of scales) {
      const s = stamp();
      const otherWorkers = opt['other-workers'].split(',').includes(scale.name);
      results.scales[scale.name] = {
        ...(await runScale(scale, { root: WORK, adminUrl: db.adminUrl, otherWorkers, repeats, log })),
        ...s,
      };
      save();
    }
    if (!opt['no-pool']) {
      // Small files: the 1x corpus, made now if no 1x run kept one.
      const { jobs } = await ensureCorpus(WORK, SCALES[0]!, log);
      const small = jobs.map((j) => ({
        wave: j.wave,
        paths: readdirSync(j.dir)
          .filter((f) => !f.startsWith('.'))
          .sort()
          .map((f) => join(j.dir, f)),
      }));
      const s = stamp();
      results.pool = { ...(await poolSection({ root: WORK, small, repeats, log })), ...s };
      save();
    }
  } finally {
    await db.stop();
  }
  const notesFile = fileURLToPath(new URL('./notes.md', import.meta.url));
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trimEnd().split('\n') : [];
  writeFileSync(opt.out, renderBenchmarks(results, notes));
  log(`wrote ${opt.out}`);
}

async function scratchDatabase(adminUrl: string, name: string): Promise<string> {
  const url = await freshDatabase(adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return url;
}

await main();
