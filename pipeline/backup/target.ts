import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';
import { SQL_DIR, isSameMigration, listMigrations, migrate } from '../db/migrate.ts';
import { dataTables, quoteIdent } from './catalog.ts';
import type { Manifest } from './manifest.ts';

/**
 * Readies the database a backup is restored into: it must hold no data, its schema is migrated to
 * exactly the backup's level (so every COPY meets the columns it was taken from; later migrations
 * run after the data is in), and its tables must then be the backup's tables.
 */
export function checkLedger(m: Manifest): void {
  const local = listMigrations();
  const newest = local.length ? local[local.length - 1]!.version : 0;
  if (m.migration.level > newest) {
    throw new CensusError(
      'migration_mismatch',
      `The backup is at migration level ${m.migration.level}, newer than this code (level ${newest}).`,
      `Restore it with the census version that wrote it (${m.codeVersion}) or a newer one.`,
    );
  }
  for (const row of m.migration.ledger) {
    const mine = local.find((x) => x.version === row.version);
    if (!mine || mine.name !== row.name || !isSameMigration(mine, row.sha256)) {
      throw new CensusError(
        'migration_mismatch',
        `Migration ${row.name} in the backup is not the same as ${mine?.name ?? 'anything'} in this code (sha256 ${row.sha256.slice(0, 12)} vs ${mine?.sha256.slice(0, 12) ?? 'none'}).`,
        `Restore it with the census version that wrote it (${m.codeVersion}).`,
      );
    }
  }
}

async function assertEmpty(pool: pg.Pool, where: string): Promise<void> {
  const tables = (
    await pool.query<{
      name: string;
    }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> 'schema_migrations' order by 1`)
  ).rows;
  for (const t of tables) {
    const has = await pool.query(`select 1 from public.${quoteIdent(t.name)} limit 1`);
    if (has.rowCount) {
      throw new CensusError(
        'usage',
        `The database ${where} already holds data (table ${t.name}); a backup is only restored into an empty one.`,
        'Point DATABASE_URL at a new, empty database (or use a new workspace with its own embedded server) and run restore again.',
      );
    }
  }
}

/** Migrates up to `level` only, from a folder holding just those migration files (same bytes, same hashes). */
async function migrateTo(pool: pg.Pool, level: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'census-migrations-'));
  try {
    for (const m of listMigrations()) if (m.version <= level) copyFileSync(join(SQL_DIR, m.name), join(dir, m.name));
    await migrate(pool, dir);
  } catch (err) {
    if (err instanceof CensusError && /missing from/.test(err.message)) {
      throw new CensusError(
        'migration_mismatch',
        `The target database is already migrated beyond the backup's level ${level}.`,
        'Restore into a new, empty database that `census init` has not migrated yet, or take the backup again with this code version.',
        { cause: err },
      );
    }
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function prepareTarget(pool: pg.Pool, m: Manifest, where: string): Promise<void> {
  await assertEmpty(pool, where);
  await migrateTo(pool, m.migration.level);
  const have = await dataTables(pool);
  const got = have.map((t) => `${t.name}(${t.columns.join(',')})`).sort();
  const want = m.tables.map((t) => `${t.name}(${t.columns.join(',')})`).sort();
  const diff = want.filter((x) => !got.includes(x)).concat(got.filter((x) => !want.includes(x)));
  if (diff.length) {
    throw new CensusError(
      'migration_mismatch',
      `After migrating to level ${m.migration.level} the tables differ from the backup's: ${diff.slice(0, 3).join('; ')}.`,
      'The backup does not match its own ledger; it may have been edited. Use an untouched backup file.',
    );
  }
}

/** Applies the migrations newer than the backup, so the restored workspace is at this code's level. */
export async function migrateRest(pool: pg.Pool): Promise<number> {
  return (await migrate(pool)).level;
}
