import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Logger } from '../runtime/ctx.ts';
import { CensusError, asCensusError } from '../../schemas/fault.ts';
import {
  CONFIG_FILE,
  configSchema,
  createWorkspace,
  insideWorkspaceProblem,
  loadWorkspace,
  type Workspace,
} from '../runtime/workspace.ts';
import { openDatabase } from '../db/connect.ts';
import { acquireWriteLock } from '../db/lock.ts';
import { checkAuditChain } from '../db/audit-log.ts';
import { auditKeyId, auditKeyPath, readAuditKey } from '../db/audit-key.ts';
import { putBytes, sha256 } from '../runtime/store.ts';
import { copyInSql, resetSequences } from './catalog.ts';
import { MANIFEST_NAME, manifestSchema, storeEntry, waveEntry, type Manifest } from './manifest.ts';
import { readTar, type TarEntry } from './tar.ts';
import { checkLedger, migrateRest, prepareTarget } from './target.ts';

/**
 * `census restore FILE --workspace NEW`: a new workspace from a backup. The manifest is checked
 * first; the database (which must be empty) is migrated to the backup's level, the tables are
 * copied in, in the archive's dependency order, inside one transaction, identity sequences are
 * moved past the restored ids, and every store file is checked against its hash before it is
 * kept. Only when all of it matches is the transaction committed; later migrations then run.
 */
export interface RestoreSummary {
  workspace: string;
  database: string;
  tables: number;
  rows: number;
  files: number;
  level: number;
}

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const MAX_TABLE_BYTES = 1024 * 1024 * 1024;
const MAX_WAVE_BYTES = 16 * 1024 * 1024;

const damaged = (what: string): CensusError =>
  new CensusError(
    'usage',
    `The backup file is damaged or not a census backup: ${what}.`,
    'Use another copy of the backup; nothing usable was restored.',
  );

