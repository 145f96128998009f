import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CENSUS_BIN } from '../support/cli.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { load1, runChild } from './measure.ts';

/**
 * Start-up of the CLI as a whole process, against the floor of the same machine measured in turn
 * with it (A B A B ...), so each ratio is of two runs side by side:
 * - `census --help` and `census --version` against `node -e 0`;
 * - a read command (`census issues --wave 2025`) on the demo year with the server already up
 *   (DATABASE_URL: no server start, as with the server kept warm) against `psql -c 'select 1'` on
 *   the same server;
 * - the same read command on an embedded workspace whose server is not running (cold), against
 *   the warm run next to it.
 * Each figure is wall time and, where GNU time is installed (/usr/bin/time), CPU time (user + sys)
 * of the process and its children: steadier than wall time on a shared machine.
 */
export interface Timing {
  wallMs: number;
  cpuMs: number | null;
}
export interface StartupSection {
  runs: number;
  node: Timing[];
  help: Timing[];
  version: Timing[];
  psql: Timing[];
  readWarm: Timing[];
  /**
   * Cold read and the warm read measured beside it, and the server's own start timed apart right
   * before each cold read (server-start-child.ts; absent in results kept from before it was timed);
   * null when the embedded workspace could not be made.
   */
  cold: { readCold: Timing[]; readWarm: Timing[]; serverStartMs?: number[]; stopped: string } | null;
  readCommand: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command to its end; resolves with its wall and CPU time; rejects when the exit code is not one of `ok`. */
function timeProcess(cmd: string, args: string[], env: Record<string, string> = {}, ok = [0]): Promise<Timing> {
  const withTime = existsSync(GNU_TIME);
  const argv = withTime ? ['-f', 'census-bench-cpu %U %S', cmd, ...args] : args;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(withTime ? GNU_TIME : cmd, argv, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TZ: 'Europe/London', ...env },
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const wallMs = performance.now() - t0;
      const m = /census-bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(err);
      const exit = withTime ? Number(/Command exited with non-zero status (\d+)/.exec(err)?.[1] ?? code) : code;
      if (!ok.includes(exit ?? -1)) {
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${exit}: ${err.slice(0, 500)}`));
        return;
      }
      resolve({ wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null });
    });
  });
}

export async function startupSection(input: {
  root: string;
  adminUrl: string;
  freshDatabase: (adminUrl: string, name: string) => Promise<string>;
  runs: number;
  log: (m: string) => void;
}): Promise<StartupSection> {
  const { log, runs } = input;
  const census = (args: string[], env: Record<string, string> = {}, ok = [0]) => timeProcess(CENSUS_BIN, args, env, ok);
  // The build is made (if a source is newer) before anything is timed.
  await census(['--version']);
  const node: Timing[] = [];
  const help: Timing[] = [];
  const version: Timing[] = [];
  log(`start-up: node -e 0 / census --help / census --version, ${runs} rounds after a warm-up`);
  for (let i = 0; i <= runs; i++) {
    const n = await timeProcess(process.execPath, ['-e', '0']);
    const h = await census(['--help']);
    const v = await census(['--version']);
    if (i === 0) continue;
    node.push(n);
    help.push(h);
    version.push(v);
  }

  // The demo year, loaded into a database of the bench's server (already up: the warm case).
  const ws = join(input.root, 'startup-ws');
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws, { recursive: true });
  const url = await input.freshDatabase(input.adminUrl, 'bench_startup');
  const env = { DATABASE_URL: url };
  const inbox = join(ws, 'inbox');
  await writeSample2025(loadQuestionList(2025), inbox);
  log('start-up: the demo year into the bench server');
  await census(['init', '--workspace', ws], env);
  await census(['ingest', inbox, '--wave', '2025', '--workspace', ws], env, [0, 1]);
  const read = ['issues', '--wave', '2025', '--workspace', ws];
  const psql: Timing[] = [];
  const readWarm: Timing[] = [];
  log(`start-up: census ${read[0]} (server up) / psql -c 'select 1', ${runs} rounds after a warm-up`);
  for (let i = 0; i <= runs; i++) {
    const p = await timeProcess('psql', [url, '-X', '-q', '-c', 'select 1']);
    const r = await census(read, env, [0, 1]);
    if (i === 0) continue;
    psql.push(p);
    readWarm.push(r);
  }

  // Cold: an embedded workspace whose server is stopped before each timed run.
  let cold: StartupSection['cold'] = null;
  try {
    const ews = join(input.root, 'startup-embedded-ws');
    rmSync(ews, { recursive: true, force: true });
    log('start-up: the demo year into an embedded workspace');
    const noUrl = { DATABASE_URL: '' };
    await census(['init', '--workspace', ews], noUrl);
    await census(['ingest', inbox, '--wave', '2025', '--workspace', ews], noUrl, [0, 1]);
    const eread = ['issues', '--wave', '2025', '--workspace', ews];
    // A server kept warm after a command (if this version does) is stopped with `census stop`.
    const hasStop = await census(['stop', '--help']).then(
      () => true,
      () => false,
    );
    const stop = async () => {
      if (hasStop) await census(['stop', '--workspace', ews], noUrl, [0, 1, 2, 3]);
    };
    const readCold: Timing[] = [];
    const warmBeside: Timing[] = [];
    const serverStartMs: number[] = [];
    log(`start-up: server start / census ${eread[0]} cold (server stopped) / warm (just used), ${runs} rounds`);
    for (let i = 0; i < runs; i++) {
      await stop();
      // The server's own start, as the CLI starts it; it stops again at once, so the read below is cold.
      serverStartMs.push(
        (await runChild<{ startMs: number }>('./server-start-child.ts', [ews], { DATABASE_URL: '' })).startMs,
      );
      readCold.push(await census(eread, noUrl, [0, 1]));
      // Warm beside it: the server the cold run left (kept warm), else the bench server as above.
      warmBeside.push(hasStop ? await census(eread, noUrl, [0, 1]) : await census(read, env, [0, 1]));
    }
    await stop();
    cold = {
      readCold,
      readWarm: warmBeside,
      serverStartMs,
      stopped: hasStop ? 'census stop before each cold run' : 'each command stops the server it started',
    };
  } catch (e) {
    log(`start-up: cold read not measured: ${(e as Error).message.slice(0, 300)}`);
  }
  log(`start-up done, load ${load1().toFixed(1)}`);
  return { runs, node, help, version, psql, readWarm, cold, readCommand: `census ${read[0]} --wave 2025` };
}
