import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';

/** Numbered plain-SQL migrations in sql/, applied in order, each in its own transaction, ledgered with sha256. */
export const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sql');

export interface Migration { version: number; name: string; sql: string; sha256: string }

export function listMigrations(dir = SQL_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return { version: Number(f.slice(0, 3)), name: f, sql, sha256: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Any fixed 64-bit key: serialises concurrent migrators on one database. */
const MIGRATION_LOCK = 7_261_001;

export async function migrate(pool: pg.Pool, dir = SQL_DIR): Promise<{ applied: string[]; level: number }> {
  const migrations = listMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create table if not exists schema_migrations (
      version integer primary key, name text not null, sha256 text not null, applied_at timestamptz not null default now())`);
    const done = (await client.query<{ version: number; name: string; sha256: string }>(
      'select version, name, sha256 from schema_migrations order by version')).rows;
    for (const row of done) {
      const m = migrations.find((x) => x.version === row.version);
      if (!m) {
        throw new CensusError('migration_mismatch', `Migration ${row.name} is applied to this database but missing from ${dir}.`,
          'This database was migrated by a newer or different version of census. Use the matching code version, or a fresh workspace.');
      }
      if (m.sha256 !== row.sha256) {
        throw new CensusError('migration_mismatch', `Migration ${row.name} was changed after it was applied (sha256 ${row.sha256.slice(0, 12)} in the database, ${m.sha256.slice(0, 12)} on disk).`,
          'Landed migrations are never edited: restore the original file and put the change in a new numbered migration.');
      }
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.some((d) => d.version === m.version)) continue;
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name, sha256) values ($1, $2, $3)', [m.version, m.name, m.sha256]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new CensusError('migration_mismatch', `Migration ${m.name} failed: ${(err as Error).message}`, 'Nothing of this migration was applied. Fix the SQL or report the bug.', { cause: err });
      }
      applied.push(m.name);
    }
    const level = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    return { applied, level };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
