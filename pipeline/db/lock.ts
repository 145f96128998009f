import type pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';
import type { Logger } from '../runtime/ctx.ts';

/**
 * Commands that write take one session-level advisory lock for their whole run, so two writers
 * on one database are serialised; read-only commands never take it and never wait.
 */
const WRITE_LOCK: [number, number] = [7_261_002, 1];

export interface HeldLock {
  release(): Promise<void>;
}

export async function acquireWriteLock(
  pool: pg.Pool,
  opts: { wait: boolean; log: Logger; what: string },
): Promise<HeldLock> {
  const client = await pool.connect();
  // The pool stops listening to a client it has handed out; without a listener a server that
  // drops this idle session would crash the process with an unhandled 'error' event.
  let lost = false;
  const onError = (err: Error): void => {
    if (!lost)
      opts.log.warn(
        `The database session holding the write lock was closed (${err.message}); the command will stop at its next query.`,
      );
    lost = true;
  };
  client.on('error', onError);
  const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', WRITE_LOCK);
  if (!got.rows[0]?.ok) {
    const holder = await client.query<{ pid: number; query: string; app: string }>(
      `select l.pid, a.application_name as app, coalesce(a.query, '') as query from pg_locks l join pg_stat_activity a on a.pid = l.pid
       where l.locktype = 'advisory' and l.classid = $1 and l.objid = $2 and l.granted limit 1`,
      WRITE_LOCK,
    );
    const who = holder.rows[0] ? `database session ${holder.rows[0].pid}` : 'another session';
    if (!opts.wait) {
      client.off('error', onError);
      client.release();
      throw new CensusError(
        'lock_busy',
        `Another census command that writes (${who}) is running on this database; ${opts.what} was not started.`,
        'Wait for it to finish and run the command again, or drop --no-wait to queue behind it.',
      );
    }
    opts.log.info(`Waiting for another census command that writes (${who}) to finish...`);
    await client.query('select pg_advisory_lock($1, $2)', WRITE_LOCK);
  }
  return {
    release: async () => {
      try {
        await client.query('select pg_advisory_unlock($1, $2)', WRITE_LOCK);
      } catch {
        /* connection gone: the lock went with it */
      }
      client.off('error', onError);
      // A dead session is destroyed rather than returned to the pool.
      client.release(lost ? new Error('write lock session lost') : undefined);
    },
  };
}
