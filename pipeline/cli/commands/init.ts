import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_FILE, createWorkspace, enclosingWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { withCtx } from '../run.ts';
import { asCensusError, CensusError } from '../../../schemas/fault.ts';

export function initCommand(): Command {
  return new Command('init')
    .description('Create a workspace (census.json, raw store, reports folder) and migrate its database.')
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census init --workspace ~/census-2025        embedded PostgreSQL under ~/census-2025/.census/pg
  DATABASE_URL=postgres://u:p@db/census census init --workspace .   an existing server
Other commands find the workspace from any subfolder of it (as git does); init refuses to make a
workspace inside another one (exit 2).`,
    )
    .action(async (opts: { workspace?: string }) => {
      const dir = resolveWorkspaceDir(opts.workspace, process.env, process.cwd());
      try {
        // One workspace is never made inside another: commands run in a subfolder find the outer one.
        const outer = existsSync(join(dir, CONFIG_FILE)) ? null : enclosingWorkspace(dirname(dir));
        if (outer !== null)
          throw new CensusError(
            'usage',
            `${dir} is inside the workspace ${outer}; a workspace is not made inside another.`,
            `Use that workspace (commands run in its subfolders find it), or choose a folder outside it.`,
          );
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
