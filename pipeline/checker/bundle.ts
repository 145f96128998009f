import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The self-check page's script: `browser.ts` and everything it imports (the questionnaire readers,
 * preflight, validate, the issue catalogue and the team wording: the product's own modules, not a
 * copy) bundled by esbuild for a browser, minified, as one IIFE the page inlines.
 *
 * What the browser lacks is given by small shims, never by another version of a rule:
 * `Buffer` is the `buffer` package's (injected), `node:zlib`'s inflateRawSync is pako's with the
 * same output cap (shims/zlib.ts), and exceljs is its own browser build (dist/exceljs.bare.min.js,
 * the same library and version). Left out, as never used by the page: iconv-lite's CJK tables (only
 * UTF-16 and Windows-1252 are decoded) and zod's error messages in languages other than English.
 *
 * Kept in node_modules/.cache/parent-infant-census/ with the size and time of every file that went
 * in (esbuild's metafile), of this file and of esbuild's package.json: built again only when one of
 * them changed. `npm run build`
 * (scripts/build.mjs) builds it, so `census template --with-checker` finds it ready.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = 'pipeline/checker/browser.ts';
const BUILDER = 'pipeline/checker/bundle.ts';
const CACHE = join(ROOT, 'node_modules', '.cache', 'parent-infant-census');
const SCRIPT = join(CACHE, 'checker-script.js');
const INPUTS = join(CACHE, 'checker-script.inputs.json');

type Stamps = Record<string, [number, number]>;

function stampOf(rel: string): [number, number] | null {
  try {
    const s = statSync(join(ROOT, rel));
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
}

function upToDate(): boolean {
  if (!existsSync(SCRIPT) || !existsSync(INPUTS)) return false;
  try {
    const stamps = JSON.parse(readFileSync(INPUTS, 'utf8')) as Stamps;
    return Object.entries(stamps).every(([rel, [size, mtime]]) => {
      const now = stampOf(rel);
      return now !== null && now[0] === size && now[1] === mtime;
    });
  } catch {
    return false;
  }
}

/** The page's script (minified JavaScript), built when a file it is made of changed. */
export async function checkerScript(): Promise<string> {
  if (upToDate()) return readFileSync(SCRIPT, 'utf8');
  const esbuild = await import('esbuild');
  const shim = (f: string): string => join(ROOT, 'pipeline', 'checker', 'shims', f);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, ENTRY)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15', 'edge100'],
    minify: true,
    legalComments: 'none',
    write: false,
    metafile: true,
    logLevel: 'silent',
    charset: 'utf8',
    alias: {
      exceljs: join(ROOT, 'node_modules', 'exceljs', 'dist', 'exceljs.bare.min.js'),
      'node:zlib': shim('zlib.ts'),
      zlib: shim('zlib.ts'),
    },
    inject: [shim('buffer.ts')],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'leave-out-what-the-page-never-uses',
        setup(build) {
          build.onLoad({ filter: /iconv-lite[\\/]encodings[\\/]tables[\\/].*\.json$/ }, () => ({
            contents: '[]',
            loader: 'json',
          }));
          // zod's error messages in other languages (re-exported by zod, never switched to here).
          // (esbuild's filters are Go regular expressions, without look-ahead: en.js and index.js are kept here.)
          build.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/][^\\/]+\.js$/ }, (args) =>
            /[\\/](?:en|index)\.js$/.test(args.path)
              ? undefined
              : { contents: 'export default () => ({ localeError: () => undefined });', loader: 'js' },
          );
        },
      },
    ],
  });
  const js = result.outputFiles[0]!.text;
  const stamps: Stamps = {};
  // What went in, and what made it: this file's options and esbuild's version.
  for (const input of [...Object.keys(result.metafile.inputs), BUILDER, 'node_modules/esbuild/package.json']) {
    const rel = relative(ROOT, join(ROOT, input));
    const s = stampOf(rel);
    if (s) stamps[rel] = s;
  }
  // Written under temporary names and renamed: a command reading meanwhile never sees half a script.
  mkdirSync(CACHE, { recursive: true });
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(SCRIPT + tmp, js);
  writeFileSync(INPUTS + tmp, JSON.stringify(stamps));
  renameSync(SCRIPT + tmp, SCRIPT);
  renameSync(INPUTS + tmp, INPUTS);
  return js;
}
