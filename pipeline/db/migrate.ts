import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';
import { dropViews, ensureViewLedger, listViews, publicViews, syncViews, viewSetSha256 } from './views.ts';

/**
 * Numbered plain-SQL migrations in sql/, applied in order, each in its own transaction, ledgered with
 * sha256; then the views of sql/views/ (pipeline/db/views.ts). Migrations hold tables, indexes,
 * triggers, functions and data changes only: the views are dropped before a pending migration runs
 * (so it may change any column a view reads, and runs alike on a fresh and an old database) and
 * created again after the last one.
 */
export const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql');

/** Former sha256 of landed migrations edited without changing what they do (sql/migrations-former-sha256.json). */
export const FORMER_SHA256_FILE = 'migrations-former-sha256.json';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
  /** Earlier contents of this file that a database may have applied and that count as this migration (none once the file is edited again). */
  formerSha256: string[];
}

/**
 * sql/migrations-former-sha256.json: for a landed migration edited without changing what it does, its
 * sha256 now and the sha256 it had before. A database that applied a former one has applied this
 * migration, as long as the file is still exactly the one the list names: any further edit is refused.
 */
function formerSha256(dir: string): Record<string, { sha256: string; former: string[] }> {
  const path = join(dir, FORMER_SHA256_FILE);
  if (!existsSync(path)) return {};
  const bad = (why: string): CensusError =>
    new CensusError(
      'migration_mismatch',
      `${path} is not a valid list of former migration hashes: ${why}.`,
      'Restore the file from the repository.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw bad((err as Error).message);
  }
  const migrations = (parsed as { migrations?: unknown } | null)?.migrations;
  if (!migrations || typeof migrations !== 'object' || Array.isArray(migrations)) throw bad('no "migrations" object');
  const isSha = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
  const out: Record<string, { sha256: string; former: string[] }> = {};
  for (const [name, entry] of Object.entries(migrations as Record<string, unknown>)) {
    const e = entry as { sha256?: unknown; former?: unknown } | null;
    if (!isSha(e?.sha256) || !Array.isArray(e.former) || !e.former.every(isSha))
      throw bad(`${name} needs "sha256" (the file now) and "former" (a list of sha256)`);
    out[name] = { sha256: e.sha256, former: e.former };
  }
  return out;
}

export function listMigrations(dir = SQL_DIR): Migration[] {
  const former = formerSha256(dir);
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      const sha256 = createHash('sha256').update(sql).digest('hex');
      // former contents count only for the very file they were recorded against
      const same = former[f]?.sha256 === sha256 ? former[f]!.former : [];
      return { version: Number(f.slice(0, 3)), name: f, sql, sha256, formerSha256: same };
    });
}

/** Whether a ledger's sha256 is this migration: its current contents, or a former one recorded as the same. */
export function isSameMigration(m: Migration, sha256: string): boolean {
  return m.sha256 === sha256 || m.formerSha256.includes(sha256);
}

/**
 * Whether the database is at this code's level, in one query and without the migration lock: every
 * migration applied (same sha256, or a former one recorded as the same), no other, and the views'
 * recorded hash that of sql/views/. `alsoTrue` is an SQL boolean expression checked in the same
 * query (the ownership of the embedded server's objects). Any error (no ledger yet, no right to read
 * it) counts as not current: the caller then runs migrate(), which takes the lock and says what is wrong.
 * The check every command makes before it starts (#18): migrate() itself costs a lock, a dozen
 * statements and reading every view file.
 */
export async function migrationsCurrent(pool: pg.Pool, dir = SQL_DIR, alsoTrue?: string): Promise<boolean> {
  const migrations = listMigrations(dir);
  const viewSha = viewSetSha256(join(dir, 'views'));
  let row: { m: [number, string][]; v: string | null; x?: boolean | null } | undefined;
  try {
    row = (
      await pool.query<{ m: [number, string][]; v: string | null; x?: boolean | null }>(
        `select (select coalesce(json_agg(json_build_array(version, sha256) order by version), '[]'::json)
                 from schema_migrations) as m,
                (select sha256 from census_meta.schema_views) as v${alsoTrue ? `, (${alsoTrue}) as x` : ''}`,
      )
    ).rows[0];
  } catch {
    return false;
  }
  if (!row || row.v !== viewSha || (alsoTrue && row.x !== true)) return false;
  if (row.m.length !== migrations.length) return false;
  return row.m.every(([version, sha256], i) => {
    const m = migrations[i]!;
    return m.version === version && isSameMigration(m, sha256);
  });
}

/** Any fixed 64-bit key: serialises concurrent migrators on one database. */
const MIGRATION_LOCK = 7_261_001;

export async function migrate(
  pool: pg.Pool,
  dir = SQL_DIR,
): Promise<{ applied: string[]; level: number; views: string[] }> {
  const migrations = listMigrations(dir);
  const viewSet = listViews(join(dir, 'views'));
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create table if not exists schema_migrations (
      version integer primary key, name text not null, sha256 text not null, applied_at timestamptz not null default now())`);
    await ensureViewLedger(client);
    const done = (
      await client.query<{ version: number; name: string; sha256: string }>(
        'select version, name, sha256 from schema_migrations order by version',
      )
    ).rows;
    for (const row of done) {
      const m = migrations.find((x) => x.version === row.version);
      if (!m) {
        throw new CensusError(
          'migration_mismatch',
          `Migration ${row.name} is applied to this database but missing from ${dir}.`,
          'This database was migrated by a newer or different version of census. Use the matching code version, or a fresh workspace.',
        );
      }
      if (!isSameMigration(m, row.sha256)) {
        throw new CensusError(
          'migration_mismatch',
          `Migration ${row.name} was changed after it was applied (sha256 ${row.sha256.slice(0, 12)} in the database, ${m.sha256.slice(0, 12)} on disk).`,
          'Landed migrations are never edited: restore the original file and put the change in a new numbered migration.',
        );
      }
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.some((d) => d.version === m.version)) continue;
      await client.query('begin');
      try {
        await dropViews(client);
        await client.query(m.sql);
        const made = await publicViews(client);
        if (made.length)
          throw new Error(`it creates the view(s) ${made.join(', ')}; views belong in sql/views/, one file each`);
        await client.query('insert into schema_migrations (version, name, sha256) values ($1, $2, $3)', [
          m.version,
          m.name,
          m.sha256,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new CensusError(
          'migration_mismatch',
          `Migration ${m.name} failed: ${(err as Error).message}`,
          'Nothing of this migration was applied. Fix the SQL or report the bug.',
          { cause: err },
        );
      }
      applied.push(m.name);
    }
    const views = await syncViews(client, viewSet);
    const level = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    return { applied, level, views };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
