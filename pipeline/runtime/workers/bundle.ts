import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The parse workers' code as plain JavaScript. Under tsx every worker would transpile our
 * TypeScript again in a loader thread of its own: 2.5 s of CPU per worker on these machines
 * (measured), more than parsing a year's returns takes. esbuild (which tsx already uses) bundles
 * the reader modules once, one entry file per task module with shared chunks, so a worker parsing
 * returns never loads pdf.js; packages stay outside the bundle and load from node_modules as usual.
 *
 * The bundle is kept in node_modules/.cache/parent-infant-census under a key made of the size and
 * time of every source file, so it is rebuilt only when a source changed. A task whose module is in
 * the bundle runs from it; any other module (tests' own tasks) still loads through tsx. Set
 * CENSUS_PARSE_BUNDLE=0 to load everything through tsx.
 */
export interface ParseBundle {
  /** Module URL as callers name it (import.meta.url) -> URL of its entry file in the bundle. */
  modules: Record<string, string>;
}

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRIES: Record<string, string> = {
  extract: 'pipeline/ingest/questionnaire/extract.ts',
  foiExtract: 'pipeline/ingest/foi/extract.ts',
  foiReaders: 'pipeline/ingest/foi/readers.ts',
  extractTask: 'pipeline/ingest/extract-task.ts',
  // The review desk's evidence previews (sheet regions read by the same grid readers).
  deskPreview: 'pipeline/desk/preview-task.ts',
};
const SOURCE_DIRS = ['pipeline', 'sources', 'schemas'];

function sourceKey(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|json)$/.test(e.name)) {
        const s = statSync(p);
        h.update(`${relative(ROOT, p)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return h.digest('hex').slice(0, 16);
}

let cached: ParseBundle | null | undefined;

/** The bundle, built if its sources changed; null when it cannot be built (then workers use tsx). */
export async function parseBundle(): Promise<ParseBundle | null> {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.CENSUS_PARSE_BUNDLE === '0') return cached;
  try {
    const dir = join(ROOT, 'node_modules', '.cache', 'parent-infant-census', `parse-worker-${sourceKey()}`);
    if (!existsSync(dir)) {
      const esbuild = await import('esbuild');
      const out = await esbuild.build({
        entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, join(ROOT, path)])),
        bundle: true,
        splitting: true,
        packages: 'external',
        format: 'esm',
        platform: 'node',
        target: 'node20',
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        write: false,
        logLevel: 'silent',
      });
      // Written under a temporary name and renamed: a process starting at the same time never imports half a bundle.
      const tmp = `${dir}.${process.pid}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      for (const f of out.outputFiles) {
        const target = join(tmp, relative(dir, f.path));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, f.contents);
      }
      // Bundles of earlier sources: kept an hour, in case a run that started before the edit still reads one.
      for (const e of readdirSync(dirname(dir))) {
        const old = join(dirname(dir), e);
        if (e.startsWith('parse-worker-') && statSync(old).mtimeMs < Date.now() - 3_600_000)
          rmSync(old, { recursive: true, force: true });
      }
      try {
        renameSync(tmp, dir);
      } catch (err) {
        // Another process renamed its identical bundle first.
        rmSync(tmp, { recursive: true, force: true });
        if (!existsSync(dir)) throw err;
      }
    }
    cached = {
      modules: Object.fromEntries(
        Object.entries(ENTRIES).map(([name, path]) => [
          pathToFileURL(join(ROOT, path)).href,
          pathToFileURL(join(dir, `${name}.mjs`)).href,
        ]),
      ),
    };
  } catch {
    cached = null;
  }
  return cached;
}
