import { Command } from 'commander';
import { sayWhatToDo } from '../run.ts';
import { asCensusError, CensusError } from '../../../schemas/fault.ts';
import { stderrLogger } from '../../runtime/ctx.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';

/**
 * `census stop`: the workspace's embedded PostgreSQL, kept warm after the last command for the
 * idle time (CENSUS_DB_IDLE_SECONDS or census.json database.idleSeconds), is stopped now.
 */
export function stopCommand(): Command {
  return new Command('stop')
    .description("Stop the workspace's embedded database server now (it is otherwise kept up for a short idle time).")
    .option('--workspace <dir>', 'workspace folder')
    .addHelpText(
      'after',
      `
Examples:
  census stop
  census stop --workspace ~/census
After a command the server stays up for the idle time (default 180 s; CENSUS_DB_IDLE_SECONDS, or
"idleSeconds" under "database" in census.json; 0 stops it when each command ends). A command that
is still running keeps it: stop then refuses (exit 3) and the last command stops it as usual.`,
    )
    .action(async (opts: { workspace?: string }) => {
      const log = stderrLogger();
      try {
        const ws = loadWorkspace(resolveWorkspaceDir(opts.workspace, process.env, process.cwd()));
        if (ws.config.database.kind !== 'embedded') {
          log.info('This workspace uses a PostgreSQL server of its own (DATABASE_URL): census does not stop it.');
          process.exitCode = 0;
          return;
        }
        const { stopEmbedded } = await import('../../db/embedded.ts');
        const r = await stopEmbedded(ws.embeddedDir);
        if (r.busy.length)
          throw new CensusError(
            'lock_busy',
            `The workspace database server is in use by census process ${r.busy.join(', ')}; it was not stopped.`,
            'Wait for those commands to finish: the last one stops it (after the idle time), or run census stop again then.',
          );
        log.info(
          r.stopped === null
            ? 'No database server is running for this workspace.'
            : `Stopped the workspace database server (pid ${r.stopped}).`,
        );
        process.exitCode = 0;
      } catch (err) {
        const e = asCensusError(err, 'stopping the database server');
        log.error(e.message);
        sayWhatToDo(e.hint);
        process.exitCode = e.exitCode;
      }
    });
}
