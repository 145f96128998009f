import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';

/**
 * The views of the public schema live in sql/views/, one file per view holding its final definition,
 * and are not part of the numbered migrations. After the migrations, migrate() makes the database's
 * views those files: when the sha256 of all view files differs from the one recorded in
 * census_meta.schema_views, every view of the public schema is dropped and all files are created
 * again in dependency order, in one transaction; when it is the same, nothing happens (one query).
 *
 * The record lives in its own schema, not in public: it describes the code, not the data, so a
 * backup (which copies every public table) must not carry it into another database.
 */
export interface ViewFile {
  name: string;
  file: string;
  sql: string;
}

export interface ViewSet {
  dir: string;
  views: ViewFile[];
  sha256: string;
}

const VIEW_FILE = /^([a-z][a-z0-9_]*)\.sql$/;

/** Comments, string literals and double quotes removed: what is left names relations and columns. */
function codeOnly(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\$([a-z_]*)\$[\s\S]*?\$\1\$/gi, ' ')
    .replace(/'(?:[^']|'')*'/g, ' ')
    .replace(/"/g, '');
}

/**
 * Reads dir (sql/views/) and orders its views so that each comes after the views its body mentions.
 * A missing folder is an empty set (a database with no views). Ties go by name, so the order is stable.
 */
export function listViews(dir: string): ViewSet {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : [];
  const views: ViewFile[] = [];
  const hash = createHash('sha256');
  for (const file of files) {
    const m = VIEW_FILE.exec(file);
    if (!m) {
      throw new CensusError(
        'migration_mismatch',
        `The view file ${join(dir, file)} is not named <view_name>.sql (lowercase letters, digits, _).`,
        'Rename the file after the view it creates.',
      );
    }
    const name = m[1]!;
    const sql = readFileSync(join(dir, file), 'utf8');
    if (!new RegExp(`^\\s*create\\s+(or\\s+replace\\s+)?view\\s+(public\\.)?${name}\\s`, 'i').test(codeOnly(sql))) {
      throw new CensusError(
        'migration_mismatch',
        `The view file ${join(dir, file)} does not start with \`create view ${name}\`.`,
        'Each file in sql/views/ creates the view it is named after, and nothing before it.',
      );
    }
    views.push({ name, file, sql });
    hash.update(`${file}\0${sql}\0`);
  }
  return { dir, views: orderViews(views), sha256: hash.digest('hex') };
}

/**
 * The hash listViews gives the folder, from the files' names and bytes alone (no parsing, no
 * ordering): what the one-query check of an up-to-date database compares with the ledger.
 */
export function viewSetSha256(dir: string): string {
  const hash = createHash('sha256');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : [];
  for (const file of files) hash.update(`${file}\0${readFileSync(join(dir, file), 'utf8')}\0`);
  return hash.digest('hex');
}

/** Dependency order: a view after every other view whose name its body mentions; a cycle is an error. */
export function orderViews(views: ViewFile[]): ViewFile[] {
  const names = new Set(views.map((v) => v.name));
  const deps = new Map<string, Set<string>>();
  for (const v of views) {
    const words =
      codeOnly(v.sql)
        .toLowerCase()
        .match(/[a-z_][a-z0-9_$]*/g) ?? [];
    deps.set(v.name, new Set(words.filter((w) => w !== v.name && names.has(w))));
  }
  const out: ViewFile[] = [];
  const pending = new Map(views.map((v) => [v.name, v]));
  while (pending.size) {
    const ready = [...pending.keys()].filter((n) => ![...deps.get(n)!].some((d) => pending.has(d))).sort();
    if (ready.length === 0) {
      // the views on a cycle: those that reach themselves (others only wait for one of them)
      const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
        [...deps.get(from)!].some(
          (d) => d === to || (pending.has(d) && !seen.has(d) && (seen.add(d), reaches(d, to, seen))),
        );
      const cycle = [...pending.keys()].filter((n) => reaches(n, n)).sort();
      throw new CensusError(
        'migration_mismatch',
        `The views ${cycle.join(', ')} mention each other in a cycle, so no order creates them all.`,
        'A view may only read views that do not read it back: fix the files in sql/views/ (a view name in a column alias counts too: rename the alias).',
      );
    }
    for (const n of ready) {
      out.push(pending.get(n)!);
      pending.delete(n);
    }
  }
  return out;
}

/** Creates the bookkeeping table if needed (cheap when it exists). */
export async function ensureViewLedger(client: pg.PoolClient): Promise<void> {
  // looked up first: create schema checks the right to create in the database even when it exists
  if ((await client.query<{ r: string | null }>("select to_regclass('census_meta.schema_views') as r")).rows[0]?.r)
    return;
  await client.query('create schema if not exists census_meta');
  await client.query(`create table if not exists census_meta.schema_views (
    one boolean primary key default true check (one), sha256 text not null, views text[] not null, applied_at timestamptz not null default now())`);
}

/**
 * Drops every view of the public schema (one statement, so views that read each other go together)
 * and forgets the recorded hash, so the next sync creates them again. Run inside the caller's transaction.
 */
export async function dropViews(client: pg.PoolClient): Promise<string[]> {
  const names = await publicViews(client);
  if (names.length) {
    try {
      await client.query(`drop view ${names.map((n) => `public."${n.replace(/"/g, '""')}"`).join(', ')}`);
    } catch (err) {
      throw new CensusError(
        'migration_mismatch',
        `The views of the public schema could not be dropped: ${(err as Error).message}`,
        'Something other than a view depends on a view (views belong in sql/views/ only); remove that dependency in a new migration.',
        { cause: err },
      );
    }
  }
  await client.query('delete from census_meta.schema_views');
  return names;
}

/** The views of the public schema now (also how migrate catches a migration that made one). */
export async function publicViews(client: pg.PoolClient): Promise<string[]> {
  return (
    await client.query<{
      name: string;
    }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'v' order by 1`)
  ).rows.map((r) => r.name);
}

/**
 * Makes the public views those of `set`. Returns the names created, or [] when the recorded hash
 * already matched (then nothing was touched). Expects the migration lock to be held.
 */
export async function syncViews(client: pg.PoolClient, set: ViewSet): Promise<string[]> {
  const recorded = (await client.query<{ sha256: string }>('select sha256 from census_meta.schema_views')).rows[0]
    ?.sha256;
  if (recorded === set.sha256) return [];
  await client.query('begin');
  try {
    await dropViews(client);
    for (const v of set.views) {
      try {
        await client.query(v.sql);
      } catch (err) {
        throw new CensusError(
          'migration_mismatch',
          `The view file ${join(set.dir, v.file)} failed: ${(err as Error).message}`,
          'No view was changed. Fix the file (a view reads tables and the views of sql/views/ only) or report the bug.',
          { cause: err },
        );
      }
    }
    await client.query('insert into census_meta.schema_views (sha256, views) values ($1, $2)', [
      set.sha256,
      set.views.map((v) => v.name),
    ]);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
  return set.views.map((v) => v.name);
}
