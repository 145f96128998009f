import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../../pipeline/runtime/ctx.ts';
import { fixedClock, memoryLogger, silentProgress } from '../../pipeline/runtime/ctx.ts';
import { createWorkspace } from '../../pipeline/runtime/workspace.ts';
import type { TestDb } from './db.ts';

export const PINNED_NOW = '2025-06-30T09:00:00Z';

/** A ctx on a real test database and a temporary workspace, with the clock pinned. */
export function testCtx(
  db: TestDb,
  opts: { now?: string; dir?: string } = {},
): Ctx & { log: ReturnType<typeof memoryLogger> } {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'census-ws-'));
  const { workspace } = createWorkspace(dir, 'url');
  return {
    db: db.db,
    pool: db.pool,
    clock: fixedClock(opts.now ?? PINNED_NOW),
    log: memoryLogger(),
    progress: silentProgress,
    workspace,
    codeVersion: 'test',
  };
}
