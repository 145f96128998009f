import type { Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import type { Ctx } from '../runtime/ctx.ts';

/**
 * `--dry-run` of the FOI commands that write (foi send, foi register, foi code): the command does all
 * its work in one transaction, which is then rolled back, so it prints exactly what it would change and
 * the database is left as it was.
 */

/** Thrown inside the transaction of a dry run so that nothing it did is kept. */
class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run: rolled back');
  }
}

/** Runs `work` in a transaction; with `dryRun` the transaction is rolled back and its result returned all the same. */
export async function maybeDry<T>(
  ctx: Ctx,
  dryRun: boolean | undefined,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const result = await work(trx);
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result as T;
    throw err;
  }
}
