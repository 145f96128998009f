import type pg from 'pg';

/**
 * Ownership on the embedded server. The pipeline connects as `census_owner`: not a superuser, it
 * owns the tables, views, sequences and functions the migrations make, except the audit log
 * and its trigger functions, which stay the superuser's. The owner role may only read and append
 * to the audit log: it cannot update, delete, truncate, disable its triggers or drop it (the
 * database and the public schema stay the superuser's too, so it cannot drop the schema either).
 * A superuser can still do all of that (e.g. `session_replication_role = replica`); that is out of
 * scope here, and is what the hash chain (`census verify --history`) is for.
 */
const OWNER = 'census_owner';
/** Serves the commands that only read (report, issues, verify): SELECT on every table and view, nothing else. */
const READER = 'census_reader';

const PROTECTED_TABLES = ['audit_log'];

export async function secureOwnership(admin: pg.Pool): Promise<void> {
  const c = await admin.connect();
  try {
    await c.query('begin');
    await c.query('select pg_advisory_xact_lock(7261002, 13)');
    await c.query(`grant usage, create on schema public to ${OWNER}`);
    await c.query(
      `do $$
      declare r record;
      declare owner_oid oid := (select oid from pg_roles where rolname = '${OWNER}');
      begin
        for r in
          select c.oid::regclass::text as name, c.relkind
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S') and c.relowner <> owner_oid
            and c.relname <> all ($1)
            and not (c.relkind = 'S' and exists (
              select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
        loop
          execute format('alter %s %s owner to ${OWNER}',
            case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end,
            r.name);
        end loop;
        for r in
          select p.oid::regprocedure::text as name, p.prokind from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.proowner <> owner_oid and p.proname not like 'audit\\_log%'
        loop
          execute format('alter %s %s owner to ${OWNER}', case r.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end, r.name);
        end loop;
        for r in
          select t.oid::regtype::text as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
          where n.nspname = 'public' and t.typtype in ('e', 'd') and t.typowner <> owner_oid
        loop
          execute format('alter type %s owner to ${OWNER}', r.name);
        end loop;
      end $$`.replace('$1', `array[${PROTECTED_TABLES.map((t) => `'${t}'`).join(', ')}]::name[]`),
    );
    for (const t of PROTECTED_TABLES) {
      // Checked first: ALTER TABLE takes an exclusive lock even when nothing changes, and a reader
      // queued for it behind an ingest's open transaction would wait for that ingest.
      const st = await c.query(
        `select pg_get_userbyid(c.relowner) = current_user as owned,
           has_table_privilege($2, c.oid, 'SELECT') and has_table_privilege($2, c.oid, 'INSERT') as enough,
           has_table_privilege($2, c.oid, 'UPDATE') or has_table_privilege($2, c.oid, 'DELETE')
             or has_table_privilege($2, c.oid, 'TRUNCATE') or has_table_privilege($2, c.oid, 'TRIGGER')
             or has_table_privilege($2, c.oid, 'REFERENCES') as excess
         from pg_class c where c.oid = to_regclass($1)`,
        [t, OWNER],
      );
      const row = st.rows[0] as { owned: boolean; enough: boolean; excess: boolean } | undefined;
      if (!row || (row.owned && row.enough && !row.excess)) continue;
      await c.query(`alter table ${t} owner to current_user`);
      await c.query(`revoke all on ${t} from ${OWNER}`);
      await c.query(`grant select, insert on ${t} to ${OWNER}`);
    }
    // The code's ledger of views (census_meta): read by both roles' one-query check that the
    // database is current (migrationsCurrent), so a command needs no superuser session for it.
    if ((await c.query<{ r: string | null }>("select to_regclass('census_meta.schema_views') as r")).rows[0]?.r) {
      await c.query(`grant usage on schema census_meta to ${OWNER}, ${READER}`);
      await c.query(`grant select on census_meta.schema_views to ${OWNER}, ${READER}`);
    }
    // The read-only role reads every table and view (the audit log too), and writes none.
    const reader = await c.query<{ missing: boolean }>(
      `select exists (
         select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
           and not has_table_privilege($1, c.oid, 'SELECT')) as missing
       where exists (select 1 from pg_roles where rolname = $1)`,
      [READER],
    );
    if (reader.rows[0]?.missing) {
      await c.query(`grant usage on schema public to ${READER}`);
      await c.query(`grant select on all tables in schema public to ${READER}`);
    }
    await c.query('commit');
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

/**
 * An SQL boolean expression, true when secureOwnership would change nothing: every object of the
 * public schema the owner role's (the audit log and its functions excepted), the audit log the
 * superuser's with select and insert only for the owner role, the read-only role able to read every
 * table and view, and both roles able to read the views' ledger. Any role may evaluate it (it reads
 * the catalogues only), so a command checks it in the query that checks the migrations, on its own
 * connection. False (or null) when either role is missing.
 */
export const OWNERSHIP_SETTLED_SQL = `select
  not exists (
    select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S') and c.relowner <> o.oid
      and c.relname <> all (array[${PROTECTED_TABLES.map((t) => `'${t}'`).join(', ')}]::name[])
      and not (c.relkind = 'S' and exists (
        select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))))
  and not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proowner <> o.oid and p.proname not like 'audit\\_log%')
  and not exists (
    select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = 'public' and t.typtype in ('e', 'd') and t.typowner <> o.oid)
  and not exists (
    select 1 from pg_class c
    where c.oid in (${PROTECTED_TABLES.map((t) => `to_regclass('${t}')`).join(', ')})
      and (not (select rolsuper from pg_roles where oid = c.relowner)
        or not has_table_privilege(o.oid, c.oid, 'SELECT') or not has_table_privilege(o.oid, c.oid, 'INSERT')
        or has_table_privilege(o.oid, c.oid, 'UPDATE') or has_table_privilege(o.oid, c.oid, 'DELETE')
        or has_table_privilege(o.oid, c.oid, 'TRUNCATE') or has_table_privilege(o.oid, c.oid, 'TRIGGER')
        or has_table_privilege(o.oid, c.oid, 'REFERENCES')))
  and not exists (
    select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and not has_table_privilege(r.oid, c.oid, 'SELECT'))
  and has_schema_privilege(o.oid, 'public', 'USAGE') and has_schema_privilege(o.oid, 'public', 'CREATE')
  and has_table_privilege(o.oid, 'census_meta.schema_views', 'SELECT')
  and has_table_privilege(r.oid, 'census_meta.schema_views', 'SELECT')
  from (select oid from pg_roles where rolname = '${OWNER}') o, (select oid from pg_roles where rolname = '${READER}') r`;
