import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectUrl, type DatabaseHandle } from '../../pipeline/db/connect.ts';
import { migrate } from '../../pipeline/db/migrate.ts';

export interface TestDb extends DatabaseHandle {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated database on the run's real PostgreSQL server; drop() removes it. */
export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const admin = inject('adminUrl');
  const name = `census_t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = withDatabase(admin, name);
  const handle = await connectUrl(url);
  if (opts.migrate !== false) await migrate(handle.pool);
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.close().catch(() => {});
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}
