import { basename } from 'node:path';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import PQueue from 'p-queue';
import type { Ctx } from '../runtime/ctx.ts';
import { issue, type Issue, type Severity } from '../../schemas/issue.ts';
import { CensusError, asCensusError, isEnvironmentFault } from '../../schemas/fault.ts';
import { listInputFiles, receiveBytes, receivePath } from './receive.ts';
import { issueFromRow, issueRow } from '../db/issue-rows.ts';
import { sweepTemp } from '../runtime/store.ts';
import { safeName } from '../runtime/terminal.ts';
import { parseWorkers } from '../runtime/isolate.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';
import { commitGroup } from '../db/commit-group.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import type { FileResult, WaveProcessor } from './processor.ts';

interface FileOutcome {
  name: string;
  hash: string | null;
  kind: string;
  status: 'loaded' | 'rejected' | 'unchanged' | 'duplicate' | 'refused' | 'failed';
  returnsLoaded: number;
  returnsRejected: number;
  issues: Issue[];
  /** For an attachment: the hash of the file it came in. */
  parent?: string;
}

export interface IngestSummary {
  runId: string;
  wave: number;
  files: FileOutcome[];
  returnsLoaded: number;
  returnsRejected: number;
  issuesBySeverity: Record<Severity, number>;
  issuesByCode: Record<string, number>;
}

async function processOne(
  file: StoredFile,
  proc: WaveProcessor,
  runId: string,
  ctx: Ctx,
  ledger: StageRow[],
): Promise<{ outcome: FileOutcome; attachments: { name: string; bytes: Buffer }[] }> {
  const base = {
    name: file.originalName,
    hash: file.hash,
    kind: file.sourceKind,
    ...(file.parentHash ? { parent: file.parentHash } : {}),
  };
  const rv = proc.ruleVersion(file);
  // receive read the receipt's rule version; a receipt made by this run has processed nothing yet.
  const processed =
    file.processedRuleVersion !== undefined || !file.alreadyReceived
      ? (file.processedRuleVersion ?? null)
      : ((
          await ctx.db
            .selectFrom('file_receipt')
            .select('processed_rule_version')
            .where('sha256', '=', file.hash)
            .where('wave', '=', file.wave)
            .executeTakeFirst()
        )?.processed_rule_version ?? null);
  if (processed === rv) {
    // Its earlier issues are read for all unchanged files at once when the batch is done (storedIssues).
    return {
      outcome: { ...base, status: 'unchanged', returnsLoaded: 0, returnsRejected: 0, issues: [] },
      attachments: [],
    };
  }
  try {
    // The parse workers start when the first file needs them, not on a rerun that parses nothing.
    proc.warm?.();
    const res = await proc.process(file, { runId, ruleVersion: rv }, ctx);
    ledger.push(...stageRows(file.hash, runId, res));
    return {
      outcome: {
        ...base,
        status: res.status,
        returnsLoaded: res.returnsLoaded,
        returnsRejected: res.returnsRejected,
        issues: res.issues,
      },
      attachments: res.attachments ?? [],
    };
  } catch (err) {
    // A fault of the environment, or a CensusError (a locked wave...), stops the run; anything else is this file's problem.
    if (err instanceof CensusError || isEnvironmentFault(err)) throw asCensusError(err, `loading ${file.originalName}`);
    // A bug in a reader must not stop the batch: the file gets an issue and the others go on.
    const i = issue(
      'internal_error',
      'error',
      `census failed on ${file.originalName}: ${(err as Error).message}. Other files were not affected; please report this with the file.`,
      { fileHash: file.hash },
    );
    await ctx.db
      .insertInto('data_issue')
      .values(issueRow(i, file.originalName, file.wave, runId))
      .execute();
    return {
      outcome: { ...base, status: 'failed', returnsLoaded: 0, returnsRejected: 0, issues: [i] },
      attachments: [],
    };
  }
}

/**
 * Unchanged files still report the issues found when they were processed, so a rerun says the same:
 * read in one query for the whole batch, in the order they were stored.
 */
async function storedIssues(files: FileOutcome[], wave: number, ctx: Ctx): Promise<void> {
  const unchanged = files.filter((f) => f.status === 'unchanged' && f.hash !== null);
  if (unchanged.length === 0) return;
  const rows = await ctx.db
    .selectFrom('data_issue')
    .selectAll()
    .where('wave', '=', wave)
    // One array parameter, not one per file: a rerun of thousands of files stays one short statement.
    .where(sql<boolean>`sha256 = any(${[...new Set(unchanged.map((f) => f.hash!))]}::text[])`)
    .orderBy('id')
    .execute();
  const byFile = new Map<string, Issue[]>();
  for (const r of rows) {
    const list = byFile.get(r.sha256!) ?? [];
    list.push(issueFromRow(r));
    byFile.set(r.sha256!, list);
  }
  for (const f of unchanged) f.issues = [...(byFile.get(f.hash!) ?? [])];
}

type StageRow = Insertable<Database['stage_outcome']>;

