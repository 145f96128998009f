import type { PoolSection } from './pool-section.ts';
import type { RecordBench } from './record-bench.ts';
import type { ScaleResult } from './scale-bench.ts';
import { ratio, secs } from './measure.ts';

/** BENCHMARKS.md from the latest result of each section; every section says when and under what load it ran. */
export interface Stamp {
  at: string;
  load1: number;
}
export interface Results {
  machine?: { cores: number; memoryGb: number; cpu: string; node: string; postgres: string };
  records?: RecordBench & Stamp;
  pool?: PoolSection & Stamp;
  scales: Record<string, ScaleResult & Stamp>;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : '**not met**');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const coldMs = (s: ScaleResult) => sum(s.cold.map((c) => c.ms));

function targets(r: Results): string[] {
  const out = ['| target | measured | goal | result |', '| --- | --- | --- | --- |'];
  for (const s of Object.values(r.scales)) {
    const q = coldMs(s) / s.libs.ms;
    out.push(
      row([
        `${s.scale.name}: cold ingest / libraries alone on the same files`,
        `${secs(coldMs(s))} s / ${secs(s.libs.ms)} s = ${q.toFixed(2)}x`,
        '<= 1.5x',
        mark(q <= 1.5),
      ]),
    );
    const re = sum(s.rerun.map((c) => c.ms)) / coldMs(s);
    out.push(
      row([
        `${s.scale.name}: rerun with nothing changed / cold`,
        `${(re * 100).toFixed(1)}%`,
        '<= 10%',
        mark(re <= 0.1),
      ]),
    );
  }
  if (r.pool) {
    const h = r.pool.heavy.pool1.ms / r.pool.heavy.pool2.ms;
    out.push(
      row([
        'worker pool on CPU-heavy files: throughput of 2 workers / 1',
        `${h.toFixed(2)}x`,
        '>= 1.5x',
        mark(h >= 1.5),
      ]),
    );
  }
  if (r.records) {
    const c = r.records.psqlMs / r.records.copyMs;
    out.push(
      row([
        `${r.records.rows.toLocaleString('en-GB')}-row csv: load speed via COPY / psql \\copy`,
        `${c.toFixed(2)}x`,
        '>= 0.5x',
        mark(c >= 0.5),
      ]),
    );
    out.push(
      row([
        'same load: peak RSS of the process',
        `${r.records.copyRssMb.toFixed(0)} MB`,
        '< 300 MB',
        mark(r.records.copyRssMb < 300),
      ]),
    );
  }
  const [one, ten, hundred] = ['1x', '10x', '100x'].map((k) => r.scales[k]);
  if (one && hundred) {
    const q = hundred.reportMs / one.reportMs;
    out.push(
      row(['report build, 100x data / 1x', `${q.toFixed(1)}x`, '<= 120x', mark(Number.isFinite(q) ? q <= 120 : null)]),
    );
  }
  if (ten && hundred) {
    const peak = (s: ScaleResult) => Math.max(...s.cold.map((c) => c.maxRssMb));
    const q = peak(hundred) / peak(ten);
    out.push(
      row([
        'peak RSS of ingest, 100x / 10x (flat in files)',
        `${peak(hundred).toFixed(0)} / ${peak(ten).toFixed(0)} MB = ${q.toFixed(2)}x`,
        '<= 1.25x',
        mark(q <= 1.25),
      ]),
    );
  }
  return out;
}

function scaleTable(r: Results): string[] {
  const out = [
    '| scale | when (load avg 1 min, start/end) | files | MB | libraries alone | ingest cold: returns / FOI | time in the wave processor (summed over the files in flight) | rerun | report (waves) | ingest peak RSS | section wall time |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of Object.values(r.scales)) {
    out.push(
      row([
        `${s.scale.name} (${s.scale.waves} wave(s) x ${s.scale.returnsPerWave} returns, ${s.scale.foi} FOI)`,
        `${s.at} (${s.loadBefore.toFixed(1)} / ${s.loadAfter.toFixed(1)})`,
        s.files,
        mb(s.bytes),
        `${secs(s.libs.ms)} s`,
        `${secs(s.cold[0]!.ms)} s / ${secs(s.cold[1]!.ms)} s`,
        `${((sum(s.cold.map((c) => c.processMs)) / coldMs(s)) * 100).toFixed(0)}%`,
        `${secs(sum(s.rerun.map((c) => c.ms)))} s`,
        `${secs(s.reportMs)} s (${s.reportWaves})`,
        `${Math.max(...s.cold.map((c) => c.maxRssMb)).toFixed(0)} MB`,
        `${(s.wallMs / 60_000).toFixed(1)} min`,
      ]),
    );
  }
  out.push(
    '',
    '| scale | ingest | live JS heap after a full GC at 1/4, 1/2, 3/4, all of the files (MB) | peak RSS (MB) |',
    '| --- | --- | --- | --- |',
  );
  for (const s of Object.values(r.scales)) {
    s.cold.forEach((c, i) =>
      out.push(
        row([
          s.scale.name,
          i === 0 ? 'returns (last wave)' : 'FOI',
          (c.heapByQuarter ?? []).join(' / '),
          c.maxRssMb.toFixed(0),
        ]),
      ),
    );
  }
  out.push('', '| scale | format | files | libraries alone | per file |', '| --- | --- | --- | --- | --- |');
  for (const s of Object.values(r.scales)) {
    for (const [ext, t] of Object.entries(s.libs.byExt).sort())
      out.push(row([s.scale.name, ext, t.files, `${secs(t.ms)} s`, `${(t.ms / t.files).toFixed(1)} ms`]));
  }
  out.push(
    '',
    '| scale | FOI ingest, cold, as shipped | the same with another number of parse workers | shipped / other |',
    '| --- | --- | --- | --- |',
  );
  for (const s of Object.values(r.scales)) {
    const other = s.otherWorkers;
    const shipped = s.cold[1];
    if (!other || !shipped) continue;
    out.push(
      row([
        s.scale.name,
        `${secs(shipped.ms)} s (${other.shipped} worker(s))`,
        `${secs(other.result.ms)} s (${other.workers} worker(s))`,
        `${ratio(other.result.ms, shipped.ms)}x the speed`,
      ]),
    );
  }
  return out;
}

