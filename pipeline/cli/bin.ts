/**
 * The entry point of the compiled CLI: scripts/build.mjs bundles from here into dist/ and bin/census
 * runs it. Under tsx, pipeline/cli/main.ts is its own entry point. This file alone keeps its own
 * import.meta (the build rewrites every other module's to its place in the source tree), so it
 * finds the command list the build wrote beside the bundle.
 */
import { readFileSync } from 'node:fs';
import { cliEntry, useCommandList, type CommandSummary } from './main.ts';

try {
  useCommandList(JSON.parse(readFileSync(new URL('./commands.json', import.meta.url), 'utf8')) as CommandSummary[]);
} catch {
  /* no list (a build in progress): the top-level help loads every command instead */
}
cliEntry();
