import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type EmbeddedHandle } from '../../../pipeline/db/embedded.ts';
import { memoryLogger } from '../../../pipeline/runtime/ctx.ts';
import { runCensus } from '../../support/cli.ts';
import { waitFor } from '../../reliability/wait.ts';

/**
 * The workspace's embedded database, locked down (issue 17): commands connect as `census_owner`,
 * which is not a superuser and cannot rewrite the audit log or reach the operating system; the
 * superuser's password is random and kept 0600; a history forged by a superuser (triggers off) is
 * named by `census verify --history` and by restore of a backup holding it. One workspace, made by
 * `census init`; the test holds a lease on its server (as a command does) to connect beside the CLI.
 */
const CLI_MS = 300_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('the embedded database, locked down', () => {
  let home: string;
  let ws: string;
  let env: Record<string, string | undefined>;
  let server: EmbeddedHandle;
  let serverPid: number;

  async function client(url: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    await c.connect();
    return c;
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'census-lockdown-'));
    chmodSync(home, 0o755); // as root, postgres runs as its own user and must enter the folder
    ws = join(home, 'ws');
    env = { DATABASE_URL: undefined, CENSUS_WORKSPACE: ws };
    const init = await runCensus(['init'], { cwd: home, env });
    expect(init.code, init.stderr).toBe(0);
    server = await startEmbedded(join(ws, '.census', 'pg'), memoryLogger(), { workspaceDir: ws });
    serverPid = Number(readFileSync(join(ws, '.census', 'pg', 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    for (const args of [
      ['lock', '--wave', '2025', '--by', 'Ann Lee', '--reason', 'verified by the lead'],
      ['unlock', '--wave', '2025', '--by', 'Ann Lee', '--reason', 'a trust resent its reply'],
      ['lock', '--wave', '2025', '--by', 'Ann Lee', '--reason', 'verified again'],
    ]) {
      const r = await runCensus(args, { cwd: home, env });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    }
  });

  afterAll(async () => {
    await server?.stop();
    if (serverPid && alive(serverPid))
      await waitFor(() => !alive(serverPid), 'the workspace server to stop', 30_000).catch(() =>
        process.kill(serverPid, 'SIGKILL'),
      );
  });

  it('keeps random passwords in a 0600 file: the old fixed password and the owner role without one are refused', async () => {
    const secrets = join(ws, '.census', 'pg', 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const s = JSON.parse(readFileSync(secrets, 'utf8')) as { superPassword: string; ownerPassword: string };
    expect(s.superPassword).not.toBe('census');
    expect(s.superPassword).not.toBe(s.ownerPassword);
    for (const [user, password] of [
      ['postgres', 'census'],
      ['census_owner', 'census'],
      ['census_owner', ''],
    ])
      await expect(
        client(`postgres://${user}:${password}@127.0.0.1:${server.port}/census`),
        `${user} with "${password}"`,
      ).rejects.toThrow(/password authentication failed|password must be a string|no password/i);
    // No Unix socket: the server listens on 127.0.0.1 only.
    expect(existsSync(join('/tmp', `.s.PGSQL.${server.port}`))).toBe(false);
  });

  it('as the owner role: the audit log takes inserts only, and replica mode, program COPY and superuser powers are refused', async () => {
    const owner = await client(server.ownerUrl);
    try {
      const me = await owner.query(
        `select rolsuper, rolcreaterole, rolreplication, rolbypassrls from pg_roles where rolname = current_user`,
      );
      expect(me.rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false });
      expect((await owner.query('select count(*)::int as n from audit_log')).rows[0].n).toBeGreaterThanOrEqual(3);
      const refused: [string, RegExp][] = [
        [`update audit_log set detail = '{"reason":"forged"}' where action = 'unlock'`, /permission denied/],
        [`delete from audit_log where action = 'unlock'`, /permission denied/],
        ['truncate audit_log', /permission denied/],
        ['alter table audit_log disable trigger user', /must be owner/],
        ['drop table audit_log', /must be owner/],
        ['set session_replication_role = replica', /permission denied/],
        [`copy (select 1) to program 'id'`, /permission denied|must be superuser|pg_execute_server_program/],
        [`copy audit_log from program 'true'`, /permission denied|must be superuser|pg_execute_server_program/],
        [`select pg_read_file('/etc/passwd')`, /permission denied/],
        ['create role intruder superuser', /permission denied/],
        ['drop schema public cascade', /must be owner/],
      ];
      for (const [statement, why] of refused) await expect(owner.query(statement), statement).rejects.toThrow(why);
      // What the pipeline needs still works: it appends, and the chain hashes the row itself.
      await owner.query('begin');
      const row = await owner.query(
        `insert into audit_log (at, actor, action, detail) values (now(), 'test', 'probe', '{}') returning prev_hash, row_hash`,
      );
      expect(row.rows[0].row_hash).toMatch(/^[0-9a-f]{64}$/);
      await owner.query('rollback');
    } finally {
      await owner.end();
    }
  });

  it('as the read-only role (report, issues, verify): reads every table, and the audit log and all else refuse writes', async () => {
    const reader = await client(server.readerUrl);
    try {
      const me = await reader.query(`select rolsuper, rolcreaterole from pg_roles where rolname = current_user`);
      expect(me.rows[0]).toEqual({ rolsuper: false, rolcreaterole: false });
      expect((await reader.query('select count(*)::int as n from audit_log')).rows[0].n).toBeGreaterThanOrEqual(3);
      expect((await reader.query('select count(*)::int as n from wave_lock')).rows[0].n).toBe(1);
      const refused: [string, RegExp][] = [
        [
          `insert into audit_log (at, actor, action, detail) values (now(), 'x', 'probe', '{}')`,
          /read-only|permission denied/,
        ],
        [`update audit_log set actor = 'x'`, /read-only|permission denied/],
        [`delete from audit_log`, /read-only|permission denied/],
        ['truncate audit_log', /read-only|permission denied/],
        [`delete from wave_lock`, /read-only|permission denied/],
        ['create table intruder (x int)', /read-only|permission denied/],
      ];
      for (const [statement, why] of refused) await expect(reader.query(statement), statement).rejects.toThrow(why);
      // Its sessions start read-only; a session that asks to write still has no privilege to.
      await reader.query('set default_transaction_read_only = off');
      for (const statement of [
        `insert into audit_log (at, actor, action, detail) values (now(), 'x', 'probe', '{}')`,
        `update audit_log set actor = 'x'`,
        `delete from audit_log`,
        'truncate audit_log',
        `insert into wave_lock (wave, locked_at, locked_by, reason) values (2030, now(), 'x', 'y')`,
      ])
        await expect(reader.query(statement), statement).rejects.toThrow(/permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('refuses a blank, punctuation-only or invisible name or reason on lock and unlock (exit 2), and records nothing', async () => {
    const admin = await client(server.url);
    const before = (await admin.query('select count(*)::int as n from audit_log')).rows[0].n as number;
    const cases: [string[], RegExp][] = [
      [['unlock', '--wave', '2025', '--by', '  ', '--reason', 'a trust resent its reply'], /--by must be the name/],
      [['unlock', '--wave', '2025', '--by', 'Ann Lee', '--reason', '.'], /--reason must be a reason in words/],
      [['unlock', '--wave', '2025', '--by', 'Ann Lee', '--reason', '\u200b'], /says nothing/],
      [['unlock', '--wave', '2025', '--by', '\u200b\u200d', '--reason', 'resent'], /--by must be the name/],
      [['lock', '--wave', '2026', '--by', 'Ann Lee', '--reason', '\u00a0-\u00a0'], /--reason must be a reason/],
    ];
    try {
      for (const [args, why] of cases) {
        const r = await runCensus(args, { cwd: home, env });
        expect(r.code, `${JSON.stringify(args)}\n${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(why);
      }
      expect((await admin.query('select count(*)::int as n from audit_log')).rows[0].n).toBe(before);
      expect((await admin.query('select wave from wave_lock')).rows).toEqual([{ wave: 2025 }]);
    } finally {
      await admin.end();
    }
  });

  it(
    'keyed chain: a superuser who rewrites a row and rehashes every later one is named by verify --history and refused by restore',
    async () => {
      const key = join(ws, '.census', 'audit.key');
      expect(statSync(key).mode & 0o777).toBe(0o600);
      const admin = await client(server.url);
      let original: Record<string, unknown>[] = [];
      let changed: number;
      try {
        original = (await admin.query('select * from audit_log order by id')).rows;
        expect(original.every((r) => typeof r.seal === 'string' && /^[0-9a-f]{64}$/.test(r.seal as string))).toBe(true);
        await admin.query('begin');
        await admin.query('set local session_replication_role = replica');
        changed = Number(original.find((r) => r.action === 'unlock')!.id);
        await admin.query(`update audit_log set detail = '{"reason":"routine"}' where id = $1`, [changed]);
        // Every hash from that row on recomputed, as the unkeyed chain allows (the seals cannot be).
        await admin.query(
          `do $$ declare r record; last text := coalesce((select row_hash from audit_log where id < ${changed} order by id desc limit 1), '');
           begin for r in select * from audit_log where id >= ${changed} order by id loop
             update audit_log set prev_hash = last, row_hash = audit_log_row_hash(last, r.id, r.at, r.actor, r.action, r.wave, r.detail) where id = r.id
               returning row_hash into last;
           end loop; end $$`,
        );
        await admin.query('commit');
      } finally {
        await admin.end();
      }
      try {
        const broken = await runCensus(['verify', '--history'], { cwd: home, env });
        expect(broken.code, broken.stderr).toBe(1);
        const later = original.filter((r) => Number(r.id) >= changed);
        for (const r of later) expect(broken.stdout).toContain(`audit_log row ${r.id}: its seal does not match`);
        expect(broken.stdout).not.toContain(`audit_log row ${original[0]!.id}:`);

        const archive = join(home, 'rehashed.tar.gz');
        const backup = await runCensus(['backup', archive], { cwd: home, env });
        expect(backup.code, backup.stderr).toBe(0);
        expect(statSync(archive).mode & 0o777).toBe(0o600);
        const restored = await runCensus(['restore', archive, '--workspace', join(home, 'restored-rehashed')], {
          cwd: home,
          env: { ...env, CENSUS_WORKSPACE: undefined },
        });
        expect(restored.code, `${restored.stdout}\n${restored.stderr}`).not.toBe(0);
        expect(restored.stderr).toMatch(new RegExp(`audit_log row ${changed} does not match the hash chain's seal`));

        // Without the key (not in the archive, not where the backup came from) restore refuses to guess.
        const moved = join(home, 'audit.key.elsewhere');
        renameSync(key, moved);
        try {
          const keyless = await runCensus(['restore', archive, '--workspace', join(home, 'restored-keyless')], {
            cwd: home,
            env: { ...env, CENSUS_WORKSPACE: undefined },
          });
          expect(keyless.code, keyless.stderr).toBe(2);
          expect(keyless.stderr).toMatch(
            /sealed with the audit key [0-9a-f]{16} of the workspace .* which was not found/,
          );
          expect(keyless.stderr).toMatch(/CENSUS_AUDIT_KEY_FILE/);
        } finally {
          renameSync(moved, key);
        }
      } finally {
        // Put the history back as it was, for the next test.
        const fix = await client(server.url);
        try {
          await fix.query('begin');
          await fix.query('set local session_replication_role = replica');
          for (const r of original)
            await fix.query('update audit_log set detail = $2, prev_hash = $3, row_hash = $4 where id = $1', [
              r.id,
              r.detail,
              r.prev_hash,
              r.row_hash,
            ]);
          await fix.query('commit');
        } finally {
          await fix.end();
        }
      }
    },
    CLI_MS,
  );

  it(
    'names an audit row a superuser forged with the triggers off: verify --history exits 1, and restoring a backup holding it fails',
    async () => {
      const intact = await runCensus(['verify', '--history'], { cwd: home, env });
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stderr).toMatch(/The audit history is intact \(\d+ rows\)/);

      const admin = await client(server.url);
      let changed: number;
      let slipped: number;
      try {
        await admin.query('begin');
        await admin.query('set local session_replication_role = replica'); // the bypass the issue found
        changed = (
          await admin.query(
            `update audit_log set detail = '{"reason":"nothing to see"}' where action = 'unlock' returning id`,
          )
        ).rows[0].id;
        const last = (await admin.query('select id, row_hash from audit_log order by id desc limit 1')).rows[0];
        slipped = Number(last.id) + 1;
        await admin.query(
          `insert into audit_log (id, at, actor, action, wave, detail, prev_hash, row_hash) overriding system value
           values ($1, now(), 'Ann Lee', 'unlock', 2025, '{"reason":"forged"}', $2, repeat('0', 64))`,
          [slipped, last.row_hash],
        );
        await admin.query('commit');
      } finally {
        await admin.end();
      }

      const broken = await runCensus(['verify', '--history'], { cwd: home, env });
      expect(broken.code, broken.stderr).toBe(1);
      expect(broken.stdout).toContain(`audit_log row ${changed}: its content does not match its hash`);
      expect(broken.stdout).toContain(`audit_log row ${slipped}: its content does not match its hash`);
      expect(broken.stderr).toMatch(/The audit history is broken at 2 of \d+ rows/);

      const archive = join(home, 'forged.tar.gz');
      const backup = await runCensus(['backup', archive], { cwd: home, env });
      expect(backup.code, backup.stderr).toBe(0);
      const restored = await runCensus(['restore', archive, '--workspace', join(home, 'restored')], {
        cwd: home,
        env: { ...env, CENSUS_WORKSPACE: undefined },
      });
      expect(restored.code, `${restored.stdout}\n${restored.stderr}`).not.toBe(0);
      expect(restored.stderr).toMatch(new RegExp(`audit_log row ${changed} does not match the hash chain`));
    },
    CLI_MS,
  );
});