/** The stage_outcome ledger: one row per stage per file per run. */
function stageRows(hash: string, runId: string, res: FileResult): StageRow[] {
  const stages = res.stages ?? [
    {
      stage: 'load' as const,
      status: res.status === 'loaded' ? ('ok' as const) : ('failed' as const),
      issueCount: res.issues.length,
    },
  ];
  return [{ stage: 'receive' as const, status: 'ok' as const, issueCount: 0 }, ...stages].map((s) => ({
    run_id: runId,
    sha256: hash,
    stage: s.stage,
    status: s.status,
    issue_count: s.issueCount,
    detail: null,
  }));
}

/**
 * Writes the ledger rows gathered so far (and empties the list): in a group's transaction right before
 * its COMMIT, and once more when the batch is done (#18: a statement a group, not a commit a file).
 * A crash may lose the rows of files whose loads committed in the open group's place, as a crash
 * between a file's commit and its ledger row always could: the ledger feeds no figure.
 */
async function writeLedger(rows: StageRow[], db: Kysely<Database> | Transaction<Database>): Promise<void> {
  while (rows.length > 0) {
    const part = rows.splice(0, 2_000);
    await db
      .insertInto('stage_outcome')
      .values(part)
      .onConflict((oc) => oc.columns(['run_id', 'sha256', 'stage']).doNothing())
      .execute();
  }
}

/**
 * The ingest job: receive every file into the store, then process each (as many at a time as
 * there are parse workers, plus one) with the
 * wave's processor. Outcomes come back in input order whatever finished first; attachments found
 * in a file are received and processed right after it.
 */
