/**
 * A second entry of the compiled build (scripts/build.mjs): the build imports it to write
 * commands.json, the list bin/census prints for `census --help` without loading every command.
 */
export { commandSummaries } from './main.ts';
