import type { PoolSection } from './pool-section.ts';
import type { RecordBench } from './record-bench.ts';
import type { ScaleResult, ScaleRun } from './scale-bench.ts';
import type { StartupSection, Timing } from './startup-bench.ts';
import { pairRatios, ratio, ratioSpread, secs, secsSpread, spread } from './measure.ts';

/** BENCHMARKS.md from the latest result of each section; every section says when and under what load it ran. */
export interface Stamp {
  at: string;
  load1: number;
}
export interface Results {
  machine?: { cores: number; memoryGb: number; cpu: string; node: string; postgres: string };
  records?: RecordBench & Stamp;
  pool?: PoolSection & Stamp;
  startup?: StartupSection & Stamp;
  scales: Record<string, ScaleResult & Stamp>;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : '**not met**');
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const coldMs = (s: ScaleResult) => sum(s.cold.map((c) => c.ms));
/** The repetitions of a scale (a result kept from before the bench repeated sections counts as one). */
const runsOf = (s: ScaleResult): ScaleRun[] =>
  s.runs ?? [
    {
      libsMs: s.libs.ms,
      coldMs: s.cold.map((c) => c.ms),
      rerunMs: s.rerun.map((c) => c.ms),
      reportMs: s.reportMs,
      otherWorkers: s.otherWorkers ? { shippedMs: s.cold[1]!.ms, otherMs: s.otherWorkers.result.ms } : null,
    },
  ];
const poolRuns = (p: PoolSection): PoolSection['runs'] =>
  p.runs ?? [
    {
      heavyThread: p.heavy.thread.ms,
      heavy1: p.heavy.pool1.ms,
      heavy2: p.heavy.pool2.ms,
      smallThread: p.small.thread.ms,
      small1: p.small.pool1.ms,
      small2: p.small.pool2.ms,
    },
  ];
const wall = (t: Timing[]) => t.map((x) => x.wallMs);
const cpu = (t: Timing[]) => (t.every((x) => x.cpuMs !== null) ? t.map((x) => x.cpuMs!) : null);
/** A start-up target: the wall-time ratio pair by pair (judged on its median), with the CPU ratio beside it. */
function startupRow(what: string, a: Timing[], b: Timing[], goal: number): string {
  const w = pairRatios(wall(a), wall(b));
  const ca = cpu(a);
  const cb = cpu(b);
  const c = ca && cb ? `; CPU ${ratioSpread(pairRatios(ca, cb), 1)}` : '';
  return row([
    what,
    `${secs(spread(wall(a)).median)} s / ${secs(spread(wall(b)).median)} s; wall ${ratioSpread(w, 1)}${c}`,
    `<= ${goal}x`,
    mark(spread(w).median <= goal),
  ]);
}