function poolTable(p: PoolSection & Stamp): string[] {
  const { heavy: h, small: s } = p;
  return [
    `Run ${p.at}, load average ${p.load1.toFixed(1)}. Pool start (workers preload the readers) is shown apart; throughput is files over the time the tasks took.`,
    '',
    '| files | on this thread | 1 worker | 2 workers | 2 workers / 1 | pool start (1 / 2) | results differing from this thread |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row([
      `${h.files} CPU-heavy (${mb(h.bytes)} MB)`,
      `${secs(h.thread.ms)} s`,
      `${secs(h.pool1.ms)} s`,
      `${secs(h.pool2.ms)} s`,
      `${ratio(h.pool1.ms, h.pool2.ms)}x`,
      `${secs(h.pool1.startMs)} / ${secs(h.pool2.startMs)} s`,
      h.mismatches,
    ]),
    row([
      `${s.files} small (the 1x corpus without its heavy files)`,
      `${secs(s.thread.ms)} s`,
      `${secs(s.pool1.ms)} s`,
      `${secs(s.pool2.ms)} s`,
      `${ratio(s.pool1.ms, s.pool2.ms)}x (this thread / 2 workers: ${ratio(s.thread.ms, s.pool2.ms)}x)`,
      `${secs(s.pool1.startMs)} / ${secs(s.pool2.startMs)} s`,
      s.mismatches,
    ]),
  ];
}

function recordTable(r: RecordBench & Stamp): string[] {
  const mem = 'error' in r.memory ? r.memory.error : `${secs(r.memory.ms)} s, peak RSS ${r.memory.rssMb.toFixed(0)} MB`;
  return [
    `Run ${r.at}, load average ${r.load1.toFixed(1)}; ${r.rows.toLocaleString('en-GB')} rows, ${mb(r.bytes)} MB. Best of the alternated runs.`,
    '',
    '| step | time | rows/s |',
    '| --- | --- | --- |',
    row([
      'psql \\copy into a table of the same shape',
      `${secs(r.psqlMs)} s`,
      Math.round(r.rows / (r.psqlMs / 1000)).toLocaleString('en-GB'),
    ]),
    row([
      `pipeline load: encoding check, papaparse stream, COPY FROM STDIN (peak RSS ${r.copyRssMb.toFixed(0)} MB)`,
      `${secs(r.copyMs)} s`,
      Math.round(r.rows / (r.copyMs / 1000)).toLocaleString('en-GB'),
    ]),
    row([
      'count in SQL (foi_referral_classified), incl. ANALYZE',
      `${secs(r.countMs)} s`,
      Math.round(r.rows / (r.countMs / 1000)).toLocaleString('en-GB'),
    ]),
    row(['for reference: readFoiCsv on the whole file in memory', mem, '']),
  ];
}

export function renderBenchmarks(r: Results, notes: string[]): string {
  const m = r.machine;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (test/bench/run.ts); `npm run bench -- --scale 1x` for a quick run. Corpora are generated from code',
    'with a fixed seed (test/bench/*-corpus.ts). Times are wall clock; each ratio compares two measurements of the same run.',
    '',
    m ? `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb.toFixed(1)} GB memory, Node ${m.node}, ${m.postgres}.` : '',
    '',
    '## Targets',
    '',
    ...targets(r),
    '',
    '## Scales',
    '',
    ...scaleTable(r),
    '',
    ...(r.pool ? ['## Worker pool', '', ...poolTable(r.pool), ''] : []),
    ...(r.records ? ['## Record-level csv', '', ...recordTable(r.records), ''] : []),
    '## Notes',
    '',
    ...notes,
    '',
  ].join('\n');
}
