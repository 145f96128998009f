import { readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate, SQL_DIR } from '../../../pipeline/db/migrate.ts';
import { listViews, orderViews, type ViewFile } from '../../../pipeline/db/views.ts';
import { dumpSchema } from '../../../pipeline/db/schema-dump.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { copyOfSqlDir, migrateAsBefore, sqlDirBeforeViews, viewShapes, type ViewShape } from './former-migrations.ts';

const VIEWS_DIR = join(SQL_DIR, 'views');
const viewFiles = (): string[] =>
  readdirSync(VIEWS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();
const recorded = async (t: TestDb): Promise<string | undefined> =>
  (await t.pool.query<{ sha256: string }>('select sha256 from census_meta.schema_views')).rows[0]?.sha256;
const oids = async (t: TestDb): Promise<Record<string, number>> =>
  Object.fromEntries(
    (
      await t.pool.query<{ name: string; oid: number }>(
        `select c.relname as name, c.oid::int8 as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'v'`,
      )
    ).rows.map((r) => [r.name, r.oid]),
  );

describe('sql/views/', () => {
  it('holds one file per view, each stating its grain and creating the view it is named after', () => {
    for (const name of viewFiles()) {
      const sql = readFileSync(join(VIEWS_DIR, `${name}.sql`), 'utf8');
      expect(sql, name).toMatch(/^-- grain: one row per /);
      expect(sql, name).toMatch(new RegExp(`^create view ${name} as$`, 'm'));
      expect(sql, name).not.toMatch(/create or replace/);
    }
  });

  it('orders views after the views their bodies mention (comments and strings do not count)', () => {
    const v = (name: string, body: string): ViewFile => ({
      name,
      file: `${name}.sql`,
      sql: `-- about zz_top\ncreate view ${name} as ${body};\n`,
    });
    const order = orderViews([
      v('a_top', "select * from m_mid where x <> 'z_base'"),
      v('m_mid', 'select * from z_base'),
      v('z_base', 'select 1 as x'),
      v('b_free', 'select 1'),
    ]);
    expect(order.map((x) => x.name)).toEqual(['b_free', 'z_base', 'm_mid', 'a_top']);
    const real = listViews(VIEWS_DIR).views.map((x) => x.name);
    expect(real.indexOf('team_wave')).toBeLessThan(real.indexOf('report_team'));
    expect(real.indexOf('report_team')).toBeLessThan(real.indexOf('report_answer'));
    expect(real.indexOf('correction_in_force')).toBeLessThan(real.indexOf('foi_value_corrected'));
    expect(real.indexOf('foi_value_corrected')).toBeLessThan(real.indexOf('report_foi_value'));
  });

  it('refuses a cycle, naming the views in it', () => {
    const v = (name: string, body: string): ViewFile => ({
      name,
      file: `${name}.sql`,
      sql: `create view ${name} as ${body};\n`,
    });
    // r only waits for p: it is not named
    const err = (() => {
      try {
        orderViews([v('p', 'select * from q'), v('q', 'select * from p'), v('r', 'select * from p')]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CensusError);
    expect((err as CensusError).message).toMatch(/The views p, q mention each other in a cycle/);
  });
});

describe('views applied by migrate', () => {
  let t: TestDb | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.drop();
    t = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('gives a fresh database every view of sql/views/, and a second migrate touches none', async () => {
    t = await freshDatabase({ migrate: false });
    const res = await migrate(t.pool);
    expect([...res.views].sort()).toEqual(viewFiles());
    expect((await viewShapes(t.pool)).map((v) => v.name)).toEqual(viewFiles());
    expect(await recorded(t)).toBe(listViews(VIEWS_DIR).sha256);
    const before = await oids(t);
    expect(await migrate(t.pool)).toEqual({ applied: [], level: res.level, views: [] });
    expect(await oids(t)).toEqual(before);
  });

  it('re-creates the views when one file is edited, with its dependants, and drops a view whose file is gone', async () => {
    t = await freshDatabase();
    const dir = copyOfSqlDir();
    dirs.push(dir);
    const file = join(dir, 'views', 'team_wave.sql');
    // a changed column type, which create or replace could not do, under views that read team_wave
    writeFileSync(file, readFileSync(file, 'utf8').replace('t.name as team_name', 't.name::varchar(200) as team_name'));
    rmSync(join(dir, 'views', 'teams_by_nation_status.sql'));
    const res = await migrate(t.pool, dir);
    expect(res.applied).toEqual([]);
    expect([...res.views].sort()).toEqual(viewFiles().filter((n) => n !== 'teams_by_nation_status'));
    const shapes = await viewShapes(t.pool);
    expect(shapes.find((v) => v.name === 'team_wave')!.columns).toMatch(/team_name character varying\(200\)/);
    expect(shapes.map((v) => v.name)).not.toContain('teams_by_nation_status');
    expect(shapes.find((v) => v.name === 'report_team')!.columns).toMatch(/team_name character varying\(200\)/);
    expect(await recorded(t)).toBe(listViews(join(dir, 'views')).sha256);
    expect((await migrate(t.pool, dir)).views).toEqual([]);
    // back to the repository's files
    expect((await migrate(t.pool)).views.length).toBe(viewFiles().length);
    expect((await viewShapes(t.pool)).map((v) => v.name)).toEqual(viewFiles());
  });

  it('leaves every view as it was when a view file fails or the files hold a cycle', async () => {
    t = await freshDatabase();
    const shapes = await viewShapes(t.pool);
    const hash = await recorded(t);
    const broken = copyOfSqlDir();
    dirs.push(broken);
    writeFileSync(
      join(broken, 'views', 'report_return_state.sql'),
      '-- grain: nothing\ncreate view report_return_state as select no_such_column from questionnaire_return;\n',
    );
    await expect(migrate(t.pool, broken)).rejects.toThrow(/report_return_state\.sql failed: .*no_such_column/);
    expect(await viewShapes(t.pool)).toEqual(shapes);
    expect(await recorded(t)).toBe(hash);

    const cyclic = copyOfSqlDir();
    dirs.push(cyclic);
    writeFileSync(
      join(cyclic, 'views', 'report_return_state.sql'),
      'create view report_return_state as select * from report_issue_count;\n',
    );
    writeFileSync(
      join(cyclic, 'views', 'report_issue_count.sql'),
      'create view report_issue_count as select * from report_return_state;\n',
    );
    await expect(migrate(t.pool, cyclic)).rejects.toThrow(
      /The views report_issue_count, report_return_state mention each other in a cycle/,
    );
    expect(await viewShapes(t.pool)).toEqual(shapes);

    const misnamed = mkdtempSync(join(tmpdir(), 'census-views-'));
    dirs.push(misnamed);
    mkdirSync(join(misnamed, 'views'));
    writeFileSync(join(misnamed, 'views', 'one.sql'), 'create view other as select 1;\n');
    await expect(migrate(t.pool, misnamed)).rejects.toThrow(/one\.sql does not start with `create view one`/);
  });
});

describe('a database migrated before the views moved to sql/views/', () => {
  let fresh: TestDb;
  let freshViews: ViewShape[];
  const dbs: TestDb[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    fresh = await freshDatabase();
    dbs.push(fresh);
    freshViews = await viewShapes(fresh.pool);
  });
  afterAll(async () => {
    for (const t of dbs) await t.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('has, once migrated, the very schema the new files make: the views of sql/views/ (same columns, same bodies), and all else', async () => {
    const old = await freshDatabase({ migrate: false });
    dbs.push(old);
    const dir = sqlDirBeforeViews();
    dirs.push(dir);
    await migrateAsBefore(old.pool, dir);
    // View files change after the move (sql/014 changed foi_value_corrected and report_foi_value): migrate()
    // re-creates the changed views, so the old database ends with the schema of a fresh one.
    await migrate(old.pool);
    expect(await viewShapes(old.pool)).toEqual(freshViews);
    expect(await dumpSchema(old.pool)).toBe(await dumpSchema(fresh.pool));
  });

  it('keeps working after migrate with the new files: same views, data kept, recorded', async () => {
    const old = await freshDatabase({ migrate: false });
    dbs.push(old);
    const dir = sqlDirBeforeViews();
    dirs.push(dir);
    await migrateAsBefore(old.pool, dir);
    await old.pool.query(`insert into team (name, created_at) values ('A team', now())`);
    const res = await migrate(old.pool);
    expect(res.applied).toEqual([]);
    expect([...res.views].sort()).toEqual(viewFiles());
    expect(await viewShapes(old.pool)).toEqual(freshViews);
    expect((await old.pool.query('select name from team')).rows).toEqual([{ name: 'A team' }]);
    expect((await old.pool.query('select count(*)::int as n from report_team')).rows[0].n).toBe(0);
    expect((await migrate(old.pool)).views).toEqual([]);
  });

  it('at an older level, gets the remaining migrations and then the views', async () => {
    const old = await freshDatabase({ migrate: false });
    dbs.push(old);
    const dir = sqlDirBeforeViews(7);
    dirs.push(dir);
    expect(await migrateAsBefore(old.pool, dir)).toContain('007_report_foi_views.sql');
    const res = await migrate(old.pool);
    // Every migration after 007, in order, whatever has landed since.
    const later = listMigrations()
      .filter((m) => m.version > 7)
      .map((m) => m.name);
    expect(later.slice(0, 3)).toEqual(['008_audit_lock.sql', '009_referral_records.sql', '010_corrections.sql']);
    expect(res.applied).toEqual(later);
    expect(await viewShapes(old.pool)).toEqual(freshViews);
  });
});
