/**
 * Faults of the environment or the program. Problems in the data are `Issue` values, never these.
 * Each code maps to a documented exit code; each message says what failed and what to do next.
 */
export const EXIT = { ok: 0, dataErrors: 1, usage: 2, environment: 3 } as const;

export type FaultCode =
  | 'usage'
  | 'workspace_missing'
  | 'database_unreachable'
  | 'database_stale_server'
  | 'migration_mismatch'
  | 'store_write_failed'
  | 'disk_full'
  | 'wave_locked'
  | 'lock_busy'
  | 'calendar_range'
  | 'internal';

const exitFor: Record<FaultCode, number> = {
  usage: EXIT.usage,
  workspace_missing: EXIT.usage,
  wave_locked: EXIT.usage,
  calendar_range: EXIT.usage,
  lock_busy: EXIT.environment,
  database_unreachable: EXIT.environment,
  database_stale_server: EXIT.environment,
  migration_mismatch: EXIT.environment,
  store_write_failed: EXIT.environment,
  disk_full: EXIT.environment,
  internal: EXIT.environment,
};

export class CensusError extends Error {
  readonly code: FaultCode;
  /** What the user should do next. */
  readonly hint: string;
  constructor(code: FaultCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CensusError';
    this.code = code;
    this.hint = hint;
  }
  get exitCode(): number {
    return exitFor[this.code];
  }
}

/** Turns low-level errors (ENOSPC, ECONNREFUSED...) into CensusError with a next step. */
export function asCensusError(err: unknown, where: string): CensusError {
  if (err instanceof CensusError) return err;
  const e = err as NodeJS.ErrnoException & { code?: string };
  if (e?.code === 'ENOSPC') {
    return new CensusError('disk_full', `No space left on the device while ${where}.`, 'Free some disk space and run the command again; nothing half-written was kept.', { cause: err });
  }
  // Connection lost mid-run: reset sockets and pg's own "terminated" errors (which carry no code) too.
  const lost = ['ECONNRESET', 'EPIPE', '08003', '57P02'].includes(e?.code ?? '') || /Connection terminated|Client has encountered a connection error|Client was closed/i.test(e?.message ?? '');
  if (lost || e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'ETIMEDOUT' || e?.code === '57P01' || e?.code === '08006' || e?.code === '08001' || e?.code === '57P03') {
    return new CensusError('database_unreachable', `The database could not be reached while ${where} (${e.code}: ${e.message}).`, 'Check that the PostgreSQL server named by DATABASE_URL (or the workspace\'s embedded server) is running, then run the command again; the file being loaded was rolled back.', { cause: err });
  }
  return new CensusError('internal', `Unexpected failure while ${where}: ${e?.message ?? String(err)}`, 'This is a bug or an environment fault; rerun with --verbose and report the output.', { cause: err });
}
