import { writeFileSync, appendFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  migrate,
  migrationsCurrent,
  listMigrations,
  isSameMigration,
  SQL_DIR,
  FORMER_SHA256_FILE,
} from '../../../pipeline/db/migrate.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import {
  BEFORE_VIEWS_DIR,
  copyOfSqlDir,
  migrateAsBefore,
  sha256,
  sqlDirBeforeViews,
  viewShapes,
} from './former-migrations.ts';

describe('migrations', () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

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

  it('finds a migrated database current in one query, and a fresh, edited, extended or view-changed one not', async () => {
    t = await freshDatabase({ migrate: false });
    expect(await migrationsCurrent(t.pool)).toBe(false); // no ledger yet
    await migrate(t.pool);
    expect(await migrationsCurrent(t.pool)).toBe(true);
    expect(await migrationsCurrent(t.pool, SQL_DIR, 'select false')).toBe(false); // the extra check decides too
    const edited = copyOfSqlDir();
    appendFileSync(join(edited, '001_core.sql'), '\n-- edited\n');
    expect(await migrationsCurrent(t.pool, edited)).toBe(false);
    const extended = copyOfSqlDir();
    writeFileSync(join(extended, '999_more.sql'), 'create table t999 (id int);\n');
    expect(await migrationsCurrent(t.pool, extended)).toBe(false);
    const views = copyOfSqlDir();
    const [firstView] = readdirSync(join(views, 'views')).filter((f) => f.endsWith('.sql'));
    appendFileSync(join(views, 'views', firstView!), '\n-- edited\n');
    expect(await migrationsCurrent(t.pool, views)).toBe(false);
    // once migrate has run with the changed views, they are current again
    await migrate(t.pool, views);
    expect(await migrationsCurrent(t.pool, views)).toBe(true);
    for (const d of [edited, extended, views]) rmSync(d, { recursive: true });
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

  it('rolls back a failing migration entirely, the views it would have dropped included', async () => {
    t = await freshDatabase();
    const views = await viewShapes(t.pool);
    const dir = copyOfSqlDir();
    writeFileSync(join(dir, '999_broken.sql'), 'create table half_done (id int);\nselect * from no_such_table;\n');
    await expect(migrate(t.pool, dir)).rejects.toThrow(/999_broken\.sql failed/);
    const exists = await t.pool.query("select to_regclass('public.half_done') as r");
    expect(exists.rows[0].r).toBeNull();
    expect(await viewShapes(t.pool)).toEqual(views);
    rmSync(dir, { recursive: true });
  });

  it('refuses a migration that creates a view: views live in sql/views/', async () => {
    t = await freshDatabase();
    const dir = copyOfSqlDir();
    writeFileSync(
      join(dir, '999_a_view.sql'),
      'create table t999 (id int);\ncreate view v999 as select id from t999;\n',
    );
    await expect(migrate(t.pool, dir)).rejects.toThrow(
      /999_a_view\.sql failed: it creates the view\(s\) v999; views belong in sql\/views\//,
    );
    expect((await t.pool.query("select to_regclass('public.t999') as r")).rows[0].r).toBeNull();
    rmSync(dir, { recursive: true });
  });

  it('lets a new migration change a column a view reads (views are dropped before it, created again after)', async () => {
    t = await freshDatabase();
    const dir = copyOfSqlDir();
    writeFileSync(join(dir, '999_wider.sql'), 'alter table raw_file alter column size_bytes type numeric;\n');
    const res = await migrate(t.pool, dir);
    expect(res.applied).toEqual(['999_wider.sql']);
    expect(res.views).toContain('report_source_file');
    const col = await t.pool.query(
      "select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'report_source_file'::regclass and attname = 'size_bytes'",
    );
    expect(col.rows[0].type).toBe('numeric');
    rmSync(dir, { recursive: true });
  });
});

describe('migrations whose views moved to sql/views/', () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });

  it('lists the former sha256 of exactly the edited migrations, against their current sha256', () => {
    const list = JSON.parse(readFileSync(join(SQL_DIR, FORMER_SHA256_FILE), 'utf8')) as {
      why: string;
      migrations: Record<string, { sha256: string; former: string[] }>;
    };
    expect(list.why).toMatch(/views moved to sql\/views\//i);
    const landed = Object.fromEntries(listMigrations(BEFORE_VIEWS_DIR).map((m) => [m.name, m.sha256]));
    expect(Object.keys(list.migrations).sort()).toEqual(Object.keys(landed).sort());
    for (const m of listMigrations()) {
      const entry = list.migrations[m.name];
      if (entry) {
        expect(entry).toEqual({ sha256: m.sha256, former: [landed[m.name]] });
        expect(m.formerSha256).toEqual([landed[m.name]]);
        expect(isSameMigration(m, landed[m.name]!)).toBe(true);
      } else {
        expect(m.formerSha256).toEqual([]);
      }
      // an edited migration only lost its views: no view statement is left in any migration
      expect(m.sql).not.toMatch(/^\s*create\s+(or\s+replace\s+)?view/im);
    }
  });

  it('accepts a database that applied the former files, and refuses one edited beyond them', async () => {
    t = await freshDatabase({ migrate: false });
    const before = sqlDirBeforeViews();
    await migrateAsBefore(t.pool, before);
    const ledger = (
      await t.pool.query('select name, sha256 from schema_migrations where name = $1', ['002_team_views.sql'])
    ).rows[0];
    expect(ledger.sha256).toBe(sha256(readFileSync(join(BEFORE_VIEWS_DIR, '002_team_views.sql'), 'utf8')));
    expect(ledger.sha256).not.toBe(listMigrations().find((m) => m.name === '002_team_views.sql')!.sha256);

    const dir = copyOfSqlDir();
    appendFileSync(join(dir, '002_team_views.sql'), '\n-- edited\n');
    const err = await migrate(t.pool, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CensusError);
    expect((err as CensusError).code).toBe('migration_mismatch');
    expect((err as CensusError).message).toMatch(/002_team_views\.sql was changed/);

    // without its entry in the list, the former file is just a different file
    const unlisted = copyOfSqlDir();
    const list = JSON.parse(readFileSync(join(unlisted, FORMER_SHA256_FILE), 'utf8')) as {
      migrations: Record<string, unknown>;
    };
    delete list.migrations['002_team_views.sql'];
    writeFileSync(join(unlisted, FORMER_SHA256_FILE), JSON.stringify(list));
    await expect(migrate(t.pool, unlisted)).rejects.toThrow(/002_team_views\.sql was changed/);

    expect((await migrate(t.pool)).applied).toEqual([]);
    for (const d of [before, dir, unlisted]) rmSync(d, { recursive: true });
  });
});
