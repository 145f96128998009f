import { networkInterfaces } from 'node:os';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { CensusError } from '../../../schemas/fault.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { stderrLogger } from '../../runtime/ctx.ts';
import { sayWhatToDo, usageError, withCtx } from '../run.ts';

const DEFAULT_PORT = 8040;

/** The password typed at a terminal (not echoed), or the first line of standard input. */
async function readNewPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string): Promise<string> =>
    new Promise((resolve) => {
      const rl = createInterface({ input, output: process.stderr, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stderr.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('New desk password: ');
  const again = await ask('Again: ');
  if (first !== again) throw usageError('The two passwords differ.', 'Run census serve --set-password again.');
  return first;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'The review desk: a local web app over the workspace database (wave dashboard, issues by file, FOI replies to match and answers to code, report builds).',
    )
    .option('--workspace <dir>', 'workspace folder')
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1); any other than loopback needs --set-password first',
    )
    .option(
      '--set-password',
      'set the desk password (read from the terminal, or the first line of standard input) and exit',
    )
    .addHelpText(
      'after',
      `
The desk listens on 127.0.0.1 only, and shows no respondent's name, e-mail or comment. To open it
to other computers, set a password first: the desk then asks for it on a sign-in page (sessions
end after 30 minutes idle and after 8 hours). The password is stored as an scrypt hash in
<workspace>/.census/desk-password.json (mode 0600).

The desk reads the database on every page load: a census ingest run while it is open shows on the
next one. Its forms change the data through the same functions as census foi match and census foi
coding-sheet load, under the same write lock, recorded in the audit log under the name each person
gives once per session. Stop it with Ctrl-C.

Examples:
  census serve --workspace ~/census
  census serve --workspace ~/census --port 8080
  census serve --set-password --workspace ~/census
  census serve --workspace ~/census --host 0.0.0.0`,
    )
    .action(async (opts: { workspace?: string; port?: string; host?: string; setPassword?: boolean }) => {
      const { setPassword, checkHostRule, hasPassword } = await import('../../desk/security.ts');
      if (opts.setPassword) {
        const log = stderrLogger();
        try {
          const ws = loadWorkspace(resolveWorkspaceDir(opts.workspace, process.env, process.cwd()));
          await setPassword(ws, await readNewPassword());
          log.info('The desk password is set; census serve will ask for it.');
          process.exitCode = 0;
        } catch (err) {
          const e = err instanceof CensusError ? err : usageError((err as Error).message, 'Run it again.');
          log.error(e.message);
          sayWhatToDo(e.hint);
          process.exitCode = e.exitCode;
        }
        return;
      }
      const port = opts.port === undefined ? DEFAULT_PORT : Number(opts.port);
      process.exitCode = await withCtx(opts, { writes: false }, async (ctx) => {
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw usageError(`--port must be a port number, not "${opts.port}".`, 'Pass e.g. --port 8080.');
        // Before anything listens: a desk on another address needs the password.
        checkHostRule(opts.host ?? '127.0.0.1', hasPassword(ctx.workspace));
        const { startDesk } = await import('../../desk/server.ts');
        const desk = await startDesk({
          // One context per request, over the database this command holds open (and, embedded, its
          // lease on the server, so the server stays up while the desk runs).
          ctx: () => ({ ...ctx }),
          workspace: ctx.workspace,
          ...(opts.host ? { host: opts.host } : {}),
          port,
          log: ctx.log,
        });
        process.stdout.write(`Review desk at ${desk.url} (Ctrl-C to stop)\n`);
        // Listening on every address: 0.0.0.0 opens nothing in a browser, so say the addresses that do.
        if (opts.host === '0.0.0.0' || opts.host === '::') {
          const addresses = reachableAt();
          if (addresses.length)
            process.stdout.write(
              `Open it from another computer at ${addresses.map((a) => `http://${a}:${new URL(desk.url).port}/`).join(' or ')}\n`,
            );
        }
        // Runs until interrupted: the entry point's signal handler stops the server and exits.
        await new Promise<never>(() => {});
        return 0;
      });
    });
}

/** This machine's own addresses other computers may reach (IPv4, not loopback), in a stable order. */
function reachableAt(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => i.address)
    .sort();
}
