import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { runCensus } from '../support/cli.ts';
import { waitFor } from './wait.ts';

/**
 * The workspace's own embedded PostgreSQL (no DATABASE_URL) when `census ingest` is SIGKILLed:
 * postgres outlives its parent (TOOLCHAIN_NOTES §6), and the next command must find it, say so,
 * reuse it and stop it at its end. Any server this test leaves behind is stopped by its pid.
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

describe('the embedded server after census is SIGKILLed', () => {
  const started = new Set<number>();
  afterAll(async () => {
    for (const pid of started) {
      if (!alive(pid)) continue;
      process.kill(pid, 'SIGINT');
      await waitFor(() => !alive(pid), `postgres ${pid} to stop`, 30_000).catch(() => process.kill(pid, 'SIGKILL'));
    }
  });

  it(
    'is found by the next command, reused, and stopped when that command ends',
    async () => {
      const home = mkdtempSync(join(tmpdir(), 'census-embedded-'));
      // postgres runs as its own user when census runs as root: it must be able to enter the folder.
      chmodSync(home, 0o755);
      const ws = join(home, 'ws');
      const pgdata = join(ws, '.census', 'pg', 'pgdata');
      const env = { DATABASE_URL: undefined, CENSUS_WORKSPACE: ws };
      const inbox = join(home, 'inbox');
      await writeSample2025(loadQuestionList(2025), inbox);

      const init = await runCensus(['init'], { cwd: home, env });
      expect(init.code, init.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(ws, 'census.json'), 'utf8')).database.kind).toBe('embedded');
      expect(serverPid(pgdata), 'init stops the server it started').toBeNull();

      const killed = await runCensus(['ingest', inbox, '--wave', '2025'], {
        cwd: home,
        env: { ...env, CENSUS_CRASH_AT: 'ingest:file-done#1' },
      });
      expect(killed.signal, `${killed.code} ${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL');
      const orphan = serverPid(pgdata);
      expect(orphan, 'postgres outlives the SIGKILLed census').not.toBeNull();
      started.add(orphan!);

      const issues = await runCensus(['issues', '--wave', '2025'], { cwd: home, env });
      expect([0, 1], issues.stderr).toContain(issues.code);
      expect(issues.stderr).toContain(
        `Found a database server left running by an interrupted census command (pid ${orphan}`,
      );
      expect(issues.stderr).toMatch(/reusing it and stopping it when this command ends/);
      await waitFor(() => !alive(orphan!), 'the reused server to stop', 30_000);
      expect(existsSync(join(pgdata, 'postmaster.pid'))).toBe(false);

      // The next command starts the server afresh, finds the run the kill interrupted, and finishes it.
      const rerun = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: home, env });
      expect(rerun.code, `${rerun.stdout}\n${rerun.stderr}`).toBe(1);
      expect(rerun.stderr).not.toMatch(/left running/);
      expect(rerun.stdout).toMatch(/lough-families\.xlsx\s+team_workbook\s+(loaded|rejected|unchanged)/);
      expect(serverPid(pgdata), 'no postgres is left running').toBeNull();
    },
    CLI_MS,
  );
});
