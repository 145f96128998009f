/** Tasks for test/pipeline/worker-pool.test.ts, run inside pool workers. */
export async function after(ms: number, value: unknown): Promise<unknown> {
  await new Promise((r) => setTimeout(r, ms));
  return value;
}

export function fail(message: string): never {
  throw new Error(message);
}

/** Busy for ever: only terminating the worker stops it. */
export function spin(): never {
  for (;;) {
    /* a parse that never ends */
  }
}

export function threadId(): Promise<number> {
  return import('node:worker_threads').then((w) => w.threadId);
}
