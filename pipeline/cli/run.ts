import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ctx, Logger, Progress } from '../runtime/ctx.ts';
import { crashAt, silentProgress, stderrLogger, systemClock } from '../runtime/ctx.ts';
import { CensusError, EXIT, asCensusError } from '../../schemas/fault.ts';
import { loadWorkspace, resolveWorkspaceDir, type Workspace } from '../runtime/workspace.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { interruptExitCode, interruptedBy } from '../runtime/interrupt.ts';
import { terminalText, terminalWidth, wrapAtSpaces, wrapCell } from '../runtime/terminal.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let cachedVersion: string | null = null;
/** package version + git commit: recorded on runs and in report manifests. */
function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  let commit = 'nogit';
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    /* not a git checkout: the version alone */
  }
  cachedVersion = `${pkg.version}+${commit}`;
  return cachedVersion;
}

export interface CommonOptions {
  workspace?: string;
  json?: boolean;
  wait?: boolean;
}

export interface RunOptions {
  /** Takes the database write lock for the whole command. */
  writes: boolean;
  /** Shows a progress bar (TTY) or lines. */
  progress?: boolean;
  /** Connects as the embedded database's read-only role (commands that only read: report, issues, verify). */
  readOnly?: boolean;
}

/**
 * Opens the workspace and database, migrates, builds ctx, runs the command, and always closes the
 * database (stopping the embedded server). Returns the process exit code.
 */
export async function withCtx(
  opts: CommonOptions,
  run: RunOptions,
  body: (ctx: Ctx, db: DatabaseHandle) => Promise<number>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log: Logger = stderrLogger({ quiet: opts.json === true });
  let handle: DatabaseHandle | null = null;
  let release: (() => Promise<void>) | null = null;
  try {
    const workspace: Workspace = loadWorkspace(resolveWorkspaceDir(opts.workspace, env, process.cwd()));
    const [{ openDatabase, prepareDatabase }, { acquireWriteLock }, { terminalProgress, databaseStatus }] =
      await Promise.all([import('../db/connect.ts'), import('../db/lock.ts'), import('../runtime/progress.ts')]);
    // The embedded server takes seconds to start: say so on a terminal (with --json too; it is stderr).
    const status = env.DATABASE_URL ? { done() {} } : databaseStatus();
    // A message while the status line shows ("server kept warm") clears it first, not appended to it.
    const said =
      (say: (m: string) => void) =>
      (m: string): void => {
        status.done();
        say(m);
      };
    handle = await openDatabase({
      url: env.DATABASE_URL || undefined,
      embeddedDir: workspace.embeddedDir,
      workspaceDir: workspace.dir,
      log: { info: said(log.info.bind(log)), warn: said(log.warn.bind(log)), error: said(log.error.bind(log)) },
      as: run.readOnly ? 'reader' : 'owner',
      // Said once per server run, on a terminal only: piped output and logs stay as they were.
      onKeptWarm: (seconds) => {
        if (!process.stderr.isTTY) return false;
        process.stderr.write(`${keptWarmLine(seconds, workspace.dir, env)}\n`);
        return true;
      },
    }).finally(() => status.done());
    // One query when the database is current; else migrate and secure (pipeline/db/connect.ts).
    await prepareDatabase(handle);
    if (run.writes)
      release = (await acquireWriteLock(handle.pool, { wait: opts.wait !== false, log, what: 'this command' })).release;
    const progress: Progress = run.progress && !opts.json ? await terminalProgress() : silentProgress;
    const ctx: Ctx = {
      db: handle.db,
      pool: handle.pool,
      clock: systemClock,
      log,
      progress,
      workspace,
      // Read when a command records it (runs, manifests): `git rev-parse` costs a process start
      // that a read command need not pay.
      get codeVersion() {
        return codeVersion();
      },
    };
    ctx.actor = env.CENSUS_USER ?? userInfo().username;
    const checkpoint = crashAt(env.CENSUS_CRASH_AT);
    if (checkpoint) ctx.checkpoint = checkpoint;
    return await body(ctx, handle);
  } catch (err) {
    // Interrupted: the entry point has said so and is stopping the server; the failures that
    // follow from that are not the cause.
    if (interruptedBy()) return interruptExitCode();
    const e = asCensusError(err, 'running the command');
    log.error(e.message);
    // A connection lost mid-run: say which server, so the user knows what to check.
    if (e.code === 'database_unreachable' && handle) log.error(`database: ${handle.describe}`);
    sayWhatToDo(e.hint);
    // --debug: where it failed, in the TypeScript (bin/census turns source maps on for it).
    if (env.CENSUS_DEBUG === '1') log.error(debugStack(err));
    return e.exitCode;
  } finally {
    if (release) await release().catch(() => {});
    if (handle) await handle.close().catch(() => {});
  }
}

/**
 * What a person at a terminal is told, once per server run, when a command leaves the workspace's
 * embedded server up: how long, why, and the command that stops it now (with --workspace when the
 * workspace is not the one census would find from here).
 */
function keptWarmLine(seconds: number, workspaceDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const time =
    seconds % 60 === 0
      ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
      : `${seconds} second${seconds === 1 ? '' : 's'}`;
  // With --workspace when it is not the workspace census finds from here by itself.
  const found = resolveWorkspaceDir(undefined, env, process.cwd()) === workspaceDir;
  const dir = /^[\w./~+-]+$/.test(workspaceDir) ? workspaceDir : `'${workspaceDir.replace(/'/g, `'\\''`)}'`;
  const stop = found ? 'census stop' : `census stop --workspace ${dir}`;
  // The sentence fits the terminal; the command is on a line of its own, never cut.
  const said = `The database server stays up for ${time} after this command, so the next one starts at once.`;
  return [...wrapCell(said, terminalWidth(env, process.stderr)), `To stop it now: ${stop}`].join('\n');
}

/**
 * The advice under an error message, on stderr: "what to do: ..." on a line of its own, not a second
 * "error: " line (every command prints it so).
 */
export function sayWhatToDo(hint: string): void {
  const text = `what to do: ${terminalText(hint)}`;
  // Wrapped at spaces on a terminal (a command in it never cut); whole when piped.
  process.stderr.write(
    `${process.stderr.isTTY ? wrapAtSpaces(text, terminalWidth(process.env, process.stderr)) : text}\n`,
  );
}

/** An error's stack with the stacks of its causes. */
function debugStack(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    e = e instanceof Error ? e.cause : undefined;
    if (e !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}

export function usageError(message: string, hint: string): CensusError {
  return new CensusError('usage', message, hint);
}

export function parseWave(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2000 || n > 2100)
    throw usageError(`--wave must be a year such as 2025, not "${v}".`, 'Pass --wave YYYY.');
  return n;
}

export { EXIT };