function targets(r: Results): string[] {
  const out = ['| target | measured: median (lowest-highest, runs) | goal | result |', '| --- | --- | --- | --- |'];
  const st = r.startup;
  if (st) {
    out.push(startupRow('`census --help` / `node -e 0`', st.help, st.node, 3));
    out.push(startupRow('`census --version` / `node -e 0`', st.version, st.node, 3));
    out.push(
      startupRow(`\`${st.readCommand}\`, server up / \`psql -c 'select 1'\` on that server`, st.readWarm, st.psql, 5),
    );
    if (st.cold) {
      const w = pairRatios(wall(st.cold.readCold), wall(st.cold.readWarm));
      const starts = st.cold.serverStartMs;
      // Judged pair by pair: each cold read against 1.5x the warm read beside it plus the server
      // start timed right before it (<= 1 is met).
      const budget =
        starts && starts.length === st.cold.readCold.length
          ? pairRatios(
              wall(st.cold.readCold),
              st.cold.readWarm.map((x, i) => 1.5 * x.wallMs + starts[i]!),
            )
          : null;
      out.push(
        row([
          `\`${st.readCommand}\`, server cold / warm (${st.cold.stopped})`,
          `${secs(spread(wall(st.cold.readCold)).median)} s / ${secs(spread(wall(st.cold.readWarm)).median)} s; wall ${ratioSpread(w, 1)}` +
            (budget && starts
              ? `; the server's own start ${secsSpread(starts)}; cold / (1.5x warm + start) ${ratioSpread(budget)}`
              : ''),
          '<= 1.5x warm + the server start',
          budget ? mark(spread(budget).median <= 1) : 'n/a: the server start is not timed apart',
        ]),
      );
    }
  }
  for (const s of Object.values(r.scales)) {
    const runs = runsOf(s);
    const q = pairRatios(
      runs.map((x) => sum(x.coldMs)),
      runs.map((x) => x.libsMs),
    );
    out.push(
      row([
        `${s.scale.name}: cold ingest / libraries alone on the same files`,
        `${secsSpread(runs.map((x) => sum(x.coldMs)))} / ${secsSpread(runs.map((x) => x.libsMs))} = ${ratioSpread(q)}`,
        '<= 1.5x',
        mark(spread(q).median <= 1.5),
      ]),
    );
    const re = pairRatios(
      runs.map((x) => sum(x.rerunMs)),
      runs.map((x) => sum(x.coldMs)),
    ).map((x) => x * 100);
    const reS = spread(re);
    out.push(
      row([
        `${s.scale.name}: rerun with nothing changed / cold`,
        `${reS.median.toFixed(1)}% (${reS.min.toFixed(1)}-${reS.max.toFixed(1)}%, n=${reS.n})`,
        '<= 10%',
        mark(reS.median <= 10),
      ]),
    );
  }
  if (r.pool) {
    const runs = poolRuns(r.pool);
    const h = pairRatios(
      runs.map((x) => x.heavy1),
      runs.map((x) => x.heavy2),
    );
    out.push(
      row([
        'worker pool on CPU-heavy files: throughput of 2 workers / 1',
        ratioSpread(h),
        '>= 1.5x',
        mark(spread(h).median >= 1.5),
      ]),
    );
  }
  if (r.records) {
    const runs = r.records.runs ?? [{ psqlMs: r.records.psqlMs, copyMs: r.records.copyMs }];
    const c = pairRatios(
      runs.map((x) => x.psqlMs),
      runs.map((x) => x.copyMs),
    );
    out.push(
      row([
        `${r.records.rows.toLocaleString('en-GB')}-row csv: load speed via COPY / psql \\copy`,
        ratioSpread(c),
        '>= 0.5x',
        mark(spread(c).median >= 0.5),
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
    // Two sections: the ratio of their medians (not pair by pair).
    const med = (x: ScaleResult) => spread(runsOf(x).map((y) => y.reportMs)).median;
    const q = med(hundred) / med(one);
    out.push(
      row([
        'report build, 100x data / 1x (medians of each scale)',
        `${q.toFixed(1)}x`,
        '<= 120x',
        mark(Number.isFinite(q) ? q <= 120 : null),
      ]),
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
        secsSpread(runsOf(s).map((x) => x.libsMs)),
        `${secsSpread(runsOf(s).map((x) => x.coldMs[0]!))} / ${secsSpread(runsOf(s).map((x) => x.coldMs[1]!))}`,
        `${((sum(s.cold.map((c) => c.processMs)) / coldMs(s)) * 100).toFixed(0)}%`,
        secsSpread(runsOf(s).map((x) => sum(x.rerunMs))),
        `${secsSpread(runsOf(s).map((x) => x.reportMs))} (${s.reportWaves})`,
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
    const pairs = runsOf(s).flatMap((x) => (x.otherWorkers ? [x.otherWorkers] : []));
    if (!other || pairs.length === 0) continue;
    out.push(
      row([
        s.scale.name,
        `${secsSpread(pairs.map((x) => x.shippedMs))} (${other.shipped} worker(s))`,
        `${secsSpread(pairs.map((x) => x.otherMs))} (${other.workers} worker(s))`,
        `${ratioSpread(
          pairRatios(
            pairs.map((x) => x.otherMs),
            pairs.map((x) => x.shippedMs),
          ),
        )} the speed`,
      ]),
    );
  }
  return out;
}

function startupTable(st: StartupSection & Stamp): string[] {
  const t = (xs: Timing[]) => {
    const c = cpu(xs);
    return `${secsSpread(wall(xs))}${c ? `; CPU ${secsSpread(c)}` : ''}`;
  };
  const rows: [string, Timing[]][] = [
    ['`node -e 0`', st.node],
    ['`census --help`', st.help],
    ['`census --version`', st.version],
    ["`psql -c 'select 1'` (the bench's server)", st.psql],
    [`\`${st.readCommand}\`, demo year, server up (DATABASE_URL)`, st.readWarm],
    ...(st.cold
      ? ([
          [`\`${st.readCommand}\`, embedded workspace, server cold`, st.cold.readCold],
          [`\`${st.readCommand}\`, warm, run beside each cold one`, st.cold.readWarm],
          ...(st.cold.serverStartMs
            ? [
                [
                  "the embedded server's own start, timed inside a process (before each cold run; wall only)",
                  st.cold.serverStartMs.map((ms) => ({ wallMs: ms, cpuMs: null })),
                ],
              ]
            : []),
        ] as [string, Timing[]][])
      : []),
  ];
  return [
    `Run ${st.at}, load average ${st.load1.toFixed(1)}; ${st.runs} rounds after a warm-up, the commands of a target in turn (A B A B ...). Whole process: wall time, and CPU time (user + sys, from GNU time) where available.`,
    '',
    '| command | wall: median (lowest-highest, runs); CPU |',
    '| --- | --- |',
    ...rows.map(([name, xs]) => row([name, t(xs)])),
  ];
}

function poolTable(p: PoolSection & Stamp): string[] {
  const { heavy: h, small: s } = p;
  return [
    `Run ${p.at}, load average ${p.load1.toFixed(1)}. Pool start (workers preload the readers) is shown apart; throughput is files over the time the tasks took.`,
    `Repeated ${poolRuns(p).length} times: 2 workers / 1 on the heavy files, pair by pair, ${ratioSpread(
      pairRatios(
        poolRuns(p).map((x) => x.heavy1),
        poolRuns(p).map((x) => x.heavy2),
      ),
    )}; on the small files ${ratioSpread(
      pairRatios(
        poolRuns(p).map((x) => x.small1),
        poolRuns(p).map((x) => x.small2),
      ),
    )}. The table shows the last repetition.`,
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
    `Run ${r.at}, load average ${r.load1.toFixed(1)}; ${r.rows.toLocaleString('en-GB')} rows, ${mb(r.bytes)} MB. Medians of ${(r.runs ?? [r]).length} alternated pairs (psql, then our load).`,
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
    'with a fixed seed (test/bench/*-corpus.ts). Times are wall clock unless said; every section is repeated (`--repeats`, 3 by default) and',
    'shows the median with the lowest and highest run; each ratio is taken pair by pair, between two measurements made side by side.',
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
    ...(r.startup ? ['## Start-up', '', ...startupTable(r.startup), ''] : []),
    ...(r.pool ? ['## Worker pool', '', ...poolTable(r.pool), ''] : []),
    ...(r.records ? ['## Record-level csv', '', ...recordTable(r.records), ''] : []),
    '## Notes',
    '',
    ...notes,
    '',
  ].join('\n');
}
