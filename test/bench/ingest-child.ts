import type { Ctx, Progress } from '../../pipeline/runtime/ctx.ts';
import { memoryLogger, systemClock } from '../../pipeline/runtime/ctx.ts';
import { connectUrl } from '../../pipeline/db/connect.ts';
import { migrate } from '../../pipeline/db/migrate.ts';
import { ingest } from '../../pipeline/ingest/job.ts';
import type { WaveProcessor } from '../../pipeline/ingest/processor.ts';
import { processorFor } from '../../pipeline/ingest/processors.ts';
import { createWorkspace } from '../../pipeline/runtime/workspace.ts';

/**
 * One `ingest` of a bench corpus in a process of its own, so its peak memory is its own: the jobs
 * (wave + folder) run one after another, as `census ingest` would be run once per wave. Prints one
 * JSON line: wall time, time inside the wave processor (extract .. load), outcomes, peak RSS.
 */
export interface IngestJob {
  wave: number;
  dir: string;
}
export interface IngestChildInput {
  url: string;
  workspace: string;
  jobs: IngestJob[];
}
export interface IngestChildResult {
  ms: number;
  /** CPU time of this process (all its threads) during the jobs. */ cpuMs: number;
  processMs: number;
  files: number;
  statuses: Record<string, number>;
  issues: number;
  maxRssMb: number;
  /** Live JS heap (MB, after a full GC) when a quarter, half, three quarters and all of the last job's files were done: a leak climbs, a working set levels off. */
  heapByQuarter: number[];
  /** Wall time of the full collections forced to read the live heap (part of `ms`: the bench's own measuring, not ingest's work). */
  forcedGcMs?: number;
}

/** A progress reporter that notes the live heap at each quarter of the files (the bench runs this with --expose-gc). */
function memoryProgress(into: number[], forcedGc: { ms: number; on: boolean }): Progress {
  let total = 0;
  let done = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  return {
    start(t) {
      total = t;
      done = 0;
      into.length = 0;
    },
    tick() {
      done += 1;
      if (!forcedGc.on || (done % Math.max(1, Math.ceil(total / 4)) !== 0 && done !== total)) return;
      const t0 = performance.now();
      gc?.();
      forcedGc.ms += performance.now() - t0;
      into.push(Math.round(process.memoryUsage().heapUsed / 2 ** 20));
    },
    stop() {},
  };
}

function timedProcessor(p: WaveProcessor, into: { ms: number }): WaveProcessor {
  return {
    ...p,
    async process(file, input, ctx) {
      const t0 = performance.now();
      try {
        return await p.process(file, input, ctx);
      } finally {
        into.ms += performance.now() - t0;
      }
    },
  };
}

async function main(input: IngestChildInput): Promise<IngestChildResult> {
  const handle = await connectUrl(input.url);
  await migrate(handle.pool);
  const { workspace } = createWorkspace(input.workspace, 'url');
  const heapByQuarter: number[] = [];
  // Only the last job's heap is reported (heapByQuarter), so only its files pay for the forced full
  // collections: forcing them in every wave of a 10-wave returns ingest took 3.3 s of its 32.5 s (load 10).
  const forcedGc = { ms: 0, on: false };
  const ctx: Ctx = {
    db: handle.db,
    pool: handle.pool,
    clock: systemClock,
    log: memoryLogger(),
    progress: memoryProgress(heapByQuarter, forcedGc),
    workspace,
    codeVersion: 'bench',
    actor: 'bench',
  };
  const inProcessor = { ms: 0 };
  const statuses: Record<string, number> = {};
  let files = 0;
  let issues = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    for (const [i, job] of input.jobs.entries()) {
      forcedGc.on = i === input.jobs.length - 1;
      // As `census ingest` does: the workspace limits, the preflight, the parse pool (started here,
      // its start counted in the time) and the COPY path for large record-level csv replies.
      const base = await processorFor(job.wave, workspace.wavesDir, workspace.config.limits);
      const summary = await ingest(
        {
          paths: [job.dir],
          wave: job.wave,
          processor: timedProcessor(base, inProcessor),
          command: `bench ingest --wave ${job.wave}`,
        },
        ctx,
      );
      for (const f of summary.files) {
        statuses[f.status] = (statuses[f.status] ?? 0) + 1;
        files += 1;
        issues += f.issues.length;
      }
    }
  } finally {
    await handle.close();
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    ms: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    processMs: inProcessor.ms,
    files,
    statuses,
    issues,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapByQuarter: heapByQuarter.slice(-4),
    forcedGcMs: forcedGc.ms,
  };
}

const result = await main(JSON.parse(process.argv[2]!) as IngestChildInput);
process.stdout.write(`${JSON.stringify(result)}\n`);
