import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { runCensus } from '../support/cli.ts';
import { answers, xlsx } from './hostile-files.ts';
import { differingFiles } from '../support/builds.ts';

/**
 * `census backup` and `census restore` as a user runs them: a workspace restored into a new folder
 * on another database must build the very same report, keep working (new ids follow the restored
 * ones), and a damaged archive or a database with data in it must be refused without a trace.
 */
const CLI_MS = 400_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

async function tableRows(t: TestDb): Promise<Record<string, unknown[]>> {
  const tables = (
    await t.pool.query(`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and relname <> 'schema_migrations' order by 1`)
  ).rows.map((r: { relname: string }) => r.relname);
  const out: Record<string, unknown[]> = {};
  for (const name of tables)
    out[name] = (await t.pool.query(`select * from "${name}" order by 1`)).rows.map((r) => JSON.stringify(r)).sort();
  return out;
}

describe('census backup, then census restore into a new workspace on another database', () => {
  let a: TestDb;
  let b: TestDb;
  let home: string;
  let archive: string;
  const dbs: TestDb[] = [];
  beforeAll(async () => {
    a = await freshDatabase({ migrate: false });
    b = await freshDatabase({ migrate: false });
    dbs.push(a, b);
    home = mkdtempSync(join(tmpdir(), 'census-backup-'));
    archive = join(home, 'census.tar.gz');
  });
  afterAll(async () => {
    for (const t of dbs) await t.drop();
  });

  it(
    'gives byte-identical report outputs on both workspaces, and the restored one keeps working',
    async () => {
      const envA = { DATABASE_URL: a.url, CENSUS_WORKSPACE: join(home, 'ws-a') };
      const envB = { DATABASE_URL: b.url, CENSUS_WORKSPACE: undefined };
      const inbox = join(home, 'inbox');
      await writeSample2025(loadQuestionList(2025), inbox);
      expect((await runCensus(['init'], { cwd: home, env: envA })).code).toBe(0);
      const ingest = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: home, env: envA });
      expect(ingest.code, ingest.stderr).toBe(1);

      const backup = await runCensus(['backup', archive], { cwd: home, env: envA });
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stderr).toMatch(/Backup written to .*census\.tar\.gz: \d+ tables, \d+ rows, 6 stored files/);
      const listing = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
      expect(listing.status, listing.stderr).toBe(0);
      expect(listing.stdout.split('\n')[0]).toBe('census-backup.json');
      expect(listing.stdout).toMatch(/^store\/[0-9a-f]{2}\/[0-9a-f]{64}$/m);
      const again = await runCensus(['backup', archive], { cwd: home, env: envA });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already exists[\s\S]*--force/);

      const restore = await runCensus(['restore', archive, '--workspace', join(home, 'ws-b')], {
        cwd: home,
        env: envB,
      });
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stderr).toMatch(/Restored \d+ tables \(\d+ rows\) and 6 stored files into .*ws-b/);
      expect(await tableRows(b)).toEqual(await tableRows(a));
      expect(filesUnder(join(home, 'ws-b', 'store'))).toEqual(filesUnder(join(home, 'ws-a', 'store')));

      // Both builds at once: read-only commands run side by side, and the same code builds both.
      const reports = await Promise.all(
        [
          [envA, 'report-a'],
          [{ ...envB, CENSUS_WORKSPACE: join(home, 'ws-b') }, 'report-b'],
        ].map(([env, out]) =>
          runCensus(['report', '--wave', '2025', '--out', join(home, out as string)], {
            cwd: home,
            env: env as Record<string, string | undefined>,
          }),
        ),
      );
      // 1: the sample wave holds a return with an error issue (documented exit code); the build is written.
      for (const r of reports) expect([0, 1], r.stderr).toContain(r.code);
      const outA = filesUnder(join(home, 'report-a'));
      expect(outA.length).toBeGreaterThan(0);
      expect(filesUnder(join(home, 'report-b'))).toEqual(outA);
      const read = (dir: string) => new Map(outA.map((f) => [f, readFileSync(join(home, dir, f))] as const));
      // Outputs byte for byte; report.pdf by the page it printed (test/support/builds.ts).
      expect(differingFiles(read('report-a'), read('report-b'))).toEqual([]);

      // Identity sequences were moved past the restored ids: a new file loads beside the old ones.
      const more = join(home, 'more');
      await writeSample2025(loadQuestionList(2025), more);
      writeFileSync(
        join(more, 'zz-new-team.xlsx'),
        await xlsx(loadQuestionList(2025), answers('Restored Workspace Team')),
      );
      const next = await runCensus(['ingest', more, '--wave', '2025'], {
        cwd: home,
        env: { ...envB, CENSUS_WORKSPACE: join(home, 'ws-b') },
      });
      expect(next.code, next.stderr).toBe(1);
      expect(next.stdout).toMatch(/zz-new-team\.xlsx\s+team_workbook\s+loaded/);
    },
    CLI_MS,
  );

  it(
    'refuses a damaged archive and a database that holds data, leaving nothing restored',
    async () => {
      const c = await freshDatabase({ migrate: false });
      dbs.push(c);
      const tar = gunzipSync(readFileSync(archive));
      const at = tar.indexOf(Buffer.from('store/'));
      expect(at % 512).toBe(0);
      tar.writeUInt8(tar.readUInt8(at + 512 + 100) ^ 0xff, at + 512 + 100);
      const damaged = join(home, 'damaged.tar.gz');
      writeFileSync(damaged, gzipSync(tar));
      const r = await runCensus(['restore', damaged, '--workspace', join(home, 'ws-c')], {
        cwd: home,
        env: { DATABASE_URL: c.url },
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/damaged or not a census backup: the store file [0-9a-f]{64} does not match its hash/);
      expect((await c.pool.query('select count(*)::int as n from raw_file')).rows[0].n).toBe(0);

      const busy = await runCensus(['restore', archive, '--workspace', join(home, 'ws-d')], {
        cwd: home,
        env: { DATABASE_URL: a.url },
      });
      expect(busy.code, busy.stderr).toBe(2);
      expect(busy.stderr).toMatch(/already holds data/);

      const truncated = join(home, 'truncated.tar.gz');
      writeFileSync(truncated, readFileSync(archive).subarray(0, 2000));
      const cut = await runCensus(['restore', truncated, '--workspace', join(home, 'ws-e')], {
        cwd: home,
        env: { DATABASE_URL: c.url },
      });
      expect(cut.code, cut.stderr).toBe(2);
      expect(cut.stderr).toMatch(/damaged or not a census backup/);
    },
    CLI_MS,
  );

  it(
    'documents both commands with examples, exit codes and why pg_dump is not used',
    async () => {
      for (const cmd of ['backup', 'restore']) {
        const r = await runCensus([cmd, '--help'], { cwd: home });
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/Examples:/);
        expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+done/);
        expect(r.stdout).toMatch(/pg_dump 15 refuses a PostgreSQL 18 server/);
      }
    },
    CLI_MS,
  );
});
