import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../pipeline/cli/main.ts';

/** Every command and sub-command, with its path from the program ("foi coding-sheet load"). */
function walk(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...walk(c, [...path, c.name()])]);
}

function helpOf(c: Command): string {
  let text = '';
  c.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  c.outputHelp();
  return text;
}

/** The command a `census ...` line runs: the longest run of words naming sub-commands. */
function resolve(program: Command, words: string[]): Command[] {
  const chain: Command[] = [program];
  for (const w of words) {
    const next = chain.at(-1)!.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!next) break;
    chain.push(next);
  }
  return chain;
}

/** The options of a command line: shell words starting with -- (a quoted value never does). */
function optionsIn(line: string): string[] {
  const unquoted = line.replace(/"[^"]*"|'[^']*'/g, '""');
  return [...unquoted.matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
}

describe('every --help page', () => {
  let program: Command;
  let all: { path: string[]; cmd: Command }[];
  beforeAll(async () => {
    program = await buildProgram();
    all = walk(program);
  }, 120_000);

  it('has an example and its exit codes, 0 first', () => {
    const missing: string[] = [];
    for (const { path, cmd } of all) {
      const text = helpOf(cmd);
      if (!/\nExamples?:\n/.test(text)) missing.push(`${path.join(' ')}: no example`);
      if (!/\nExit codes:\n\s+0\s+\S/.test(text)) missing.push(`${path.join(' ')}: no exit codes`);
      if ((text.match(/\nExit codes:/g) ?? []).length > 1) missing.push(`${path.join(' ')}: two exit-code blocks`);
    }
    expect(missing).toEqual([]);
  });

  it('lists exit code 1 only on the commands that can exit 1, saying what it means there', () => {
    const codesOf = (path: string): string[] => {
      const chain = resolve(program, path.split(' '));
      expect(chain.length - 1, path).toBe(path.split(' ').length);
      const block = helpOf(chain.at(-1)!).split('\nExit codes:\n')[1] ?? '';
      return [...block.matchAll(/^ {2}(\d) {2}(.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    };
    for (const path of [
      'init',
      'stop',
      'template',
      'returns',
      'teams list',
      'foi status',
      'foi send',
      'questions diff',
      'audit figure',
      'backup',
      'lock',
    ])
      expect(
        codesOf(path).map((l) => l[0]),
        path,
      ).toEqual(['0', '2', '3']);
    for (const path of ['ingest', 'report', 'foi register', 'foi coding-sheet load'])
      expect(
        codesOf(path).find((l) => l.startsWith('1 ')),
        path,
      ).toMatch(/data issues of severity "error"/);
    expect(codesOf('teams import').find((l) => l.startsWith('1 '))).toMatch(/rows were left out/);
    expect(codesOf('audit flags').find((l) => l.startsWith('1 '))).toMatch(/review flags are open/);
  });

  it('says on every --workspace where the workspace is found without it (walking up, as git does)', () => {
    const bare = all.filter(({ cmd }) =>
      cmd.options.some((o) => o.long === '--workspace' && o.description === 'workspace folder'),
    );
    expect(bare.map(({ path }) => path.join(' '))).toEqual([]);
    expect(helpOf(resolve(program, ['issues']).at(-1)!)).toMatch(
      /nearest folder from here\s+upwards holding a\s+census\.json/,
    );
    expect(helpOf(program)).toMatch(/nearest folder from the\s+current one upwards holding a census\.json/);
  });

  it('uses only options that exist, in every example and every census line of its text', () => {
    const wrong: string[] = [];
    for (const { path, cmd } of [{ path: [], cmd: program }, ...all]) {
      for (const raw of helpOf(cmd).split('\n')) {
        // Each "census ..." of a line on its own: prose may name two commands.
        for (const line of raw.split(/(?:^|[\s`"'(])census /).slice(1)) {
          const words = line.split(/\s+/);
          const chain = resolve(program, words);
          // A line naming no command (prose that says "census" in passing) is not a command line.
          if (chain.length === 1 && !words[0]?.startsWith('--')) continue;
          const known = new Set([
            '--help',
            '--version',
            '--debug',
            ...chain.flatMap((c) => c.options.map((o) => o.long)),
          ]);
          for (const o of optionsIn(line.replace(/\s{2,}.*$/, '')))
            if (!known.has(o)) wrong.push(`${path.join(' ') || 'census'}: "${raw.trim()}" names ${o}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
