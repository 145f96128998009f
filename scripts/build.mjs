#!/usr/bin/env node
// Builds the census CLI into dist/ (git-ignored): one esbuild bundle of pipeline/cli/bin.ts with
// code splitting, so a command loads only its own modules, and source maps beside it (bin/census
// --debug turns them on, so stack traces name the TypeScript files and lines). Packages stay in
// node_modules. Run by `npm ci` / `npm install` (the `prepare` script) and by bin/census itself when
// a source file is newer than the last build (a dev checkout).
//
// Modules find files beside them through import.meta (sql/, reference/, schemas/*.json, the parse
// workers' modules). Every output file sits directly in dist/, one folder below the package root,
// so each source module's import.meta.url/dirname/filename is rewritten to its own place in the
// tree, relative to the bundle file that holds it: paths resolve from the package root exactly as
// under tsx, and the clone can be moved after a build.
//
// Each build goes to a folder of its own (dist/b-<time>-<pid>) and dist/current, a symbolic link,
// is switched to it in one rename: a command starting meanwhile never loads half a build, and one
// already running keeps loading its chunks from the build it started with (node follows the link
// once, at start). Builds older than a day, other than the current one, are removed.
// dist/current/.stamp's time is the moment the build started, so a file saved during a build makes
// the next command build again. The build also makes the self-check page's browser script (pipeline/checker/bundle.ts).
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const quiet = process.argv.includes('--quiet');
const ENTRY = join(ROOT, 'pipeline', 'cli', 'bin.ts');

// One build at a time: a command that finds another build under way waits for it and uses it.
const LOCK = join(DIST, '.lock');
mkdirSync(DIST, { recursive: true });
for (;;) {
  try {
    mkdirSync(LOCK);
    break;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    let age = 0;
    try {
      age = Date.now() - statSync(LOCK).mtimeMs;
    } catch {
      continue; // released just now
    }
    if (age > 120_000) {
      rmSync(LOCK, { recursive: true, force: true }); // left by a build that was killed
      continue;
    }
    while (existsSync(LOCK)) await new Promise((r) => setTimeout(r, 100));
    process.exit(0);
  }
}
process.on('exit', () => rmSync(LOCK, { recursive: true, force: true }));

const started = new Date();
const esbuild = await import('esbuild');

const rewriteImportMeta = {
  name: 'census-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${join(ROOT, 'node_modules')}`)) return undefined;
      // The entry keeps its own import.meta: it reads commands.json beside the bundle.
      if (args.path === ENTRY) return undefined;
      let text = readFileSync(args.path, 'utf8');
      if (/\bimport\.meta\.(url|dirname|filename)\b/.test(text)) {
        const rel = JSON.stringify(`../../${relative(ROOT, args.path).split('\\').join('/')}`);
        const url = `(new URL(${rel}, import.meta.url).href)`;
        const file = `__censusFileURLToPath(new URL(${rel}, import.meta.url))`;
        text =
          `import { fileURLToPath as __censusFileURLToPath } from 'node:url';\nimport { dirname as __censusDirname } from 'node:path';\n` +
          text
            .replace(/\bimport\.meta\.url\b/g, url)
            .replace(/\bimport\.meta\.filename\b/g, `(${file})`)
            .replace(/\bimport\.meta\.dirname\b/g, `(__censusDirname(${file}))`);
      }
      return { contents: text, loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

// Packages the commands load on every start, bundled in: an ESM package of hundreds of small files
// (kysely ~265, zod ~100) costs a file open, a resolve and a compile each at every start, most of a
// read command's time (#18, measured). The rest stay in node_modules: big ones only some commands
// load (exceljs, pdf.js, vega...), and those that find files beside themselves (pdfkit's fonts, the
// embedded server's binaries).
const BUNDLED = new Set([
  'kysely',
  'zod',
  'pg',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'pg-connection-string',
  'pg-int8',
  'postgres-array',
  'postgres-bytea',
  'postgres-date',
  'postgres-interval',
  'xtend',
  'pgpass',
  'split2',
  'pg-copy-streams',
  'commander',
]);
const packageOf = (spec) => {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};
const bundleSome = {
  name: 'census-bundle-some',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.kind === 'entry-point') return undefined;
      return BUNDLED.has(packageOf(args.path)) ? undefined : { path: args.path, external: true };
    });
    // pg asks whether it runs in a Cloudflare Worker by making a fetch Response, which loads Node's
    // fetch implementation (undici): about 60 ms of every start. This is Node, never a Worker.
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const probe = 'function isCloudflareRuntime() {';
      if (!text.includes(probe)) return undefined;
      return { contents: text.replace(probe, `${probe}\n  return false;`), loader: 'js' };
    });
    // zod's `z` namespace carries every one of its ~40 locales (`z.locales`), so the bundle kept them
    // all: 750 kB that every command compiled at start (about 45 ms of CPU, measured). Nothing here
    // uses a locale but the default (English), which zod imports by itself.
    build.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const name = `b-${started.getTime()}-${process.pid}`;
const out = join(DIST, name);
try {
  const result = await esbuild.build({
    entryPoints: {
      census: ENTRY,
      'command-list': join(ROOT, 'pipeline', 'cli', 'command-list.ts'),
      'checker-bundle': join(ROOT, 'pipeline', 'checker', 'bundle.ts'),
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    // The bundled CommonJS packages (pg) require Node's own modules: give every chunk a require.
    banner: {
      js: "import { createRequire as __censusCreateRequire } from 'node:module';\nconst require = __censusCreateRequire(import.meta.url);",
    },
    platform: 'node',
    target: 'node20',
    outdir: out,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [bundleSome, rewriteImportMeta],
    metafile: process.argv.includes('--meta'),
  });
  if (result.metafile) writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
  // The top-level help's command list, from the commands themselves (loading them all, once).
  const { commandSummaries } = await import(pathToFileURL(join(out, 'command-list.mjs')).href);
  writeFileSync(join(out, 'commands.json'), `${JSON.stringify(await commandSummaries(), null, 1)}\n`);
  // The teams' self-check page's browser script (census template --with-checker), into its cache in
  // node_modules/.cache: built only when a file it is made of changed, so usually nothing to do. A
  // failure here stops no command: the template command builds it again and says why it cannot.
  try {
    const { checkerScript } = await import(pathToFileURL(join(out, 'checker-bundle.mjs')).href);
    await checkerScript();
  } catch (err) {
    process.stderr.write(`census: the self-check page's script could not be built: ${err?.message ?? err}\n`);
  }
} catch (err) {
  rmSync(out, { recursive: true, force: true });
  process.stderr.write(`census: the build failed: ${err?.stack ?? err}\n`);
  process.exit(1);
}
writeFileSync(join(out, '.stamp'), `${started.toISOString()}\n`);
utimesSync(join(out, '.stamp'), started, started);
const link = join(DIST, `current.${process.pid}.tmp`);
rmSync(link, { force: true });
symlinkSync(name, link);
renameSync(link, join(DIST, 'current'));
const current = readlinkSync(join(DIST, 'current'));
for (const e of readdirSync(DIST)) {
  const p = join(DIST, e);
  if (e === current || e === 'current' || !e.startsWith('b-')) continue;
  if (lstatSync(p).isDirectory() && statSync(p).mtimeMs < Date.now() - 86_400_000)
    rmSync(p, { recursive: true, force: true });
}
if (!quiet) process.stderr.write(`census: built ${relative(ROOT, out)} in ${Date.now() - started.getTime()} ms\n`);
