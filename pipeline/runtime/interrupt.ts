/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP end a command with 128 + the signal number and one message
 * saying it was interrupted. The CLI's entry point records the signal here first; the code that
 * then sees its queries fail (the embedded server is stopped on the way out) stays quiet, since
 * the interruption, not the database, is the cause.
 */
let signal: NodeJS.Signals | null = null;

const CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export function markInterrupted(sig: NodeJS.Signals): number {
  signal ??= sig;
  return CODES[signal] ?? 130;
}

/** The signal that interrupted this process, if any. */
export function interruptedBy(): NodeJS.Signals | null {
  return signal;
}

export function interruptExitCode(): number {
  return signal ? (CODES[signal] ?? 130) : 0;
}
