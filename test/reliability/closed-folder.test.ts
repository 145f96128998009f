import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCensus } from '../support/cli.ts';
import { waitFor } from './wait.ts';

/**
 * Issue 17: as root (what CI does), the embedded server runs as the postgres user; a workspace in
 * a folder that user cannot enter (under /root, 0700) still works, and nothing along its path is
 * opened to anyone: the folder above and the workspace stay 0700, the data folder is postgres' own.
 */
const CLI_MS = 300_000;
const asRoot = process.getuid?.() === 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe.skipIf(!asRoot)('a workspace in a folder closed to the postgres user (as root)', () => {
  const home = mkdtempSync(join(tmpdir(), 'census-closed-')); // mkdtemp makes it 0700
  const ws = join(home, 'ws');
  const env = { DATABASE_URL: undefined, CENSUS_WORKSPACE: ws, CENSUS_DB_IDLE_SECONDS: '0' };

  afterAll(async () => {
    const pidFile = join(ws, '.census', 'pg', 'pgdata', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid > 0 && alive(pid)) await waitFor(() => !alive(pid), 'the server to stop', 30_000).catch(() => {});
    }
    rmSync(home, { recursive: true, force: true });
  });

  it(
    'initialises, records and verifies through bin/census, leaving every folder on the path 0700',
    async () => {
      expect(statSync(home).mode & 0o777).toBe(0o700);
      const init = await runCensus(['init'], { cwd: home, env });
      expect(init.code, init.stderr).toBe(0);
      const lock = await runCensus(['lock', '--wave', '2025', '--by', 'Ann Lee', '--reason', 'checked'], {
        cwd: home,
        env,
      });
      expect(lock.code, lock.stderr).toBe(0);
      const verify = await runCensus(['verify', '--history'], { cwd: home, env });
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout + verify.stderr).toMatch(/intact \(1 rows?\)/);
      const issues = await runCensus(['issues', '--wave', '2025'], { cwd: home, env });
      expect(issues.code, issues.stderr).toBe(0);
      for (const d of [home, ws, join(ws, '.census'), join(ws, '.census', 'pg')]) {
        const st = statSync(d);
        expect(st.mode & 0o777, d).toBe(0o700);
        expect(st.uid, d).toBe(0);
      }
      const pgdata = statSync(join(ws, '.census', 'pg', 'pgdata'));
      expect(pgdata.mode & 0o777).toBe(0o700);
      expect(pgdata.uid).not.toBe(0);
    },
    CLI_MS,
  );
});
