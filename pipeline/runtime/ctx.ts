import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../schemas/db.ts';
import type { Workspace } from './workspace.ts';
import { terminalText, terminalWidth, wrapAtSpaces } from './terminal.ts';

/** Everything a stage may touch besides its input. Stages never read process.env or Date.now(). */
export interface Ctx {
  db: Kysely<Database>;
  /** The pg pool behind `db`, for what Kysely does not do (COPY of large record-level replies); absent = those use the ordinary path. */
  pool?: pg.Pool;
  clock: Clock;
  log: Logger;
  progress: Progress;
  workspace: Workspace;
  /** Version of this code (package version + git commit when known), recorded on runs and builds. */
  codeVersion: string;
  /** Who runs the command, for the audit log: --by where a command takes it, else $CENSUS_USER or the login name. */
  actor?: string;
  /**
   * Named points in the write path ('store:tmp-written', 'load:in-transaction', 'ingest:file-done').
   * Only the crash-safety tests set it (through CENSUS_CRASH_AT), to SIGKILL the process exactly there.
   */
  checkpoint?: (point: string) => void;
  /**
   * Set by the ingest job for its files' loads: runs one file's load in the open group of files
   * (pipeline/db/commit-group.ts), under a savepoint of its own. Absent: the load is a transaction
   * of its own. Loads call it through fileTransaction() of pipeline/db/commit-group.ts.
   */
  fileTransaction?: <T>(fn: (trx: Transaction<Database>) => Promise<T>, rows?: (result: T) => number) => Promise<T>;
}

/** Builds a checkpoint that SIGKILLs this process on the n-th pass through `point` ("load:in-transaction#3"). */
export function crashAt(spec: string | undefined): ((point: string) => void) | undefined {
  if (!spec) return undefined;
  const [point, nth] = spec.split('#');
  let seen = 0;
  const n = Number(nth ?? '1');
  return (p) => {
    if (p === point && ++seen === n) process.kill(process.pid, 'SIGKILL');
  };
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock {
  const t = new Date(iso);
  return { now: () => new Date(t) };
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Every line written, for tests that scan logs (personal-data canaries). */
  readonly lines?: string[];
}

/** Human messages go to stderr so stdout stays clean for --json and tables. */
export function stderrLogger(opts: { quiet?: boolean } = {}): Logger {
  // Messages quote file names, sheet names and cell text: control characters are made visible. On a
  // terminal they are wrapped at spaces to its width ($COLUMNS first); piped or logged, lines stay whole.
  const line = (m: string): string => {
    const text = terminalText(m);
    return process.stderr.isTTY ? wrapAtSpaces(text, terminalWidth(process.env, process.stderr)) : text;
  };
  return {
    info: (m) => {
      if (!opts.quiet) process.stderr.write(`${line(m)}\n`);
    },
    warn: (m) => process.stderr.write(`${line(`warning: ${m}`)}\n`),
    error: (m) => process.stderr.write(`${line(`error: ${m}`)}\n`),
  };
}

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

export interface Progress {
  start(total: number, what: string): void;
  tick(detail: string): void;
  stop(): void;
}

export const silentProgress: Progress = { start: () => {}, tick: () => {}, stop: () => {} };