export async function ingest(
  input: { paths: string[]; wave: number; processor: WaveProcessor; command: string },
  ctx: Ctx,
): Promise<IngestSummary> {
  const { files: paths, missing, skipped } = listInputFiles(input.paths);
  if (missing.length)
    throw new CensusError('usage', `Not found: ${missing.join(', ')}`, 'Check the paths given to census ingest.');
  await assertWaveUnlocked(ctx.db, input.wave, 'this ingest');
  // Runs still marked running were killed: the write lock guarantees no other writer is live.
  await ctx.db
    .updateTable('ingest_run')
    .set({ status: 'failed', counts: JSON.stringify({ interrupted: true }) })
    .where('status', '=', 'running')
    .execute();
  const run = await ctx.db
    .insertInto('ingest_run')
    .values({
      wave: input.wave,
      command: input.command,
      code_version: ctx.codeVersion,
      started_at: ctx.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const runId = String(run.id);
  const swept = sweepTemp(ctx.workspace.storeDir);
  if (swept) ctx.log.info(`Removed ${swept} partial file(s) left in the raw store by an interrupted run.`);
  const kinds = input.processor.kinds;
  const slots: FileOutcome[][] = paths.map(() => []);
  // What the walk did not take as files is reported in the summary and stored as issues, after the files.
  const skippedOutcomes: FileOutcome[] = skipped.map((sk) => {
    const name = basename(sk.path);
    return {
      name,
      hash: null,
      kind: 'none',
      status: 'refused',
      returnsLoaded: 0,
      returnsRejected: 0,
      issues: [issue(sk.code, sk.severity, safeName(sk.message), {}, { raw: name.replace(/\u0000/g, '\uFFFD') })],
    };
  });
  if (skippedOutcomes.length)
    await ctx.db
      .insertInto('data_issue')
      .values(skippedOutcomes.map((o) => issueRow(o.issues[0]!, o.name, input.wave, runId)))
      .execute();
  ctx.progress.start(paths.length, `Ingesting wave ${input.wave}`);
  // One file more than there are parse workers: while the workers parse, another file is loaded into the database.
  const queue = new PQueue({ concurrency: parseWorkers() + 1 });
  let failure: unknown = null;
  // The same bytes twice in one batch (two names, a link, an attachment also given as a file) are
  // processed once: the second is a duplicate, never a second load racing the first.
  const inBatch = new Map<string, string>();
  const pending: Promise<unknown>[] = [];
  // The files' loads go to the database in small groups, a savepoint per file (pipeline/db/commit-group.ts).
  const ledger: StageRow[] = [];
  const group = commitGroup(ctx.db, { beforeCommit: (trx) => writeLedger(ledger, trx) });
  const outerFileTransaction = ctx.fileTransaction;
  ctx.fileTransaction = (fn, rows) => group.run(fn, rows);
  const handle = (file: StoredFile, slot: FileOutcome[]): void => {
    const first = inBatch.get(file.hash);
    if (first !== undefined) {
      const i = issue(
        'file_duplicate_in_batch',
        'info',
        `${file.originalName} holds the same bytes as ${first}, given in the same ingest; it was loaded once.`,
        { fileHash: file.hash },
      );
      slot.push({
        name: file.originalName,
        hash: file.hash,
        kind: file.sourceKind,
        status: 'duplicate',
        returnsLoaded: 0,
        returnsRejected: 0,
        issues: [i],
        ...(file.parentHash ? { parent: file.parentHash } : {}),
      });
      if (!file.parentHash) ctx.progress.tick(file.originalName);
      // One row per copy's name: a rerun of the same batch replaces it (the load of the original keeps it).
      pending.push(
        ctx.db
          .deleteFrom('data_issue')
          .where('wave', '=', file.wave)
          .where('sha256', '=', file.hash)
          .where('code', '=', 'file_duplicate_in_batch')
          .where('file_name', '=', file.originalName)
          .execute()
          .then(() =>
            ctx.db
              .insertInto('data_issue')
              .values(issueRow(i, file.originalName, file.wave, runId))
              .execute(),
          )
          .catch((err: unknown) => {
            failure ??= err;
          }),
      );
      return;
    }
    inBatch.set(file.hash, file.originalName);
    // Larger files start first: a big reply begun last would parse alone at the end while the rest
    // of the pipeline idles. Outcomes keep the input order whatever the processing order.
    void queue.add(
      async () => {
        if (failure) return;
        try {
          const { outcome, attachments } = await processOne(file, input.processor, runId, ctx, ledger);
          slot.push(outcome);
          ctx.checkpoint?.('ingest:file-done');
          if (!file.parentHash) ctx.progress.tick(file.originalName);
          for (const a of attachments) {
            const child = await receiveBytes(
              a.bytes,
              a.name,
              { wave: input.wave, runId, kinds, parentHash: file.hash },
              ctx,
            );
            handle(child, slot);
          }
        } catch (err) {
          failure ??= err;
        }
      },
      { priority: Math.min(file.size, 2 ** 31 - 1) },
    );
  };
  try {
    for (const [i, path] of paths.entries()) {
      if (failure) break;
      const rec = await receivePath(path, { wave: input.wave, runId, kinds }, ctx);
      if (!rec.file) {
        ctx.progress.tick(basename(path));
        const name = basename(path);
        await ctx.db
          .insertInto('data_issue')
          .values(rec.issues.map((x) => issueRow(x, name, input.wave, runId)))
          .execute();
        slots[i]!.push({
          name,
          hash: null,
          kind: 'none',
          status: 'refused',
          returnsLoaded: 0,
          returnsRejected: 0,
          issues: rec.issues,
        });
        continue;
      }
      handle(rec.file, slots[i]!);
    }
    await queue.onIdle();
    // Committed before the duplicates' rows are awaited: those may wait for the group's row locks.
    await group.flush();
    await writeLedger(ledger, ctx.db);
    await Promise.all(pending);
    if (failure) throw failure;
  } catch (err) {
    queue.clear();
    await queue.onIdle();
    // What loaded before the failure is kept (as a commit per file kept it); a lost connection loses the open group.
    await group.flush().catch(() => group.abort().catch(() => {}));
    await writeLedger(ledger, ctx.db).catch(() => {});
    ctx.progress.stop();
    await ctx.db
      .updateTable('ingest_run')
      .set({ status: 'failed', finished_at: ctx.clock.now() })
      .where('id', '=', runId)
      .execute()
      .catch(() => {});
    throw asCensusError(err, 'ingesting');
  } finally {
    ctx.fileTransaction = outerFileTransaction;
  }
  ctx.progress.stop();
  // Attachments finish in any order: the file first, then what came inside it by name and hash.
  const ordered = [
    ...slots.flatMap(([first, ...rest]) =>
      first
        ? [first, ...rest.sort((a, b) => `${a.name}\u0000${a.hash}`.localeCompare(`${b.name}\u0000${b.hash}`))]
        : [],
    ),
    ...skippedOutcomes,
  ];
  await storedIssues(ordered, input.wave, ctx);
  const summary = summarise(runId, input.wave, ordered);
  await ctx.db
    .updateTable('ingest_run')
    .set({
      status: summary.issuesBySeverity.error > 0 ? 'done_with_errors' : 'done',
      finished_at: ctx.clock.now(),
      counts: JSON.stringify({
        files: summary.files.length,
        returnsLoaded: summary.returnsLoaded,
        returnsRejected: summary.returnsRejected,
        issues: summary.issuesBySeverity,
      }),
    })
    .where('id', '=', runId)
    .execute();
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: ctx.actor ?? 'unknown',
    action: 'ingest',
    wave: input.wave,
    detail: {
      run: runId,
      files: summary.files.length,
      returnsLoaded: summary.returnsLoaded,
      errors: summary.issuesBySeverity.error,
    },
  });
  return summary;
}

function summarise(runId: string, wave: number, files: FileOutcome[]): IngestSummary {
  const bySev: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byCode: Record<string, number> = {};
  for (const f of files)
    for (const i of f.issues) {
      bySev[i.severity] += 1;
      byCode[i.code] = (byCode[i.code] ?? 0) + 1;
    }
  return {
    runId,
    wave,
    files,
    returnsLoaded: files.reduce((s, f) => s + f.returnsLoaded, 0),
    returnsRejected: files.reduce((s, f) => s + f.returnsRejected, 0),
    issuesBySeverity: bySev,
    issuesByCode: Object.fromEntries(Object.entries(byCode).sort(([a], [b]) => a.localeCompare(b))),
  };
}
