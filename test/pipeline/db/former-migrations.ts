import { cpSync, copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { SQL_DIR, listMigrations } from '../../../pipeline/db/migrate.ts';

/**
 * The migrations that created views before the views moved to sql/views/, exactly as they landed
 * (`git show 78aac5d:sql/<file>`). Kept as files, not read from git, so the test runs anywhere and
 * after the move is committed. Their sha256 are the ones sql/migrations-former-sha256.json accepts.
 */
export const BEFORE_VIEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations-before-views');

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A temporary copy of sql/ (migrations, views, former hashes) to edit. */
export function copyOfSqlDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'census-sql-'));
  cpSync(SQL_DIR, dir, { recursive: true });
  return dir;
}

/** sql/ as it was before the move, up to `upTo`: the current migrations, with the former files where they differ. */
export function sqlDirBeforeViews(upTo = Number.POSITIVE_INFINITY): string {
  const dir = mkdtempSync(join(tmpdir(), 'census-sql-before-'));
  const former = new Set(readdirSync(BEFORE_VIEWS_DIR));
  for (const m of listMigrations()) {
    if (m.version > upTo) continue;
    copyFileSync(join(former.has(m.name) ? BEFORE_VIEWS_DIR : SQL_DIR, m.name), join(dir, m.name));
  }
  return dir;
}

/**
 * migrate() as it was before the move (pipeline/db/migrate.ts at 78aac5d, without its checks):
 * each file in its own transaction, ledgered with its sha256; no view bookkeeping. What an existing
 * workspace's database went through.
 */
export async function migrateAsBefore(pool: pg.Pool, dir: string): Promise<string[]> {
  await pool.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, sha256 text not null, applied_at timestamptz not null default now())`);
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  try {
    for (const f of files) {
      const sql = readFileSync(join(dir, f), 'utf8');
      await client.query('begin');
      await client.query(sql);
      await client.query('insert into schema_migrations (version, name, sha256) values ($1, $2, $3)', [
        Number(f.slice(0, 3)),
        f,
        sha256(sql),
      ]);
      await client.query('commit');
    }
  } finally {
    client.release();
  }
  return files;
}

export interface ViewShape {
  name: string;
  columns: string;
  def: string;
}

/** Every view of the public schema: its columns with types and its body as the server deparses it. */
export async function viewShapes(pool: pg.Pool): Promise<ViewShape[]> {
  return (
    await pool.query<ViewShape>(`select c.relname as name,
      (select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum)
       from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
      pg_get_viewdef(c.oid, true) as def
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'v' order by c.relname`)
  ).rows;
}
