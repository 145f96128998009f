import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { asCensusError } from '../../schemas/fault.ts';
import type { Ctx } from '../runtime/ctx.ts';

/**
 * Files committed in small groups (#18): the loads of an ingest's files run one after another in one
 * open transaction, each under a SAVEPOINT of its own. A file whose load fails is rolled back to its
 * savepoint alone (the group goes on); the group commits when it holds `maxFiles` files or `maxRows`
 * rows, when it has been open `maxOpenMs`, or as soon as no other file is waiting to load (so a group
 * never waits for a parse, and locks are never held while nothing is being loaded). A crash loses at
 * most the open group: each file's receipt is marked processed inside its own load, so a rerun loads
 * again exactly the files whose group did not commit.
 *
 * Why: one COMMIT per file is a round trip and a WAL flush per file on the thread that drives the
 * database, the bottleneck of an ingest (BENCHMARKS.md).
 *
 * Every read a load makes must go through the transaction it is given: rows of the files before it
 * in the group are not committed yet, so another session does not see them.
 */
export interface CommitGroupOptions {
  maxFiles?: number;
  maxRows?: number;
  maxOpenMs?: number;
  /** Called after each commit with the number of files it made durable (tests, logs). */
  onCommit?: (files: number) => void;
  /**
   * Runs in the open transaction right before its COMMIT, outside every file's savepoint: the ingest
   * writes the stage ledger of the files done so far there (one statement a group, not a commit a file).
   */
  beforeCommit?: (trx: Transaction<Database>) => Promise<void>;
}

const COMMIT_GROUP_DEFAULTS = { maxFiles: 50, maxRows: 20_000, maxOpenMs: 2_000 } as const;

export interface CommitGroup {
  /**
   * Runs one file's load in the open group under a savepoint: released when `fn` resolves, rolled
   * back to (and the error rethrown) when it rejects. `rows` weighs the result against maxRows.
   */
  run<T>(fn: (trx: Transaction<Database>) => Promise<T>, rows?: (result: T) => number): Promise<T>;
  /** Commits the open group now (no-op when none is open). */
  flush(): Promise<void>;
  /** Rolls the open group back (the command failed): its files are loaded again by a rerun. */
  abort(): Promise<void>;
}

export function commitGroup(db: Kysely<Database>, opts: CommitGroupOptions = {}): CommitGroup {
  const maxFiles = opts.maxFiles ?? COMMIT_GROUP_DEFAULTS.maxFiles;
  const maxRows = opts.maxRows ?? COMMIT_GROUP_DEFAULTS.maxRows;
  const maxOpenMs = opts.maxOpenMs ?? COMMIT_GROUP_DEFAULTS.maxOpenMs;
  let trx: ControlledTransaction<Database> | null = null;
  let openedAt = 0;
  let files = 0;
  let rowCount = 0;
  // One load at a time: savepoints nest, so two loads may not interleave in one transaction.
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  const commit = async (): Promise<void> => {
    if (!trx) return;
    const t = trx;
    const n = files;
    trx = null;
    files = 0;
    rowCount = 0;
    try {
      await opts.beforeCommit?.(t);
      await t.commit().execute();
    } catch (err) {
      // A failed COMMIT ends the transaction on the server; the rollback hands the session back to the pool.
      if (!t.isCommitted && !t.isRolledBack)
        await t
          .rollback()
          .execute()
          .catch(() => {});
      // The group's files are not loaded after all, though their loads succeeded: the run stops
      // (a CensusError), and a rerun loads them again.
      throw asCensusError(err, `committing the loads of ${n} file(s)`);
    }
    opts.onCommit?.(n);
  };
  const rollback = async (): Promise<void> => {
    if (!trx) return;
    const t = trx;
    trx = null;
    files = 0;
    rowCount = 0;
    await t.rollback().execute();
  };

  /** Runs `task` when the loads before it are done (whatever their outcome). */
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    waiting += 1;
    const next = tail.then(
      () => {
        waiting -= 1;
        return task();
      },
      () => {
        waiting -= 1;
        return task();
      },
    );
    tail = next.catch(() => {});
    return next;
  };

  return {
    run<T>(fn: (trx: Transaction<Database>) => Promise<T>, rows?: (result: T) => number): Promise<T> {
      return exclusive(async () => {
        if (!trx) {
          trx = await db.startTransaction().execute();
          openedAt = Date.now();
        }
        const t = trx;
        // The group's first file needs no savepoint: when it fails, the transaction holds nothing
        // else and is rolled back whole. A later file's savepoint is not released when it succeeds:
        // the next file's savepoint of the same name hides it, and COMMIT ends them all (#18: two
        // statements a file fewer; a group holds at most maxFiles of them).
        const first = files === 0;
        if (!first) await sql`savepoint census_file`.execute(t);
        let result: T;
        try {
          result = await fn(t);
        } catch (err) {
          // The file alone: its rows go, the group's earlier files stay. A connection that is gone
          // cannot roll back to anything: the group is lost and the error says why.
          try {
            if (first) {
              trx = null;
              await t.rollback().execute();
            } else
              // One round trip (a query without parameters may hold two statements).
              await sql`rollback to savepoint census_file; release savepoint census_file`.execute(t);
          } catch (lost) {
            const earlier = files;
            trx = null;
            files = 0;
            rowCount = 0;
            await t
              .rollback()
              .execute()
              .catch(() => {});
            // Earlier files of the group went with it: the run stops rather than report them loaded.
            if (earlier > 0) throw asCensusError(lost, `rolling back one file of a group of ${earlier + 1}`);
          }
          if (trx && waiting === 0) await commit();
          throw err;
        }
        files += 1;
        rowCount += rows ? rows(result) : 0;
        if (files >= maxFiles || rowCount >= maxRows || Date.now() - openedAt >= maxOpenMs || waiting === 0)
          await commit();
        return result;
      });
    },
    flush: () => exclusive(commit),
    abort: () => exclusive(rollback),
  };
}

/**
 * One file's load: in the ingest's open group of files when there is one (ctx.fileTransaction),
 * else in a transaction of its own. Either way it is all or nothing for the file.
 */
export function fileTransaction<T>(
  ctx: Pick<Ctx, 'db' | 'fileTransaction'>,
  fn: (trx: Transaction<Database>) => Promise<T>,
  rows?: (result: T) => number,
): Promise<T> {
  return ctx.fileTransaction ? ctx.fileTransaction(fn, rows) : ctx.db.transaction().execute(fn);
}
