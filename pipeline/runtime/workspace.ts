import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CensusError } from '../../schemas/fault.ts';

/**
 * A workspace is a folder holding one research team's census: config, raw store, reports, and
 * (by default) the embedded database. Several can live side by side.
 */
export const limitsSchema = z.object({
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  maxRows: z.number().int().positive().default(2_000_000),
  maxPages: z.number().int().positive().default(2_000),
  maxUnzippedBytes: z
    .number()
    .int()
    .positive()
    .default(500 * 1024 * 1024),
  maxZipEntries: z.number().int().positive().default(10_000),
  parseTimeoutMs: z.number().int().positive().default(120_000),
});
export type Limits = z.infer<typeof limitsSchema>;

export const configSchema = z.object({
  version: z.literal(1),
  database: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('embedded'), dir: z.string().default('.census/pg') }),
    z.object({ kind: z.literal('url'), env: z.string().default('DATABASE_URL') }),
  ]),
  store: z.string().default('store'),
  reports: z.string().default('reports'),
  /** Extra question lists (`<wave>.json`) for waves the code does not ship. */
  waves: z.string().default('waves'),
  limits: limitsSchema.default(limitsSchema.parse({})),
});
type Config = z.infer<typeof configSchema>;

export interface Workspace {
  dir: string;
  config: Config;
  storeDir: string;
  reportsDir: string;
  wavesDir: string;
  embeddedDir: string;
}

export const CONFIG_FILE = 'census.json';

export function resolveWorkspaceDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, flag ?? env.CENSUS_WORKSPACE ?? '.');
}

function fromConfig(dir: string, config: Config): Workspace {
  return {
    dir,
    config,
    storeDir: join(dir, config.store),
    reportsDir: join(dir, config.reports),
    wavesDir: join(dir, config.waves),
    embeddedDir: join(dir, config.database.kind === 'embedded' ? config.database.dir : '.census/pg'),
  };
}

export function loadWorkspace(dir: string): Workspace {
  const file = join(dir, CONFIG_FILE);
  if (!existsSync(file)) {
    throw new CensusError(
      'workspace_missing',
      `${dir} is not a census workspace (no ${CONFIG_FILE}).`,
      `Run \`census init --workspace ${dir}\` first, or pass --workspace / set CENSUS_WORKSPACE to an existing one.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CensusError(
      'usage',
      `${file} is not valid JSON: ${(err as Error).message}`,
      'Fix the file or recreate it with `census init`.',
    );
  }
  const res = configSchema.safeParse(parsed);
  if (!res.success) {
    const first = res.error.issues[0];
    throw new CensusError(
      'usage',
      `${file} is not a valid census config: ${first?.path.join('.')}: ${first?.message}`,
      'Fix the field named, or recreate the file with `census init`.',
    );
  }
  return fromConfig(dir, res.data);
}

export function createWorkspace(dir: string, database: 'embedded' | 'url'): { workspace: Workspace; created: boolean } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CONFIG_FILE);
  const created = !existsSync(file);
  if (created) {
    const config = configSchema.parse({
      version: 1,
      database: database === 'embedded' ? { kind: 'embedded' } : { kind: 'url' },
    });
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  }
  const ws = loadWorkspace(dir);
  for (const d of [ws.storeDir, ws.reportsDir, ws.wavesDir]) mkdirSync(d, { recursive: true });
  return { workspace: ws, created };
}
