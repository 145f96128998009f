import { Command, CommanderError } from 'commander';
import { EXIT } from '../errors.ts';
import { initCommand } from './commands/init.ts';
import { ingestCommand } from './commands/ingest.ts';
import { issuesCommand } from './commands/issues.ts';
import { reportCommand } from './commands/report.ts';
import { templateCommand } from './commands/template.ts';

export const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  done, but data issues of severity "error" were found (see census issues)
  2  usage error (bad arguments, not a workspace, wave locked)
  3  environment fault (database unreachable, disk full, another writer with --no-wait)`;

export function buildProgram(): Command {
  const program = new Command('census')
    .description('Annual census of parent-infant relationship teams and FOI replies: ingest, check, load into PostgreSQL, report.')
    .addHelpText('after', `
Every command takes --workspace DIR (default: $CENSUS_WORKSPACE, else the current folder).
The database is the workspace's embedded PostgreSQL unless DATABASE_URL is set.

Examples:
  census init --workspace ~/census
  census template --wave 2025 --out questionnaire-2025.xlsx
  census ingest returns/ --wave 2025
  census issues --wave 2025
  census report --wave 2025 --out report-2025
${EXIT_CODES_HELP}`);
  program.exitOverride();
  for (const make of [initCommand, templateCommand, ingestCommand, issuesCommand, reportCommand]) {
    const cmd = make();
    cmd.exitOverride();
    cmd.addHelpText('after', EXIT_CODES_HELP);
    program.addCommand(cmd);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    throw err;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\u0000');
if (isEntry) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = EXIT.environment;
  });
}
