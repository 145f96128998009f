import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../schemas/db.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { commitGroup, fileTransaction } from '../../../pipeline/db/commit-group.ts';
import { OWNERSHIP_SETTLED_SQL, secureOwnership } from '../../../pipeline/db/roles.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';

/** Files' loads committed in small groups with a savepoint per file (#18). */
describe('commit groups', () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  async function table(): Promise<TestDb> {
    t = await freshDatabase({ migrate: false });
    await t.pool.query('create table cg (id int primary key)');
    return t;
  }
  const committed = async (db: TestDb): Promise<number[]> =>
    (await db.pool.query<{ id: number }>('select id from cg order by id')).rows.map((r) => r.id);
  const insert = (id: number) => async (trx: Transaction<Database>) => {
    await sql`insert into cg (id) values (${id})`.execute(trx);
    return id;
  };

  it('rolls a failing file back to its savepoint alone: the files before and after it in the group commit', async () => {
    const db = await table();
    const commits: number[] = [];
    const g = commitGroup(db.db, { maxFiles: 10, onCommit: (n) => commits.push(n) });
    const results = await Promise.allSettled([
      g.run(insert(1)),
      g.run(async (trx) => {
        await insert(2)(trx);
        await sql`insert into cg (id) values (1)`.execute(trx); // duplicate key: this file fails
        return 2;
      }),
      g.run(insert(3)),
    ]);
    await g.flush();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await committed(db)).toEqual([1, 3]);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('rolls back the first file of a group (no savepoint) or the third (savepoints not released) alone', async () => {
    const db = await table();
    const commits: number[] = [];
    const g = commitGroup(db.db, { maxFiles: 10, onCommit: (n) => commits.push(n) });
    const failing = (id: number) => async (trx: Transaction<Database>) => {
      await insert(id)(trx);
      await sql`insert into cg (id) values (${id})`.execute(trx); // duplicate key: this file fails
      return id;
    };
    const results = await Promise.allSettled([
      g.run(failing(1)),
      g.run(insert(2)),
      g.run(insert(3)),
      g.run(failing(4)),
      g.run(insert(5)),
      g.run(failing(6)),
    ]);
    await g.flush();
    expect(results.map((r) => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect(await committed(db)).toEqual([2, 3, 5]);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("runs beforeCommit in the group's transaction, so what it writes commits with the group or not at all", async () => {
    const db = await table();
    await db.pool.query('create table cg_ledger (id int)');
    const g = commitGroup(db.db, {
      maxFiles: 10,
      beforeCommit: async (trx) => {
        await sql`insert into cg_ledger select id + 100 from cg`.execute(trx);
      },
    });
    await Promise.all([g.run(insert(1)), g.run(insert(2))]);
    await g.flush();
    const ledger = async () =>
      (await db.pool.query<{ id: number }>('select id from cg_ledger order by id')).rows.map((r) => r.id);
    expect(await ledger()).toEqual([101, 102]);
    // A group aborted (a crash) writes nothing of it.
    const h = commitGroup(db.db, {
      maxFiles: 10,
      beforeCommit: async (trx) => {
        await sql`insert into cg_ledger values (999)`.execute(trx);
      },
    });
    const three = h.run(insert(3));
    const aborted = h.abort();
    await three;
    await aborted;
    expect(await ledger()).toEqual([101, 102]);
    expect(await committed(db)).toEqual([1, 2]);
  });

  it('keeps a group open while other files wait, commits it at maxFiles, and another session sees nothing before', async () => {
    const db = await table();
    const commits: number[] = [];
    const g = commitGroup(db.db, { maxFiles: 3, maxOpenMs: 60_000, onCommit: (n) => commits.push(n) });
    const seenMeanwhile: number[][] = [];
    await Promise.all(
      [1, 2, 3, 4].map((id) =>
        g.run(async (trx) => {
          seenMeanwhile.push(await committed(db)); // another session of the pool
          return insert(id)(trx);
        }),
      ),
    );
    await g.flush();
    // files 1-3 were one group (nothing visible before it committed), file 4 a group of its own
    expect(seenMeanwhile).toEqual([[], [], [], [1, 2, 3]]);
    expect(commits).toEqual([3, 1]);
    expect(await committed(db)).toEqual([1, 2, 3, 4]);
  });

  it('commits a group by its rows too, and as soon as no other file waits', async () => {
    const db = await table();
    const commits: number[] = [];
    const g = commitGroup(db.db, { maxFiles: 100, maxRows: 5, maxOpenMs: 60_000, onCommit: (n) => commits.push(n) });
    await Promise.all([1, 2, 3].map((id) => g.run(insert(id), () => 3)));
    expect(commits).toEqual([2, 1]); // 6 rows >= 5 after two files; the third committed alone, no one waiting
    await g.run(insert(4));
    expect(commits).toEqual([2, 1, 1]);
  });

  it('loses the open group and nothing else when aborted (a crash), and says so when a commit fails', async () => {
    const db = await table();
    const g = commitGroup(db.db, { maxFiles: 2, maxOpenMs: 60_000 });
    await Promise.all([g.run(insert(1)), g.run(insert(2))]); // committed at maxFiles
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const open = g.run(async (trx) => {
      await insert(3)(trx);
      await gate;
      return 3;
    });
    const waiting = g.run(insert(4));
    release();
    await open; // file 3 loaded, group kept open: file 4 waits
    await waiting; // group of 3 and 4 reached maxFiles: committed
    // The abort is queued behind file 5, so file 5's group stays open for it: it is lost, as in a crash.
    const h = commitGroup(db.db, { maxFiles: 5, maxOpenMs: 60_000 });
    const five = h.run(insert(5));
    const aborted = h.abort();
    await five;
    await aborted;
    expect(await committed(db)).toEqual([1, 2, 3, 4]);
    // a COMMIT that fails (a deferred constraint here) stops the run: a CensusError, not one file's problem
    await db.pool.query('create table cg_d (id int, constraint cg_d_u unique (id) deferrable initially deferred)');
    const k = commitGroup(db.db, { maxFiles: 2, maxOpenMs: 60_000 });
    const both = await Promise.allSettled([
      k.run(async (trx) => (await sql`insert into cg_d values (1)`.execute(trx), 1)),
      k.run(async (trx) => (await sql`insert into cg_d values (1)`.execute(trx), 2)),
    ]);
    expect(both[1]!.status).toBe('rejected');
    expect((both[1] as PromiseRejectedResult).reason).toBeInstanceOf(CensusError);
    expect((await db.pool.query('select count(*)::int as n from cg_d')).rows[0].n).toBe(0);
  });

  it('runs a load in a transaction of its own when no group is open', async () => {
    const db = await table();
    await fileTransaction({ db: db.db }, insert(7));
    await expect(
      fileTransaction({ db: db.db }, async (trx) => {
        await insert(8)(trx);
        throw new Error('bad file');
      }),
    ).rejects.toThrow('bad file');
    expect(await committed(db)).toEqual([7]);
  });

  // The owner role exists on the embedded server only (pipeline/db/embedded.ts ensureRoles); a server
  // given by DATABASE_URL (CI's second pass on the system PostgreSQL) has no such role, and no ownership to settle.
  it('checks in one query that secureOwnership has nothing to do', async (ctx) => {
    t = await freshDatabase();
    const role = await t.pool.query("select 1 from pg_roles where rolname = 'census_owner'");
    if (role.rowCount === 0) ctx.skip();
    await secureOwnership(t.pool);
    const settled = async () =>
      (await t!.pool.query<{ ok: boolean }>(`select (${OWNERSHIP_SETTLED_SQL}) as ok`)).rows[0]?.ok;
    expect(await settled()).toBe(true);
    await t.pool.query('create table not_handed_over (id int)'); // made by the superuser, as a migration would
    expect(await settled()).toBe(false);
    await secureOwnership(t.pool);
    expect(await settled()).toBe(true);
  });
});
