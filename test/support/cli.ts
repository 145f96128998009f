import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { expect } from 'vitest';

export const CENSUS_BIN = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'census');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/census as a user would, from `cwd`, with a pinned time zone and the given environment. */
export function runCensus(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; onSpawn?: (p: ChildProcess) => void },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'Europe/London', ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const p = spawn(CENSUS_BIN, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    opts.onSpawn?.(p);
  });
}

/**
 * Each command's help, as bin/census prints it, checked in-process (no node start per command): it
 * has an example and documents exit code 0 with the others.
 */
export function expectHelpWithExamplesAndExitCodes(commands: readonly Command[]): void {
  for (const c of commands) {
    let text = '';
    c.configureOutput({
      writeOut: (s) => {
        text += s;
      },
    });
    c.outputHelp();
    expect(text, c.name()).toMatch(/Examples?:/);
    expect(text, c.name()).toMatch(/Exit codes:\n\s+0\s+done/);
  }
}
