import { mkdtempSync, copyFileSync, writeFileSync, readdirSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, listMigrations, SQL_DIR } from '../../../pipeline/db/migrate.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';

function copyOfSqlDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'census-sql-'));
  for (const f of readdirSync(SQL_DIR)) if (f.endsWith('.sql')) copyFileSync(join(SQL_DIR, f), join(dir, f));
  return dir;
}

describe('migrations', () => {
  let t: TestDb | undefined;
  afterEach(async () => { await t?.drop(); t = undefined; });

  it('applies every numbered file in order and records its sha256', async () => {
    t = await freshDatabase({ migrate: false });
    const res = await migrate(t.pool);
    expect(res.applied).toEqual(listMigrations().map((m) => m.name));
    const rows = (await t.pool.query('select name, sha256 from schema_migrations order by version')).rows;
    expect(rows).toEqual(listMigrations().map((m) => ({ name: m.name, sha256: m.sha256 })));
  });

  it('is a no-op the second time', async () => {
    t = await freshDatabase();
    expect((await migrate(t.pool)).applied).toEqual([]);
  });

  it('stops with migration_mismatch when an applied migration was edited', async () => {
    t = await freshDatabase();
    const dir = copyOfSqlDir();
    appendFileSync(join(dir, '001_core.sql'), '\n-- edited\n');
    const err = await migrate(t.pool, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CensusError);
    expect((err as CensusError).code).toBe('migration_mismatch');
    expect((err as CensusError).message).toMatch(/001_core\.sql was changed/);
    rmSync(dir, { recursive: true });
  });

  it('stops when an applied migration is missing from disk', async () => {
    t = await freshDatabase();
    const dir = copyOfSqlDir();
    rmSync(join(dir, '002_team_views.sql'));
    const err = await migrate(t.pool, dir).catch((e: unknown) => e);
    expect((err as CensusError).message).toMatch(/002_team_views\.sql is applied to this database but missing/);
    rmSync(dir, { recursive: true });
  });

  it('rolls back a failing migration entirely', async () => {
    t = await freshDatabase();
    const dir = copyOfSqlDir();
    writeFileSync(join(dir, '999_broken.sql'), 'create table half_done (id int);\nselect * from no_such_table;\n');
    await expect(migrate(t.pool, dir)).rejects.toThrow(/999_broken\.sql failed/);
    const exists = await t.pool.query("select to_regclass('public.half_done') as r");
    expect(exists.rows[0].r).toBeNull();
    rmSync(dir, { recursive: true });
  });
});
