import type pg from 'pg';
import { CensusError } from '../../schemas/fault.ts';

/**
 * The data tables of the public schema from the catalog, in an order where every table comes after
 * the tables its foreign keys point to (ties by name, so two backups list them alike). The ledger
 * table schema_migrations is not data: migrate rebuilds it. Generated columns are left out, since
 * COPY cannot write them.
 */
export interface TableInfo {
  name: string;
  columns: string[];
  key: string[];
}

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export async function dataTables(db: Queryable): Promise<TableInfo[]> {
  const tables = (
    await db.query<{
      name: string;
    }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> 'schema_migrations' order by c.relname`)
  ).rows.map((r) => r.name);
  const deps = (
    await db.query<{
      child: string;
      parent: string;
    }>(`select cc.relname as child, pc.relname as parent from pg_constraint k
    join pg_class cc on cc.oid = k.conrelid join pg_class pc on pc.oid = k.confrelid join pg_namespace n on n.oid = cc.relnamespace
    where k.contype = 'f' and n.nspname = 'public' order by 1, 2`)
  ).rows;
  const order: string[] = [];
  const pending = new Set(tables);
  while (pending.size) {
    // A self-reference is checked at the end of its COPY statement, so it never blocks the order.
    const ready = [...pending]
      .filter((t) => !deps.some((d) => d.child === t && d.parent !== t && pending.has(d.parent)))
      .sort();
    if (ready.length === 0) {
      throw new CensusError(
        'internal',
        `The tables ${[...pending].join(', ')} reference each other in a cycle, so no restore order exists.`,
        'Report this: a migration introduced a foreign-key cycle.',
      );
    }
    for (const t of ready) {
      order.push(t);
      pending.delete(t);
    }
  }
  const out: TableInfo[] = [];
  for (const name of order) {
    const cols = await db.query<{ name: string }>(
      `select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0
      and not attisdropped and attgenerated = '' order by attnum`,
      [`public.${quoteIdent(name)}`],
    );
    const key = await db.query<{ name: string }>(
      `select a.attname as name from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
      [`public.${quoteIdent(name)}`],
    );
    out.push({ name, columns: cols.rows.map((c) => c.name), key: key.rows.map((k) => k.name) });
  }
  return out;
}

/** COPY of a table's rows in a stable order (primary key, else every column), for identical backups. */
export function copyOutSql(t: TableInfo): string {
  const cols = t.columns.map(quoteIdent).join(', ');
  const order = (t.key.length ? t.key : t.columns).map(quoteIdent).join(', ');
  return `copy (select ${cols} from public.${quoteIdent(t.name)} order by ${order}) to stdout`;
}

export function copyInSql(table: string, columns: string[]): string {
  return `copy public.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from stdin`;
}

/** Moves every sequence owned by a column (identity or serial) past the column's largest value. */
export async function resetSequences(db: Queryable, tables: { name: string; columns: string[] }[]): Promise<number> {
  let n = 0;
  for (const t of tables) {
    for (const c of t.columns) {
      const seq = (
        await db.query<{ seq: string | null }>('select pg_get_serial_sequence($1, $2) as seq', [
          `public.${quoteIdent(t.name)}`,
          c,
        ])
      ).rows[0]?.seq;
      if (!seq) continue;
      await db.query(
        `select setval($1::regclass, coalesce((select max(${quoteIdent(c)}) from public.${quoteIdent(t.name)}), 0) + 1, false)`,
        [seq],
      );
      n += 1;
    }
  }
  return n;
}
