import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { runCensus } from '../support/cli.ts';
import { waitFor } from './wait.ts';

/**
 * Two writers on one database, a reader beside them, and a database that goes away mid-run, all
 * through bin/census as a user runs it. A table lock taken by the test parks the first writer at a
 * known point while it holds the write lock, so nothing depends on how fast this machine is.
 */
const CLI_MS = 300_000;

/** Advisory write-lock entries of pipeline/db/lock.ts (key 7261002, 1) on this database. */
async function writeLockState(t: TestDb): Promise<{ granted: number; waiting: number }> {
  const r = await t.pool
    .query(`select count(*) filter (where granted)::int as granted, count(*) filter (where not granted)::int as waiting
    from pg_locks where locktype = 'advisory' and classid = 7261002 and objid = 1 and database = (select oid from pg_database where datname = current_database())`);
  return r.rows[0];
}

async function workspace(t: TestDb): Promise<{ env: Record<string, string>; cwd: string; inbox: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'census-conc-'));
  const env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(cwd, 'ws') };
  const init = await runCensus(['init'], { cwd, env });
  expect(init.code, init.stderr).toBe(0);
  const inbox = join(cwd, 'inbox');
  await writeSample2025(loadQuestionList(2025), inbox);
  return { env, cwd, inbox };
}

async function blockTable(t: TestDb, table: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  await c.query('begin');
  await c.query(`lock table ${table} in access exclusive mode`);
  return c;
}

describe('two census commands that write, on one database', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
  });
  afterAll(async () => {
    await t.drop();
  });

  it(
    'serialises them: the second says it waits, --no-wait exits 3, and census issues never blocks',
    async () => {
      const { env, cwd, inbox } = await workspace(t);
      const blocker = await blockTable(t, 'ingest_run');
      let released = false;
      try {
        const first = runCensus(['ingest', inbox, '--wave', '2025'], { cwd, env });
        await waitFor(async () => (await writeLockState(t)).granted === 1, 'the first ingest to take the write lock');
        const second = runCensus(['ingest', inbox, '--wave', '2025'], { cwd, env });
        await waitFor(
          async () => (await writeLockState(t)).waiting === 1,
          'the second ingest to wait for the write lock',
        );

        const noWait = await runCensus(['ingest', inbox, '--wave', '2025', '--no-wait'], { cwd, env });
        expect(noWait.code).toBe(3);
        expect(noWait.stderr).toMatch(
          /Another census command that writes \(database session \d+\) is running on this database/,
        );
        expect(noWait.stderr).toMatch(/what to do: Wait for it to finish/);

        const reader = await runCensus(['issues', '--wave', '2025'], { cwd, env });
        expect(reader.code, reader.stderr).toBe(0);
        expect(reader.stdout).toMatch(/No data issues for wave 2025/);
        expect(await writeLockState(t)).toEqual({ granted: 1, waiting: 1 });

        await blocker.query('rollback');
        released = true;
        const [a, b] = await Promise.all([first, second]);
        expect(a.code, a.stderr).toBe(1);
        expect(b.code, b.stderr).toBe(1);
        expect(b.stderr).toMatch(/Waiting for another census command that writes \(database session \d+\) to finish/);
        expect(a.stderr).not.toMatch(/Waiting/);
        expect(b.stdout).toMatch(/lough-families\.xlsx\s+team_workbook\s+unchanged/);
        const runs = await t.pool.query('select status from ingest_run order by id');
        expect(runs.rows.map((r: { status: string }) => r.status)).toEqual(['done_with_errors', 'done_with_errors']);
      } finally {
        if (!released) await blocker.query('rollback').catch(() => {});
        await blocker.end();
      }
    },
    CLI_MS,
  );
});

describe('the database lost in the middle of census ingest', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
  });
  afterAll(async () => {
    await t.drop();
  });

  it(
    'exits 3 naming the server and what to check, and leaves no half-loaded file',
    async () => {
      const { env, cwd, inbox } = await workspace(t);
      // Park a load inside its transaction (the answers insert), then cut every session of the run.
      const blocker = await blockTable(t, 'answer');
      const killer = new pg.Client({ connectionString: t.url });
      await killer.connect();
      let result;
      try {
        const since = (await killer.query('select now() as t')).rows[0].t as Date;
        const run = runCensus(['ingest', inbox, '--wave', '2025'], { cwd, env });
        await waitFor(
          async () =>
            (await killer.query(`select 1 from pg_locks where relation = 'answer'::regclass and not granted`))
              .rowCount! > 0,
          'a load to wait inside its transaction',
        );
        const killed = await killer.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and backend_start > $1 and pid not in ($2, pg_backend_pid())`,
          [since, (blocker as unknown as { processID: number }).processID],
        );
        expect(killed.rowCount).toBeGreaterThan(0);
        // A file already being processed on a fresh session may finish; nothing new may start.
        await blocker.query('rollback');
        result = await run;
      } finally {
        await blocker.query('rollback').catch(() => {});
        await blocker.end();
        await killer.end();
      }
      expect(result.code, result.stderr).toBe(3);
      const host = new URL(t.url);
      expect(result.stderr).toContain(`${host.hostname}:${host.port}${host.pathname}`);
      expect(result.stderr).toMatch(/could not be reached/);
      expect(result.stderr).toMatch(/what to do: Check that the PostgreSQL server/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      // Every return in the database is whole (all its answers), and the killed file left none.
      const counts = await t.pool.query(`select r.sha256, count(a.*)::int as answers from questionnaire_return r
      left join answer a on a.return_id = r.id group by r.sha256`);
      const perReturn = loadQuestionList(2025).questions.filter((q) => !q.personal).length;
      expect(counts.rows.length).toBeLessThan(6);
      for (const r of counts.rows as { answers: number }[]) expect(r.answers).toBe(perReturn);

      const rerun = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd, env });
      expect(rerun.code, rerun.stderr).toBe(1);
      const after = await t.pool.query(
        `select state, count(*)::int as n from questionnaire_return group by state order by state`,
      );
      expect(after.rows).toEqual([{ state: 'loaded', n: 6 }]);
    },
    CLI_MS,
  );
});
