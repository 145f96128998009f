import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded } from '../../pipeline/db/embedded.ts';
import { memoryLogger } from '../../pipeline/runtime/ctx.ts';
import { runCensus } from '../support/cli.ts';
import { waitFor } from './wait.ts';

/**
 * Issue 18 item 2: after a command the workspace's embedded server stays up for the idle time
 * (CENSUS_DB_IDLE_SECONDS, else census.json database.idleSeconds), the next command uses it, a
 * crashed server is replaced, the idle timer stops it, and `census stop` stops it at once (refusing
 * while a command holds it). Every server this test starts is stopped before it ends.
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

describe('the embedded server kept warm between commands', () => {
  let home: string;
  let ws: string;
  let pgDir: string;
  const seen = new Set<number>();
  const env = (idle: string | undefined) => ({
    DATABASE_URL: undefined,
    CENSUS_WORKSPACE: ws,
    CENSUS_DB_IDLE_SECONDS: idle,
  });

  function serverPid(): number | null {
    const file = join(pgDir, 'postmaster.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    if (!(pid > 0 && alive(pid))) return null;
    seen.add(pid);
    return pid;
  }
  function keeperPid(): number | null {
    const file = join(ws, '.census', 'pg', 'idle.json');
    if (!existsSync(file)) return null;
    const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
    return alive(pid) ? pid : null;
  }
  async function census(args: string[], idle: string | undefined) {
    const r = await runCensus(args, { cwd: home, env: env(idle) });
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'census-warm-'));
    chmodSync(home, 0o755);
    ws = join(home, 'ws');
    pgDir = join(ws, '.census', 'pg', 'pgdata');
    await census(['init'], '0');
  }, CLI_MS);

  afterAll(async () => {
    await runCensus(['stop'], { cwd: home, env: env('0') });
    for (const pid of seen) if (alive(pid)) process.kill(pid, 'SIGINT');
    for (const pid of seen) await waitFor(() => !alive(pid), 'a server to stop', 30_000).catch(() => {});
    rmSync(home, { recursive: true, force: true });
  });

  it(
    'stays up after a command, is used by the next, replaced when it crashed, and stopped now by census stop',
    async () => {
      await census(['issues', '--wave', '2025'], '120');
      const first = serverPid();
      expect(first).not.toBeNull();
      expect(keeperPid()).not.toBeNull();

      const again = await census(['issues', '--wave', '2025'], '120');
      // Piped, nothing is said of the server (a terminal is told once: tty.test.ts).
      expect(again.stderr).not.toMatch(/kept warm|stays up|database server/);
      expect(serverPid()).toBe(first);

      process.kill(first!, 'SIGKILL'); // the server crashes while warm
      await waitFor(() => !alive(first!), 'the killed server to go', 30_000);
      const after = await census(['issues', '--wave', '2025'], '120');
      expect(after.stderr).not.toMatch(/kept warm|stays up/);
      const second = serverPid();
      expect(second).not.toBeNull();
      expect(second).not.toBe(first);

      const keeper = keeperPid();
      const stop = await census(['stop'], '120');
      expect(stop.stderr).toContain(`Stopped the workspace database server (pid ${second})`);
      expect(serverPid()).toBeNull();
      if (keeper) await waitFor(() => !alive(keeper), 'the idle keeper to end', 10_000);
      const none = await census(['stop'], '120');
      expect(none.stderr).toMatch(/No database server is running/);
    },
    CLI_MS,
  );

  it(
    'is stopped by the idle timer when no command comes, and the idle time can be set in census.json',
    async () => {
      await census(['issues', '--wave', '2025'], '1');
      const pid = serverPid();
      expect(pid).not.toBeNull();
      await waitFor(() => !alive(pid!), 'the idle timer to stop the server', 60_000);

      const file = join(ws, 'census.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as { database: Record<string, unknown> };
      writeFileSync(file, JSON.stringify({ ...config, database: { ...config.database, idleSeconds: 120 } }));
      await census(['issues', '--wave', '2025'], undefined); // no env var: census.json decides
      expect(serverPid()).not.toBeNull();
      expect(keeperPid()).not.toBeNull();
      await census(['stop'], undefined);
      expect(serverPid()).toBeNull();
      writeFileSync(file, JSON.stringify(config));
    },
    CLI_MS,
  );

  it(
    'census stop refuses (exit 3) while a command holds the server, which that command then stops',
    async () => {
      const held = await startEmbedded(join(ws, '.census', 'pg'), memoryLogger(), { workspaceDir: ws });
      const pid = serverPid();
      try {
        const r = await runCensus(['stop'], { cwd: home, env: env('0') });
        expect(r.code, r.stderr).toBe(3);
        expect(r.stderr).toMatch(/in use by census process/);
        expect(serverPid()).toBe(pid);
      } finally {
        await held.stop(); // idle time 0 here: stops at once
      }
      expect(serverPid()).toBeNull();
    },
    CLI_MS,
  );
});
