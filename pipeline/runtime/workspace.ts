import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { CensusError } from '../../schemas/fault.ts';

/**
 * A workspace is a folder holding one research team's census: config, raw store, reports, and
 * (by default) the embedded database. Several can live side by side.
 */
const GiB = 1024 * 1024 * 1024;
/** Each limit has a ceiling: a census.json (typed, or from a backup) cannot switch a guard off. */
export const limitsSchema = z.object({
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .max(2 * GiB)
    .default(200 * 1024 * 1024),
  maxRows: z.number().int().positive().max(20_000_000).default(2_000_000),
  maxPages: z.number().int().positive().max(100_000).default(2_000),
  maxUnzippedBytes: z
    .number()
    .int()
    .positive()
    .max(4 * GiB)
    .default(500 * 1024 * 1024),
  maxZipEntries: z.number().int().positive().max(1_000_000).default(10_000),
  parseTimeoutMs: z.number().int().positive().max(3_600_000).default(120_000),
});
export type Limits = z.infer<typeof limitsSchema>;

export const configSchema = z.object({
  version: z.literal(1),
  database: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('embedded'),
      dir: z.string().default('.census/pg'),
      /** Seconds the embedded server stays up after the last command (CENSUS_DB_IDLE_SECONDS wins; default 180). */
      idleSeconds: z.number().int().min(0).max(86_400).optional(),
    }),
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

/**
 * The workspace a command works in: --workspace, else $CENSUS_WORKSPACE, else the nearest folder
 * from the current one upwards that holds a census.json (like git), else the current folder.
 */
export function resolveWorkspaceDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const named = flag ?? env.CENSUS_WORKSPACE;
  if (named !== undefined && named !== '') return resolve(cwd, named);
  return enclosingWorkspace(resolve(cwd)) ?? resolve(cwd);
}

/** The nearest folder holding a census.json: `dir` itself or one of its parents; null when none does. */
export function enclosingWorkspace(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, CONFIG_FILE))) return d;
    if (dirname(d) === d) return null;
  }
}

/** Folders named in census.json: relative to the workspace, or absolute (honoured as written). */
function fromConfig(dir: string, config: Config): Workspace {
  return {
    dir,
    config,
    storeDir: resolve(dir, config.store),
    reportsDir: resolve(dir, config.reports),
    wavesDir: resolve(dir, config.waves),
    embeddedDir: resolve(dir, config.database.kind === 'embedded' ? config.database.dir : '.census/pg'),
  };
}

/**
 * For a census.json that did not come from this machine's user (a backup being restored): every
 * folder must stay inside the workspace. Returns what is wrong, or null.
 */
export function insideWorkspaceProblem(config: Config): string | null {
  const named: [string, string][] = [
    ['store', config.store],
    ['reports', config.reports],
    ['waves', config.waves],
  ];
  if (config.database.kind === 'embedded') named.push(['database.dir', config.database.dir]);
  for (const [key, value] of named) {
    const parts = value.split(/[\\/]+/);
    if (isAbsolute(value) || parts.includes('..') || value.trim() === '' || value.includes('\u0000'))
      return `names ${key} "${value}", which is not a folder inside the workspace`;
  }
  return null;
}

export function loadWorkspace(dir: string): Workspace {
  const file = join(dir, CONFIG_FILE);
  if (!existsSync(file)) {
    throw new CensusError(
      'workspace_missing',
      `${dir} is not a census workspace (no ${CONFIG_FILE}).`,
      `Give --workspace (or CENSUS_WORKSPACE) the folder that holds your census.json, or run census from inside it; if ${dir} is where a new workspace should be, \`census init --workspace ${dir}\` makes one there.`,
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

/**
 * Private by default: the workspace and its folders are made 0700 and census.json 0600 (the umask
 * can only narrow that further); personal data never lands world-readable.
 */
export function createWorkspace(dir: string, database: 'embedded' | 'url'): { workspace: Workspace; created: boolean } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, CONFIG_FILE);
  const created = !existsSync(file);
  if (created) {
    const config = configSchema.parse({
      version: 1,
      database: database === 'embedded' ? { kind: 'embedded' } : { kind: 'url' },
    });
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  }
  const ws = loadWorkspace(dir);
  for (const d of [ws.storeDir, ws.reportsDir, ws.wavesDir]) mkdirSync(d, { recursive: true, mode: 0o700 });
  return { workspace: ws, created };
}
