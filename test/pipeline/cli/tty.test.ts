import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { CENSUS_BIN, runCensus } from '../../support/cli.ts';

/**
 * The CLI on a real pseudo-terminal (util-linux `script`, installed by .ci/run): what only a terminal
 * gets (the database status line, the progress bar, the pager, tables fitted to its width) appears
 * there and not when the output is piped.
 */
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const onPty = hasScript ? describe : describe.skip;
if (!hasScript) console.warn('tty.test.ts skipped: the `script` command (util-linux / bsdutils) is not installed');

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs bin/census on a pty of `rows` x `cols` (stdout and stderr both on it), as a person at a terminal would. */
function onTerminal(
  args: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; rows?: number; cols?: number },
): Promise<{ code: number | null; out: string }> {
  const line = `stty rows ${opts.rows ?? 24} cols ${opts.cols ?? 80}; ${[CENSUS_BIN, ...args].map(quote).join(' ')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'Europe/London', ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  delete env.COLUMNS; // the terminal's own width, as set by stty
  return new Promise((resolve, reject) => {
    const p = spawn('script', ['-qfec', line, '/dev/null'], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out }));
  });
}

onPty('census on a terminal and on a pipe', () => {
  let home: string;
  let ws: string;
  let returns: string;
  // The workspace's own embedded server: the status line is shown only while it starts.
  const env = { DATABASE_URL: undefined, CENSUS_WORKSPACE: undefined, PAGER: 'cat' };
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'census-tty-'));
    ws = join(home, 'ws');
    expect((await runCensus(['init', '--workspace', ws], { cwd: home, env })).code).toBe(0);
    returns = join(home, 'returns');
    await writeSample2025(loadQuestionList(2025), returns);
  }, 300_000);
  afterAll(async () => {
    await runCensus(['stop', '--workspace', ws], { cwd: home, env });
  }, 60_000);

  it('shows the database status line, cleared before anything else is said, only on a terminal', async () => {
    await runCensus(['stop', '--workspace', ws], { cwd: home, env });
    const tty = await onTerminal(['issues', '--wave', '2025', '--workspace', ws], { cwd: home, env });
    expect(tty.code, tty.out).toBe(0);
    expect(tty.out).toMatch(/^Starting the database…\r\x1b\[K/);
    // A message while it shows starts on a cleared line, not after "…".
    expect(tty.out).not.toMatch(/…[A-Za-z]/);
    // Again, the server up (kept warm or still stopping): a message about it starts on the cleared line.
    const warm = await onTerminal(['issues', '--wave', '2025', '--workspace', ws], { cwd: home, env });
    expect(warm.out).toMatch(/^Starting the database…\r\x1b\[K/);
    expect(warm.out).not.toMatch(/…[A-Za-z]/);
    const piped = await runCensus(['issues', '--wave', '2025', '--workspace', ws], { cwd: home, env });
    expect(piped.stderr).not.toMatch(/Starting the database/);
  }, 180_000);

  it('says once per server run, on a terminal only, that the server stays up and how to stop it', async () => {
    const args = ['returns', '--wave', '2025', '--workspace', ws];
    // The sentence wrapped to the terminal's width (any line break between words), the command on its own line.
    const keptUp = new RegExp(
      `${'The database server stays up for 3 minutes after this command, so the next one starts at once.'
        .split(' ')
        .map((w) => w.replace(/[.()]/g, '\\$&'))
        .join('\\s+')}\\r?\\nTo stop it now: census stop --workspace (\\S+)`,
    );
    // The tests' own idle time is 0 (vitest.config.ts): here the default of a person's shell, 180 s.
    const warm = { ...env, CENSUS_DB_IDLE_SECONDS: '180' };
    await runCensus(['stop', '--workspace', ws], { cwd: home, env });
    // Piped first: nothing said, and the terminal that follows is still told.
    const piped = await runCensus(args, { cwd: home, env: warm });
    expect(piped.stderr).not.toMatch(/stays up|kept warm|census stop/);
    const first = await onTerminal(args, { cwd: home, env: warm, cols: 60 });
    expect(first.out).toMatch(keptUp);
    expect(keptUp.exec(first.out)![1]).toBe(ws); // run from outside the workspace: the command names it
    for (const l of first.out.split(/\r?\n/).filter((x) => /stays up|next one/.test(x)))
      expect(l.length).toBeLessThanOrEqual(60);
    // The same server again: not said twice.
    const second = await onTerminal(args, { cwd: home, env: warm });
    expect(second.out).not.toMatch(/stays up/);
    // From inside the workspace, a new server run: told again, and census stop needs no --workspace.
    await runCensus(['stop', '--workspace', ws], { cwd: home, env });
    const inside = await onTerminal(['returns', '--wave', '2025'], { cwd: ws, env: warm });
    expect(inside.out).toMatch(/To stop it now: census stop\r?\n/);
    // An idle time of 0 stops it at once: nothing to say.
    await runCensus(['stop', '--workspace', ws], { cwd: home, env });
    const none = await onTerminal(args, { cwd: home, env });
    expect(none.out).not.toMatch(/stays up/);
  }, 180_000);

  it('draws the progress bar on a terminal and plain lines on a pipe', async () => {
    const tty = await onTerminal(['ingest', returns, '--wave', '2025', '--workspace', ws], {
      cwd: home,
      env,
      cols: 60,
    });
    // The sample has a return with an error: exit 1.
    expect(tty.code, tty.out).toBe(1);
    // On 60 columns: a short bar and line that fit, the count and ETA kept.
    const frames = tty.out
      .split('\x1b[1G')
      .filter((f) => f.startsWith('Ingesting'))
      .map((f) => f.split('\x1b[0K')[0]!);
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) expect(f.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trimEnd().length).toBeLessThanOrEqual(60);
    expect(frames.at(-1)).toMatch(/\|█+\| 6\/6 \| ETA/);
    expect(tty.out).toMatch(/ETA --/);
    expect(tty.out).not.toMatch(/^\[1\/\d+\] /m);
    // Again (--accept-wave-stamp: another rule version, so every file is read again), piped.
    const piped = await runCensus(['ingest', returns, '--wave', '2025', '--workspace', ws, '--accept-wave-stamp'], {
      cwd: home,
      env,
    });
    expect(piped.stderr).toMatch(/^\[1\/\d+\] /m);
    expect(piped.stderr).not.toMatch(/[░█]/);
  }, 300_000);

  it('fits tables to a narrow terminal and pages a listing longer than the screen, never a pipe', async () => {
    const args = ['issues', '--wave', '2025', '--workspace', ws];
    const narrow = await onTerminal(args, { cwd: home, env, cols: 60, rows: 200 });
    const lines = narrow.out.replace(/Starting the database…\r\x1b\[K/, '').split(/\r?\n/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(narrow.out).toMatch(/\bcode\b/);
    const pager = { ...env, PAGER: 'sed s/^/PAGED:/' };
    const paged = await onTerminal(args, { cwd: home, env: pager, cols: 100, rows: 5 });
    expect(paged.out).toMatch(/^PAGED:/m);
    const tall = await onTerminal(args, { cwd: home, env: pager, cols: 100, rows: 500 });
    expect(tall.out).not.toMatch(/PAGED:/);
    const piped = await runCensus(args, { cwd: home, env: pager });
    expect(piped.stdout).not.toMatch(/PAGED:/);
    // Piped, rows are not wrapped: one issue per line.
    expect(piped.stdout.split('\n').filter((l) => /^(error|warning|info) /.test(l)).length).toBeGreaterThan(0);
  }, 180_000);

  it('pages census returns (the list, its count and the coverage as one text) and fits its sentences to the width', async () => {
    const args = ['returns', '--wave', '2025', '--workspace', ws];
    const pager = { ...env, PAGER: 'sed s/^/PAGED:/' };
    const paged = await onTerminal(args, { cwd: home, env: pager, cols: 80, rows: 5 });
    expect(paged.out).toMatch(/^PAGED:.*cwtch-team\.xlsx/m);
    expect(paged.out).toMatch(/^PAGED:6 return\(s\): 6 loaded/m);
    expect(paged.out).toMatch(/^PAGED:Coverage, wave 2025/m);
    const missing = await onTerminal([...args, '--missing'], { cwd: home, env: pager, cols: 80, rows: 5 });
    expect(missing.code, missing.out).toBe(0);
    const narrow = await onTerminal(args, { cwd: home, env, cols: 60, rows: 500 });
    const lines = narrow.out
      .replace(/Starting the database…\r\x1b\[K/, '')
      .split(/\r?\n/)
      .filter((l) => !/database server/.test(l));
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(60);
    const piped = await runCensus(args, { cwd: home, env: pager });
    expect(piped.stdout).not.toMatch(/PAGED:/);
    expect(piped.stdout).toMatch(/^Coverage, wave 2025: .*\(census returns --missing\)\.$/m);
  }, 180_000);
});
