import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { CensusError } from '../../schemas/fault.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { deskApp } from './app.ts';
import { checkHostRule, hasPassword, isLoopback, readPassword } from './security.ts';

export interface RunningDesk {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the desk's HTTP server: on the loopback interface unless `host` says otherwise, which needs
 * the workspace's password to be set (checked before anything listens). `ctx()` is called once per
 * request.
 */
export async function startDesk(opts: {
  ctx: () => Ctx;
  workspace: Ctx['workspace'];
  host?: string;
  port?: number;
  log: Ctx['log'];
}): Promise<RunningDesk> {
  const host = opts.host ?? '127.0.0.1';
  const passwordSet = hasPassword(opts.workspace);
  checkHostRule(host, passwordSet);
  const loopback = isLoopback(host);
  // A loopback desk without a password still signs nobody in; with one set, it asks for it everywhere.
  const password = passwordSet ? readPassword(opts.workspace) : null;
  let port = opts.port ?? 0;
  const shown = host.includes(':') ? `[${host}]` : host;
  // Its own names: the usual loopback ones and the address it listens on (127.0.0.2 is loopback too).
  const names = (): Set<string> =>
    new Set(['127.0.0.1', 'localhost', '[::1]', shown.toLowerCase()].map((n) => `${n}:${port}`));
  const app = deskApp({
    ctx: opts.ctx,
    password,
    log: opts.log,
    ...(loopback ? { allowedHost: (h: string) => names().has(h) } : {}),
  });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new CensusError(
          'usage',
          `The review desk cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}.`,
          'Pick another port with --port N (or --port 0 for any free one).',
          { cause: err },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as import('node:http').Server).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