/** A workspace for the restore: the backup's settings, with the database this machine will use. */
function newWorkspace(dir: string, m: Manifest, database: 'url' | 'embedded'): Workspace {
  // An existing workspace is accepted when its database is empty (checked next): a restore that
  // failed half-way can simply be run again; store files are checked by hash, so extras are harmless.
  if (existsSync(join(dir, CONFIG_FILE))) return loadWorkspace(dir);
  // The archive's census.json is checked against the schema `init` writes: folders inside the
  // workspace, limits within their bounds. A config that fails is a damaged or forged archive.
  const parsed = configSchema.safeParse({
    ...m.config,
    database: database === 'url' ? { kind: 'url' } : { kind: 'embedded' },
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw damaged(`its census.json is not valid (${first?.path.join('.')}: ${first?.message})`);
  }
  const outside = insideWorkspaceProblem(parsed.data);
  if (outside) throw damaged(`its census.json ${outside}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, CONFIG_FILE), `${JSON.stringify(parsed.data, null, 2)}\n`, { mode: 0o600 });
  return createWorkspace(dir, database).workspace;
}

/**
 * The history in the archive is sealed with its workspace's audit key (sql/017): the restored
 * workspace takes that key, found in CENSUS_AUDIT_KEY_FILE or in the workspace the backup was made
 * from, so every restored row's seal is checked on the way in and later by verify --history.
 */
function adoptAuditKey(dir: string, m: Manifest): void {
  if (!m.auditKeyId) return; // a backup from before the seal: its rows are sealed on restore
  const target = auditKeyPath(dir);
  const have = readAuditKey(target);
  if (have && auditKeyId(have) === m.auditKeyId) return;
  const places = [process.env.CENSUS_AUDIT_KEY_FILE, m.workspace ? auditKeyPath(m.workspace) : undefined];
  for (const place of places) {
    if (!place) continue;
    let key: Buffer | null = null;
    try {
      key = readAuditKey(place);
    } catch {
      key = null;
    }
    if (!key || auditKeyId(key) !== m.auditKeyId) continue;
    mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(target, `${key.toString('hex')}\n`, { mode: 0o600 });
    chmodSync(target, 0o600);
    return;
  }
  throw new CensusError(
    'usage',
    `The backup's audit history is sealed with the audit key ${m.auditKeyId}${m.workspace ? ` of the workspace ${m.workspace}` : ''}, which was not found.`,
    "Set CENSUS_AUDIT_KEY_FILE to that workspace's .census/audit.key (a copy of it) and run the restore again; without the key the history cannot be checked.",
  );
}

async function copyIn(client: pg.PoolClient, table: Manifest['tables'][number], data: Buffer): Promise<void> {
  if (createHash('sha256').update(data).digest('hex') !== table.sha256)
    throw damaged(`the rows of table ${table.name} do not match their hash`);
  const stream = client.query(copyStreams.from(copyInSql(table.name, table.columns)));
  try {
    await pipeline(Readable.from([data]), stream);
  } catch (err) {
    // sql/013's trigger checks every restored audit row against the chain as it arrives.
    if (/hash chain/.test((err as Error).message))
      throw damaged(`its audit history is forged: ${(err as Error).message}`);
    throw err;
  }
  if (stream.rowCount !== table.rows)
    throw damaged(`table ${table.name} holds ${stream.rowCount} rows, the manifest says ${table.rows}`);
}

export async function restoreBackup(
  file: string,
  opts: { workspaceDir: string; url: string | undefined; log: Logger },
): Promise<RestoreSummary> {
  if (!existsSync(file))
    throw new CensusError('usage', `${file} does not exist.`, 'Give the path of a file written by `census backup`.');
  // Sizes are capped on each entry's header, before it is read: the manifest first, then each
  // entry at what the manifest declares for it (a decompression bomb is refused, not inflated).
  let caps: ((name: string) => number) | null = null;
  const entries = readTar(createReadStream(file).pipe(createGunzip()), (name) =>
    caps ? caps(name) : MAX_MANIFEST_BYTES,
  );
  const next = async (): Promise<TarEntry | null> => {
    try {
      const r = await entries.next();
      return r.done ? null : r.value;
    } catch (err) {
      throw damaged((err as Error).message);
    }
  };
  const first = await next();
  if (!first || first.name !== MANIFEST_NAME) throw damaged(`it does not start with ${MANIFEST_NAME}`);
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(first.data.toString('utf8')));
  } catch (err) {
    throw damaged(`its manifest is invalid (${(err as Error).message.slice(0, 200)})`);
  }
  checkLedger(manifest);
  const storeSizes = new Map(manifest.store.map((x) => [storeEntry(x.hash), x.size]));
  const tableFiles = new Set(manifest.tables.map((t) => t.file));
  const waveFiles = new Set(manifest.waves.map(waveEntry));
  caps = (name) =>
    storeSizes.get(name) ?? (tableFiles.has(name) ? MAX_TABLE_BYTES : waveFiles.has(name) ? MAX_WAVE_BYTES : 0);

  const ws = newWorkspace(opts.workspaceDir, manifest, opts.url ? 'url' : 'embedded');
  adoptAuditKey(ws.dir, manifest);
  const handle = await openDatabase({
    url: opts.url,
    embeddedDir: ws.embeddedDir,
    workspaceDir: ws.dir,
    log: opts.log,
  });
  // Restore migrates and writes every table, the audit log included: as the database's admin
  // (the embedded superuser); ownership is handed to the owner role at the end.
  try {
    await prepareTarget(handle.adminPool, manifest, handle.describe);
    const lock = await acquireWriteLock(handle.adminPool, { wait: false, log: opts.log, what: 'the restore' });
    const client = await handle.adminPool.connect();
    client.on('error', () => {}); // a lost session fails the next statement, which reports it
    try {
      await client.query('begin');
      const tables = new Map(manifest.tables.map((t) => [t.file, t]));
      const files = new Set(manifest.store.map((s) => storeEntry(s.hash)));
      const waves = new Set(manifest.waves.map(waveEntry));
      let tableAt = 0;
      let stored = 0;
      for (let e = await next(); e; e = await next()) {
        const table = tables.get(e.name);
        if (table) {
          // Dependency order is the archive's order: a table never arrives before one it references.
          if (manifest.tables[tableAt]?.file !== e.name) throw damaged(`${e.name} is out of order`);
          await copyIn(client, table, e.data);
          tableAt += 1;
        } else if (files.has(e.name)) {
          const hash = basename(e.name);
          if (sha256(e.data) !== hash) throw damaged(`the store file ${hash} does not match its hash`);
          await putBytes(ws.storeDir, e.data, hash);
          stored += 1;
        } else if (waves.has(e.name)) {
          mkdirSync(ws.wavesDir, { recursive: true });
          writeFileSync(join(ws.wavesDir, basename(e.name)), e.data);
        } else {
          throw damaged(`it holds an entry the manifest does not list (${e.name.slice(0, 80)})`);
        }
      }
      if (tableAt !== manifest.tables.length) throw damaged(`${manifest.tables.length - tableAt} table(s) are missing`);
      if (stored !== files.size) throw damaged(`${files.size - stored} store file(s) are missing`);
      await resetSequences(client, manifest.tables);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
      await lock.release();
    }
    const level = await migrateRest(handle.adminPool);
    await handle.secure();
    // The history restored must be the history written: the chain is recomputed (sql/013).
    const chain = await checkAuditChain(handle.db);
    if (chain.breaks.length)
      throw damaged(
        `its audit history does not match its hash chain at row(s) ${chain.breaks
          .slice(0, 5)
          .map((b) => b.id)
          .join(', ')} (${chain.breaks[0]!.problem})`,
      );
    return {
      workspace: ws.dir,
      database: handle.describe,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((s, t) => s + t.rows, 0),
      files: manifest.store.length,
      level,
    };
  } catch (err) {
    throw asCensusError(err, `restoring ${file} into ${ws.dir}`);
  } finally {
    await handle.close().catch(() => {});
  }
}
