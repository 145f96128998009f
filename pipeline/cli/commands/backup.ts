import { resolve } from 'node:path';
import { Command } from 'commander';
import { stderrLogger } from '../../runtime/ctx.ts';
import { asCensusError } from '../../../schemas/fault.ts';
import { resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { sayWhatToDo, withCtx } from '../run.ts';
import { writeBackup } from '../../backup/backup.ts';
import { restoreBackup } from '../../backup/restore.ts';

const WHY_NOT_PG_DUMP = `
The archive is a gzipped tar (list it with \`tar -tzf FILE\`): census-backup.json (migration level,
ledger, row counts and hashes), db/NN-<table>.copy (COPY text of each table, in foreign-key order)
and store/<aa>/<sha256> (every raw file the database names). pg_dump is not used: the embedded
server ships none, and Debian's pg_dump 15 refuses a PostgreSQL 18 server.`;

export function backupCommand(): Command {
  return new Command('backup')
    .description('Write the workspace (database and raw store) to one portable archive.')
    .argument('<file>', 'archive to write, e.g. census-2025.tar.gz')
    .option('--workspace <dir>', 'workspace folder')
    .option('--force', 'replace FILE if it exists')
    .addHelpText(
      'after',
      `
Examples:
  census backup census-2025-06-30.tar.gz
  census backup /mnt/usb/census.tar.gz --workspace ~/census --force
Reads from one database snapshot, so other commands may keep running; store files are checked
against their hashes on the way out.${WHY_NOT_PG_DUMP}`,
    )
    .action(async (file: string, opts: { workspace?: string; force?: boolean }) => {
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx, db) => {
        const s = await writeBackup(resolve(file), ctx, db.pool, { force: opts.force === true });
        ctx.log.info(
          `Backup written to ${s.file}: ${s.tables} tables, ${s.rows} rows, ${s.files} stored files, ${s.bytes} bytes.`,
        );
        return 0;
      });
    });
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('Make a new workspace from an archive written by census backup.')
    .argument('<file>', 'archive written by census backup')
    .requiredOption('--workspace <dir>', 'new workspace folder to create')
    .addHelpText(
      'after',
      `
Examples:
  census restore census-2025-06-30.tar.gz --workspace ~/census-restored
  DATABASE_URL=postgres://u:p@db/census_new census restore census.tar.gz --workspace ./ws
The database (DATABASE_URL, else the new workspace's embedded server) must be empty. It is migrated
to the backup's level, the tables are copied in and checked against their hashes and row counts,
identity sequences are reset, every store file is checked against its hash, and only then is the
whole restore committed; newer migrations run after.${WHY_NOT_PG_DUMP}`,
    )
    .action(async (file: string, opts: { workspace: string }) => {
      const log = stderrLogger();
      const dir = resolveWorkspaceDir(opts.workspace, process.env, process.cwd());
      try {
        const s = await restoreBackup(resolve(file), {
          workspaceDir: dir,
          url: process.env.DATABASE_URL || undefined,
          log,
        });
        log.info(
          `Restored ${s.tables} tables (${s.rows} rows) and ${s.files} stored files into ${s.workspace}, database ${s.database}, migration level ${s.level}.`,
        );
        process.exitCode = 0;
      } catch (err) {
        const e = asCensusError(err, `restoring ${file}`);
        log.error(e.message);
        sayWhatToDo(e.hint);
        process.exitCode = e.exitCode;
      }
    });
}
