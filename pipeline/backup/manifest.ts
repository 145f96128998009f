import { z } from 'zod';

/**
 * The first entry of a backup archive: what it holds and how to check it. Restore reads it before
 * touching anything, so a wrong or newer archive is refused up front.
 */
export const BACKUP_FORMAT = 'census-backup/1';
export const MANIFEST_NAME = 'census-backup.json';

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  codeVersion: z.string(),
  migration: z.object({
    level: z.number().int().nonnegative(),
    ledger: z.array(z.object({ version: z.number().int(), name: z.string(), sha256: z.string() })),
  }),
  /** In dependency order (a table after every table it references): the restore order. */
  tables: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.string()),
      rows: z.number().int().nonnegative(),
      /** sha256 of the COPY text in the entry `file`. */
      sha256: z.string(),
      file: z.string(),
    }),
  ),
  store: z.array(z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() })),
  /** The workspace's census.json (database settings are replaced on restore) and its extra question lists. */
  config: z.record(z.string(), z.unknown()),
  waves: z.array(z.string()),
  /**
   * The audit key's public id (sql/017) and the workspace the backup was taken from. The key itself
   * is never in the archive: restore finds it (CENSUS_AUDIT_KEY_FILE, else that workspace's
   * .census/audit.key) and checks every row's seal, so an archive whose history was rewritten and
   * rehashed by someone without the key is refused. Absent in backups made before the seal.
   */
  auditKeyId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  workspace: z.string().max(4096).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const tableEntry = (i: number, table: string): string => `db/${String(i + 1).padStart(2, '0')}-${table}.copy`;
export const storeEntry = (hash: string): string => `store/${hash.slice(0, 2)}/${hash}`;
export const waveEntry = (file: string): string => `waves/${file}`;
