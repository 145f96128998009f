import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../pipeline/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    serverKind: string;
  }
}

/**
 * One PostgreSQL server for the whole run: the system server named by DATABASE_URL when set (CI's
 * second pass), else an embedded one in a temporary folder. Each test file makes its own database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.TZ = 'Europe/London';
  if (process.env.DATABASE_URL) {
    project.provide('adminUrl', process.env.DATABASE_URL);
    project.provide('serverKind', 'DATABASE_URL');
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'census-test-pg-'));
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const server = await startEmbedded(dir, silent);
  project.provide('adminUrl', server.url.replace(/\/census$/, '/postgres'));
  project.provide('serverKind', 'embedded');
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
