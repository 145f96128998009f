import type { Ctx } from '../runtime/ctx.ts';

/**
 * Runs `read` on one consistent view of the database: a read-only, repeatable-read transaction,
 * so every query it makes sees the same committed state, whatever an ingest commits meanwhile (a
 * report never counts 30 returns in one table and 28 in another). The ctx handed to `read` has
 * the transaction as its `db` and no `pool` (a query on the pool would leave the snapshot).
 * Already inside a transaction, `read` runs in it.
 */
export async function inSnapshot<T>(ctx: Ctx, read: (snap: Ctx) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return read(ctx);
  return ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const { pool: _pool, ...rest } = ctx;
      return read({ ...rest, db: trx });
    });
}
