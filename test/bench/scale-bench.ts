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

/** One repetition of a scale: the libraries alone, then ingest on a fresh database, side by side. */
export interface ScaleRun {
  libsMs: number;
  /** Cold ingest, returns and FOI, and their rerun with nothing changed. */
  coldMs: number[];
  rerunMs: number[];
  reportMs: number;
  /** FOI cold with the shipped number of parse workers, and with the other number (when measured). */
  otherWorkers: { shippedMs: number; otherMs: number } | null;
}

export interface ScaleResult {
  scale: Scale;
  files: number;
  bytes: number;
  generateMs: number;
  loadBefore: number;
  loadAfter: number;
  wallMs: number;
  /** Every repetition; the fields below are those of the repetition whose cold / libraries ratio is the median. */
  runs: ScaleRun[];
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
  opts: { root: string; adminUrl: string; otherWorkers: boolean; repeats: number; log: (m: string) => void },
): Promise<ScaleResult> {
  const { log, root } = opts;
  const t0 = performance.now();
  const loadBefore = load1();
  const { jobs, ms: generateMs } = await ensureCorpus(root, scale, log);
  const paths = jobs.flatMap((j) => corpusFiles(j.dir));
  const bytes = paths.reduce((s, p) => s + statSync(p).size, 0);
  const qJobs = jobs.filter((j) => j.wave !== 2024);
  const fJobs = jobs.filter((j) => j.wave === 2024);
  const child = (input: IngestChildInput) => runChild<IngestChildResult>('./ingest-child.ts', [JSON.stringify(input)]);
  type Full = {
    run: ScaleRun;
    libs: LibraryTiming;
    cold: IngestChildResult[];
    rerun: IngestChildResult[];
    other: ScaleResult['otherWorkers'];
  };
  const full: Full[] = [];
  for (let rep = 1; rep <= opts.repeats; rep++) {
    const tag = `${scale.name} run ${rep}/${opts.repeats}`;
    log(`${tag}: ${paths.length} files; waiting for the machine to settle`);
    log(`${tag}: settled after ${((await settle()) / 1000).toFixed(0)} s; libraries alone`);
    const libs = await libraryParse(paths);
    const ws = join(root, `ws-${scale.name}`);
    rmSync(ws, { recursive: true, force: true });
    mkdirSync(join(ws, 'waves'), { recursive: true });
    for (const j of qJobs) benchWaveList(j.wave, join(ws, 'waves'));
    const url = await freshDatabase(opts.adminUrl, `bench_${scale.name}`);
    const cold: IngestChildResult[] = [];
    const rerun: IngestChildResult[] = [];
    for (const [what, js] of [
      ['returns', qJobs],
      ['FOI', fJobs],
    ] as const) {
      await settle();
      log(`${tag}: ingest ${what}, cold`);
      cold.push(await child({ url, workspace: ws, jobs: js }));
      log(`${tag}: ingest ${what}, rerun with nothing changed`);
      rerun.push(await child({ url, workspace: ws, jobs: js }));
    }
    log(`${tag}: report of ${qJobs.length} wave(s)`);
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
    let other: ScaleResult['otherWorkers'] = null;
    if (opts.otherWorkers) {
      const shipped = parseWorkers();
      const workers = shipped === 1 ? 2 : 1;
      log(`${tag}: FOI ingest with ${workers} parse worker(s)`);
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
      other = { shipped, workers, result };
    }
    const run: ScaleRun = {
      libsMs: libs.ms,
      coldMs: cold.map((c) => c.ms),
      rerunMs: rerun.map((c) => c.ms),
      reportMs,
      otherWorkers: other ? { shippedMs: cold[1]!.ms, otherMs: other.result.ms } : null,
    };
    log(`${tag}: cold / libraries ${(sumMs(run.coldMs) / run.libsMs).toFixed(2)}x`);
    full.push({ run, libs, cold, rerun, other });
  }
  // The representative repetition: the median of the cold / libraries ratios.
  const byRatio = [...full].sort((a, b) => sumMs(a.run.coldMs) / a.run.libsMs - sumMs(b.run.coldMs) / b.run.libsMs);
  const mid = byRatio[Math.floor((byRatio.length - 1) / 2)]!;
  return {
    scale,
    files: paths.length,
    bytes,
    generateMs,
    loadBefore,
    loadAfter: load1(),
    wallMs: performance.now() - t0,
    runs: full.map((f) => f.run),
    libs: mid.libs,
    cold: mid.cold,
    rerun: mid.rerun,
    otherWorkers: mid.other,
    reportMs: mid.run.reportMs,
    reportWaves: qJobs.length,
  };
}

const sumMs = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
