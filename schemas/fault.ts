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

/**
 * The one list of low-level error codes that mean "the environment failed, not the data": the
 * database went away (socket errors, PostgreSQL's admin-shutdown and connection classes) or the
 * disk is full. pg's own "connection terminated" errors carry no code and are told by their text.
 */
const DATABASE_LOST_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08001',
  '08003',
  '08006',
]);
const DATABASE_LOST_TEXT =
  /Connection terminated|connection.*(closed|ended)|terminating connection|Client has encountered a connection error|Client was closed/i;

/** The fault a low-level error stands for, or null when it is not a fault of the environment. */
function environmentFaultOf(err: unknown): 'disk_full' | 'database_unreachable' | null {
  const e = err as { code?: string; message?: string } | null;
  if (e?.code === 'ENOSPC') return 'disk_full';
  if (DATABASE_LOST_CODES.has(e?.code ?? '') || DATABASE_LOST_TEXT.test(e?.message ?? ''))
    return 'database_unreachable';
  return null;
}

/** True for faults of the environment (exit 3): a CensusError of that class, or a low-level error from the list above. */
export function isEnvironmentFault(err: unknown): boolean {
  if (err instanceof CensusError) return err.exitCode === EXIT.environment && err.code !== 'internal';
  return environmentFaultOf(err) !== null;
}

/** Turns low-level errors (ENOSPC, ECONNREFUSED...) into CensusError with a next step. */
export function asCensusError(err: unknown, where: string): CensusError {
  if (err instanceof CensusError) return err;
  const e = err as NodeJS.ErrnoException & { code?: string };
  const fault = environmentFaultOf(err);
  if (fault === 'disk_full') {
    return new CensusError(
      'disk_full',
      `No space left on the device while ${where}.`,
      'Free some disk space and run the command again; nothing half-written was kept.',
      { cause: err },
    );
  }
  if (fault === 'database_unreachable') {
    return new CensusError(
      'database_unreachable',
      `The database could not be reached while ${where} (${e.code ?? 'connection lost'}: ${e.message}).`,
      "Check that the PostgreSQL server named by DATABASE_URL (or the workspace's embedded server) is running, then run the command again; the file being loaded was rolled back.",
      { cause: err },
    );
  }
  return new CensusError(
    'internal',
    `Unexpected failure while ${where}: ${e?.message ?? String(err)}`,
    'This is a bug or an environment fault; run the command again with --debug (census --debug <command> ...) and report what it prints.',
    { cause: err },
  );
}
