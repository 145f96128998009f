import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import type { Logger } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { DEFAULT_IDLE_SECONDS, startEmbedded } from './embedded.ts';
import { loadWorkspace } from '../runtime/workspace.ts';
import { OWNERSHIP_SETTLED_SQL, secureOwnership } from './roles.ts';
import { migrate, migrationsCurrent } from './migrate.ts';
import { auditKeyOptions, workspaceAuditKey } from './audit-key.ts';

// bigint ids and counts come back as strings by default; int8 (20) is safe as Number for our sizes
pg.types.setTypeParser(20, (v) => Number(v));
// date columns stay ISO text: a JS Date would drag the process time zone into the data
pg.types.setTypeParser(1082, (v) => v);

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /**
   * The pool that migrates and restores: the embedded server's superuser, or the DATABASE_URL
   * pool itself. Commands' own queries go through `pool` (the owner role on the embedded server).
   */
  adminPool: pg.Pool;
  /** After migrations: hands every object to the owner role, the audit log excepted (no-op for DATABASE_URL). */
  secure(): Promise<void>;
  /**
   * An SQL boolean expression true when secure() has nothing to do (checked with the migrations in
   * one query by prepareDatabase); absent when secure() does nothing (DATABASE_URL).
   */
  secureSettledSql?: string;
  /** Where the data lives, for messages: never includes the password. */
  describe: string;
  close(): Promise<void>;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export async function connectUrl(
  url: string,
  describe = redactUrl(url),
  auditKey?: Buffer,
  /** No session is opened until a query needs one (the embedded server's superuser pool: most commands never use it). */
  lazy = false,
): Promise<DatabaseHandle> {
  // The workspace's audit key rides in the sessions' start-up options (sql/017 seals audit rows with it).
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 10_000,
    ...(auditKey ? { options: auditKeyOptions(auditKey) } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Nor may a checked-out one between queries (pg-pool stops listening while a client is lent out,
  // and kysely adds no listener): the query in flight, or the next one, fails with the reason.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  try {
    if (!lazy) (await pool.connect()).release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new CensusError(
      'database_unreachable',
      `Cannot connect to PostgreSQL at ${describe}: ${(err as Error).message}`,
      'Check that the server is running and that DATABASE_URL (host, port, user, password, database) is right.',
      { cause: err },
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    adminPool: pool,
    secure: async () => {},
    describe,
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * How long the embedded server stays up after the last command (#18): CENSUS_DB_IDLE_SECONDS, else
 * census.json's database.idleSeconds, else DEFAULT_IDLE_SECONDS; 0 stops it when the command ends.
 */
function idleSeconds(workspaceDir: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.CENSUS_DB_IDLE_SECONDS;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const n = Number(fromEnv);
    if (Number.isFinite(n) && n >= 0) return Math.min(n, 86_400);
  }
  if (workspaceDir) {
    try {
      const db = loadWorkspace(workspaceDir).config.database;
      if (db.kind === 'embedded' && db.idleSeconds !== undefined) return db.idleSeconds;
    } catch {
      /* the command itself reports a bad census.json */
    }
  }
  return DEFAULT_IDLE_SECONDS;
}

/** DATABASE_URL wins; otherwise the workspace's embedded server is started (and stopped on close). */
export async function openDatabase(opts: {
  url?: string;
  embeddedDir: string;
  workspaceDir?: string;
  log: Logger;
  /**
   * Whom the command's own queries connect as on the embedded server: the owner role (default),
   * or the read-only role (report, issues, verify). A DATABASE_URL is used as given either way.
   */
  as?: 'owner' | 'reader';
  /** Told when a command's end leaves the embedded server up, until it says so once (startEmbedded). */
  onKeptWarm?: (idleSeconds: number) => boolean;
}): Promise<DatabaseHandle> {
  // The workspace's audit key (sql/017): every session of a command seals the audit rows it writes.
  const key = opts.workspaceDir ? workspaceAuditKey(opts.workspaceDir) : undefined;
  if (opts.url) return connectUrl(opts.url, undefined, key);
  const server = await startEmbedded(opts.embeddedDir, opts.log, {
    workspaceDir: opts.workspaceDir,
    idleSeconds: idleSeconds(opts.workspaceDir),
    ...(opts.onKeptWarm ? { onKeptWarm: opts.onKeptWarm } : {}),
  });
  const describe = `embedded PostgreSQL in ${opts.embeddedDir} (127.0.0.1:${server.port})`;
  let admin: DatabaseHandle | null = null;
  let handle: DatabaseHandle;
  try {
    admin = await connectUrl(server.url, describe, key, true);
    handle = await connectUrl(opts.as === 'reader' ? server.readerUrl : server.ownerUrl, describe, key);
  } catch (err) {
    await admin?.close().catch(() => {});
    await server.stop();
    throw err;
  }
  const adminHandle = admin;
  return {
    ...handle,
    adminPool: adminHandle.pool,
    secure: async () => {
      await secureOwnership(adminHandle.pool);
    },
    secureSettledSql: OWNERSHIP_SETTLED_SQL,
    close: async () => {
      await Promise.all([handle.close().catch(() => {}), adminHandle.close().catch(() => {})]);
      await server.stop();
    },
  };
}

/**
 * Makes the database ready for a command: when one query on the command's own session finds it at
 * this code's level (migrations, views, and on the embedded server the roles' ownership), nothing
 * else is done; otherwise migrate() under its lock as the superuser, then secure(). A read command on
 * an up-to-date database thus opens one session and sends one query before its own (#18).
 */
export async function prepareDatabase(handle: DatabaseHandle): Promise<void> {
  if (await migrationsCurrent(handle.pool, undefined, handle.secureSettledSql)) return;
  await migrate(handle.adminPool);
  await handle.secure();
}
