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
      format: '{what} |{bar}| {value}/{total} files | {rate} files/s | ETA {eta_formatted} | {detail}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  return {
    start(total, what) {
      started = Date.now();
      bar.start(total, 0, { what, detail: '', rate: '0.0' });
    },
    tick(detail) {
      const done = bar.getProgress() * bar.getTotal() + 1;
      const secs = Math.max((Date.now() - started) / 1000, 0.001);
      bar.increment(1, { detail: safeName(detail).slice(0, 40), rate: (done / secs).toFixed(1) });
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
