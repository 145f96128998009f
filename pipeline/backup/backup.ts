import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { auditKeyId, auditKeyPath, readAuditKey } from '../db/audit-key.ts';
import copyStreams from 'pg-copy-streams';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError, asCensusError } from '../../schemas/fault.ts';
import { CONFIG_FILE } from '../runtime/workspace.ts';
import { sha256, storedPath } from '../runtime/store.ts';
import { copyOutSql, dataTables } from './catalog.ts';
import { BACKUP_FORMAT, MANIFEST_NAME, storeEntry, tableEntry, waveEntry, type Manifest } from './manifest.ts';
import { TAR_END, padding, tarHeader } from './tar.ts';

/**
 * `census backup FILE`: one gzipped tar holding the database (COPY of every data table from one
 * snapshot, in dependency order, with the migration ledger) and the raw store (every file the
 * database names, its hash checked on the way out). pg_dump is not used: the embedded server
 * ships none, and Debian's pg_dump 15 refuses a PostgreSQL 18 server.
 */
export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  files: number;
  bytes: number;
}

interface DumpedTable {
  entry: Manifest['tables'][number];
  path: string;
}

/** COPY TO STDOUT into a file, hashing and counting lines (one per row in COPY's text format) on the way. */
async function dumpTable(client: pg.PoolClient, sql: string, path: string): Promise<{ sha256: string; rows: number }> {
  const hash = createHash('sha256');
  let rows = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) rows += 1;
      done(null, chunk);
    },
  });
  await pipeline(client.query(copyStreams.to(sql)), tap, createWriteStream(path, { mode: 0o600 }));
  return { sha256: hash.digest('hex'), rows };
}

async function snapshot(
  pool: pg.Pool,
  tmp: string,
): Promise<{ migration: Manifest['migration']; tables: DumpedTable[]; store: string[] }> {
  const client = await pool.connect();
  client.on('error', () => {}); // a lost session fails the next query, which reports it
  try {
    // One repeatable-read snapshot: every table as of the same instant, while writers carry on.
    await client.query('begin isolation level repeatable read read only');
    const ledger = (
      await client.query<{ version: number; name: string; sha256: string }>(
        'select version, name, sha256 from schema_migrations order by version',
      )
    ).rows;
    const tables: DumpedTable[] = [];
    for (const [i, t] of (await dataTables(client)).entries()) {
      const file = tableEntry(i, t.name);
      const path = join(tmp, `${i}.copy`);
      const { sha256: hash, rows } = await dumpTable(client, copyOutSql(t), path);
      tables.push({ entry: { name: t.name, columns: t.columns, rows, sha256: hash, file }, path });
    }
    const store = (await client.query<{ sha256: string }>('select sha256 from raw_file order by sha256')).rows.map(
      (r) => r.sha256,
    );
    await client.query('commit');
    return { migration: { level: ledger.length ? ledger[ledger.length - 1]!.version : 0, ledger }, tables, store };
  } finally {
    client.release();
  }
}

function entry(name: string, data: Buffer): Buffer[] {
  return [tarHeader(name, data.length), data, padding(data.length)];
}

/** The workspace's audit key named (never included): restore needs that key to check the history's seals. */
function auditKeyEntry(dir: string): { auditKeyId?: string; workspace: string } {
  const key = readAuditKey(auditKeyPath(dir));
  return key ? { auditKeyId: auditKeyId(key), workspace: dir } : { workspace: dir };
}

export async function writeBackup(
  out: string,
  ctx: Ctx,
  pool: pg.Pool,
  opts: { force?: boolean } = {},
): Promise<BackupSummary> {
  if (existsSync(out) && !opts.force)
    throw new CensusError('usage', `${out} already exists.`, 'Choose a new file name, or pass --force to replace it.');
  const tmp = mkdtempSync(join(tmpdir(), 'census-backup-'));
  const partial = `${out}.partial-${process.pid}`;
  try {
    const snap = await snapshot(pool, tmp);
    const ws = ctx.workspace;
    const missing = snap.store.filter((h) => !existsSync(storedPath(ws.storeDir, h)));
    if (missing.length) {
      throw new CensusError(
        'store_write_failed',
        `${missing.length} file(s) named by the database are missing from the raw store ${ws.storeDir} (first: ${missing[0]}).`,
        'Restore the store folder from another copy before taking a backup; nothing was written.',
      );
    }
    const waves = existsSync(ws.wavesDir)
      ? readdirSync(ws.wavesDir)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : [];
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      codeVersion: ctx.codeVersion,
      migration: snap.migration,
      tables: snap.tables.map((t) => t.entry),
      store: snap.store.map((hash) => ({ hash, size: statSync(storedPath(ws.storeDir, hash)).size })),
      config: JSON.parse(readFileSync(join(ws.dir, CONFIG_FILE), 'utf8')) as Record<string, unknown>,
      waves,
      ...auditKeyEntry(ws.dir),
    };
    async function* archive(): AsyncGenerator<Buffer> {
      yield* entry(MANIFEST_NAME, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      for (const w of waves) yield* entry(waveEntry(w), readFileSync(join(ws.wavesDir, w)));
      for (const t of snap.tables) {
        const size = statSync(t.path).size;
        yield tarHeader(t.entry.file, size);
        for await (const chunk of createReadStream(t.path)) yield chunk as Buffer;
        yield padding(size);
      }
      for (const { hash } of manifest.store) {
        const bytes = readFileSync(storedPath(ws.storeDir, hash));
        if (sha256(bytes) !== hash) {
          throw new CensusError(
            'store_write_failed',
            `The raw store file ${hash} does not match its hash: the store is damaged.`,
            'Restore that file from another copy (or re-ingest the original) before taking a backup; nothing was written.',
          );
        }
        yield* entry(storeEntry(hash), bytes);
      }
      yield TAR_END;
    }
    await pipeline(Readable.from(archive()), createGzip(), createWriteStream(partial, { mode: 0o600 }));
    renameSync(partial, out);
    return {
      file: out,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((s, t) => s + t.rows, 0),
      files: manifest.store.length,
      bytes: statSync(out).size,
    };
  } catch (err) {
    rmSync(partial, { force: true });
    throw asCensusError(err, `writing the backup ${out}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
