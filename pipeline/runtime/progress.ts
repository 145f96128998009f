import type { Progress } from './ctx.ts';
import { safeName } from './terminal.ts';

/**
 * A bar with throughput and ETA on a terminal; plain lines ("[3/12] file.xlsx") when stderr is not a TTY,
 * so logs of CI and cron stay readable.
 */
export async function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  if (!stream.isTTY) return plainProgress(stream);
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      // ETA from the second file on: before any file is done there is nothing to estimate from.
      // A narrow terminal gets a shorter bar and line (the terminal cuts, not wraps, what is longer).
      format:
        (stream.columns || 80) < 100
          ? '{what} |{bar}| {value}/{total} | ETA {eta_text}'
          : '{what} |{bar}| {value}/{total} files | {rate} files/s | ETA {eta_text} | {detail}',
      barsize: Math.max(10, Math.min(40, (stream.columns || 80) - 50)),
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  return {
    start(total, what) {
      started = Date.now();
      bar.start(total, 0, { what, detail: '', rate: '0.0', eta_text: '--' });
    },
    tick(detail) {
      const done = bar.getProgress() * bar.getTotal() + 1;
      const secs = Math.max((Date.now() - started) / 1000, 0.001);
      const left = Math.max(bar.getTotal() - done, 0);
      bar.increment(1, {
        detail: safeName(detail).slice(0, 40),
        rate: (done / secs).toFixed(1),
        eta_text: eta((left * secs) / done),
      });
    },
    stop() {
      bar.stop();
    },
  };
}

function plainProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  let total = 0;
  let done = 0;
  return {
    start(t, what) {
      total = t;
      done = 0;
      stream.write(`${what}: ${t} file(s)\n`);
    },
    tick(detail) {
      done += 1;
      stream.write(`[${done}/${total}] ${safeName(detail)}\n`);
    },
    stop() {},
  };
}

/** "45s", "3m 05s", "1h 02m". */
function eta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * "Starting the database…" on stderr while a command waits for the embedded server (a few
 * seconds), on a terminal only: the line is cleared once the database answers, so nothing is left
 * in the output. Logs (stderr not a TTY) get nothing, as the status says nothing they need.
 */
export function databaseStatus(stream: NodeJS.WriteStream = process.stderr): { done(): void } {
  if (!stream.isTTY) return { done() {} };
  stream.write('Starting the database…');
  let shown = true;
  return {
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
