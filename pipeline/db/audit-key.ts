import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CensusError } from '../../schemas/fault.ts';

/**
 * The audit log's seal key (sql/017): 32 random bytes per workspace, kept in
 * `<workspace>/.census/audit.key` (0600), outside the database and outside backups. Every session
 * the pipeline opens carries it (as HMAC's inner and outer padded keys, in session settings the
 * connection sets at start-up, never in the database or in a query's text), so each audit row is
 * sealed with HMAC-SHA256(key, row_hash) as it is written, and `verify --history` and restore
 * check the seals. A superuser who rewrites a row and recomputes every later hash of the unkeyed
 * chain cannot recompute the seals without this file. Out of scope: someone who holds both this
 * file and superuser rights (or the workspace owner's account) can rewrite history and reseal it.
 */
const KEY_BYTES = 32;

export function auditKeyPath(workspaceDir: string): string {
  return join(workspaceDir, '.census', 'audit.key');
}

/** A short public name of a key (it reveals nothing about the key): recorded in backups. */
export function auditKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export function readAuditKey(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new CensusError(
      'database_unreachable',
      `${file} is not an audit key (64 hex digits).`,
      'Restore the file from a copy of the workspace; without it the audit history cannot be checked.',
    );
  return Buffer.from(text, 'hex');
}

function writeAuditKey(file: string, key: Buffer): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

/** The workspace's key, made on first use. */
export function workspaceAuditKey(workspaceDir: string): Buffer {
  const file = auditKeyPath(workspaceDir);
  const had = readAuditKey(file);
  if (had) return had;
  const key = randomBytes(KEY_BYTES);
  try {
    writeAuditKey(file, key);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readAuditKey(file)!; // another command made it
    throw err;
  }
  return key;
}

/** HMAC's padded keys: SQL computes sha256(okey || sha256(ikey || m)) with no extension needed. */
function paddedKeys(key: Buffer): { ikey: string; okey: string } {
  const block = Buffer.alloc(64);
  key.copy(block);
  return {
    ikey: Buffer.from(block.map((b) => b ^ 0x36)).toString('hex'),
    okey: Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex'),
  };
}

/** The connection's start-up options that give its sessions the key. */
export function auditKeyOptions(key: Buffer): string {
  const { ikey, okey } = paddedKeys(key);
  return `-c census.audit_ikey=${ikey} -c census.audit_okey=${okey}`;
}
