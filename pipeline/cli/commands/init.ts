import { Command } from 'commander';
import { createWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { withCtx } from '../run.ts';
import { asCensusError } from '../../../schemas/fault.ts';

export function initCommand(): Command {
  return new Command('init')
    .description('Create a workspace (census.json, raw store, reports folder) and migrate its database.')
    .option('--workspace <dir>', 'workspace folder (default: $CENSUS_WORKSPACE or the current folder)')
    .addHelpText(
      'after',
      `
Examples:
  census init --workspace ~/census-2025        embedded PostgreSQL under ~/census-2025/.census/pg
  DATABASE_URL=postgres://u:p@db/census census init --workspace .   an existing server`,
    )
    .action(async (opts: { workspace?: string }) => {
      const dir = resolveWorkspaceDir(opts.workspace, process.env, process.cwd());
      try {
        const { created } = createWorkspace(dir, process.env.DATABASE_URL ? 'url' : 'embedded');
        process.stderr.write(
          created ? `Created workspace ${dir}\n` : `Workspace ${dir} already exists; checking its database.\n`,
        );
      } catch (err) {
        const e = asCensusError(err, `creating the workspace ${dir}`);
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
        return;
      }
      process.exitCode = await withCtx({ workspace: dir }, { writes: false }, async (ctx, db) => {
        ctx.log.info(`Database ready: ${db.describe}`);
        return 0;
      });
    });
}
