import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CENSUS_BIN } from '../support/cli.ts';
import type { IngestChildInput, IngestChildResult, IngestJob } from './ingest-child.ts';
import { writeFoiReplies } from './foi-corpus.ts';
import { libraryParse, type LibraryTiming } from './libs.ts';
import { parseWorkers } from '../../pipeline/runtime/isolate.ts';
import { load1, runChild, settle, timeCommand, timed } from './measure.ts';
import { BENCH_WAVES, benchWaveList, writeReturns } from './returns-corpus.ts';

/**
 * One scale of the bench: the corpus (generated once and kept), the libraries alone on its files,
 * a cold ingest and a rerun of it (each domain in a process of its own), FOI ingest again with the
 * worker pool behind the readers, and the report of every questionnaire wave.
 */
export interface Scale {
  name: string;
  waves: number;
  returnsPerWave: number;
  foi: number;
}
export const SCALES: Scale[] = [
  { name: '1x', waves: 1, returnsPerWave: 50, foi: 50 },
  { name: '10x', waves: 10, returnsPerWave: 50, foi: 500 },
  // The "10 waves x 2,000 returns" as 2,000 returns in all: see BENCHMARKS.md for why.
  { name: '100x', waves: 10, returnsPerWave: 200, foi: 2000 },
];
const fresh = (dir: string): string => {
  rmSync(dir, { recursive: true, force: true });
  return dir;
};
// Bumped when a generator changes, so kept corpora are made again.
const CORPUS_VERSION = 'bench-corpus/2';

export interface ScaleResult {
  scale: Scale;
  files: number;
  bytes: number;
  generateMs: number;
  loadBefore: number;
  loadAfter: number;
  wallMs: number;
  libs: LibraryTiming;
  cold: IngestChildResult[];
  rerun: IngestChildResult[];
  /** FOI ingest, cold, with another number of parse workers than shipped (2 if 1 is shipped, else 1). */
  otherWorkers: { shipped: number; workers: number; result: IngestChildResult } | null;
  reportMs: number;
  reportWaves: number;
}

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The scale's corpus, generated unless a complete one is kept from an earlier run. */
export async function ensureCorpus(
  root: string,
  scale: Scale,
  log: (m: string) => void,
): Promise<{ jobs: IngestJob[]; ms: number }> {
  const dir = join(root, `corpus-${scale.name}`);
  const waves = BENCH_WAVES.slice(0, scale.waves);
  const jobs: IngestJob[] = [
    ...waves.map((w) => ({ wave: w, dir: join(dir, `returns-${w}`) })),
    { wave: 2024, dir: join(dir, 'foi-2024') },
  ];
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === CORPUS_VERSION) return { jobs, ms: 0 };
  rmSync(dir, { recursive: true, force: true });
  const { ms } = await timed(async () => {
    for (const w of waves) {
      log(`generating ${scale.returnsPerWave} returns of wave ${w}`);
      await writeReturns(join(dir, `returns-${w}`), benchWaveList(w, join(dir, 'waves')), scale.returnsPerWave);
    }
    log(`generating ${scale.foi} FOI replies`);
    await writeFoiReplies(join(dir, 'foi-2024'), scale.foi);
  });
  writeFileSync(marker, CORPUS_VERSION);
  return { jobs, ms };
}

/** A new empty database on the bench's server (the ingest children migrate it). */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function runScale(
  scale: Scale,
  opts: { root: string; adminUrl: string; otherWorkers: boolean; log: (m: string) => void },
): Promise<ScaleResult> {
  const { log, root } = opts;
  const t0 = performance.now();
  const loadBefore = load1();
  const { jobs, ms: generateMs } = await ensureCorpus(root, scale, log);
  const paths = jobs.flatMap((j) => corpusFiles(j.dir));
  const bytes = paths.reduce((s, p) => s + statSync(p).size, 0);
  log(`${scale.name}: ${paths.length} files; waiting for the machine to settle`);
  log(`${scale.name}: settled after ${((await settle()) / 1000).toFixed(0)} s; libraries alone`);
  const libs = await libraryParse(paths);
  const ws = join(root, `ws-${scale.name}`);
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(join(ws, 'waves'), { recursive: true });
  for (const j of jobs) if (j.wave !== 2024) benchWaveList(j.wave, join(ws, 'waves'));
  const url = await freshDatabase(opts.adminUrl, `bench_${scale.name}`);
  const child = (input: IngestChildInput) => runChild<IngestChildResult>('./ingest-child.ts', [JSON.stringify(input)]);
  const qJobs = jobs.filter((j) => j.wave !== 2024);
  const fJobs = jobs.filter((j) => j.wave === 2024);
  const cold: IngestChildResult[] = [];
  const rerun: IngestChildResult[] = [];
  for (const [what, js] of [
    ['returns', qJobs],
    ['FOI', fJobs],
  ] as const) {
    await settle();
    log(`${scale.name}: ingest ${what}, cold`);
    cold.push(await child({ url, workspace: ws, jobs: js }));
    log(`${scale.name}: ingest ${what}, rerun with nothing changed`);
    rerun.push(await child({ url, workspace: ws, jobs: js }));
  }
  log(`${scale.name}: report of ${qJobs.length} wave(s)`);
  let reportMs = 0;
  for (const j of qJobs) {
    // The CLI as a person runs it: API of pipeline/report/ is being rebuilt, its command stays.
    reportMs += await timeCommand(
      CENSUS_BIN,
      ['report', '--wave', String(j.wave), '--out', join(ws, 'reports', String(j.wave)), '--workspace', ws],
      { DATABASE_URL: url },
    ).catch((e: Error) => {
      log(`report ${j.wave} failed: ${e.message.slice(0, 300)}`);
      return NaN;
    });
  }
  // FOI again, cold, on a fresh database with another number of parse workers: does the shipped
  // number pay in a whole ingest? (The pool section measures extraction alone.)
  let otherWorkers: ScaleResult['otherWorkers'] = null;
  if (opts.otherWorkers) {
    const shipped = parseWorkers();
    const workers = shipped === 1 ? 2 : 1;
    log(`${scale.name}: FOI ingest with ${workers} parse worker(s)`);
    const name = `${scale.name}_${workers}_workers`;
    const result = await runChild<IngestChildResult>(
      './ingest-child.ts',
      [
        JSON.stringify({
          url: await freshDatabase(opts.adminUrl, `bench_${name}`),
          workspace: fresh(`${ws}-${workers}-workers`),
          jobs: fJobs,
        }),
      ],
      { CENSUS_PARSE_WORKERS: String(workers) },
    );
    otherWorkers = { shipped, workers, result };
  }
  return {
    scale,
    files: paths.length,
    bytes,
    generateMs,
    loadBefore,
    loadAfter: load1(),
    wallMs: performance.now() - t0,
    libs,
    cold,
    rerun,
    otherWorkers,
    reportMs,
    reportWaves: qJobs.length,
  };
}
