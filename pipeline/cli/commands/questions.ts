import { Command } from 'commander';
import { EXIT_CODES_HELP } from '../exit-codes.ts';
import { EXIT, parseWave } from '../run.ts';
import { textTable } from '../../runtime/terminal.ts';
import { asCensusError, CensusError } from '../../../schemas/fault.ts';
import { loadWorkspace, resolveWorkspaceDir } from '../../runtime/workspace.ts';
import { questionListFor } from '../../runtime/waves.ts';
import { questionsDiff, type BandsChange, type QuestionsDiff } from '../../../schemas/waves/index.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';

/** The workspace's waves/ folder when there is a workspace; the shipped lists alone otherwise (no database needed). */
function wavesDir(flag: string | undefined): string | null {
  try {
    return loadWorkspace(resolveWorkspaceDir(flag, process.env, process.cwd())).wavesDir;
  } catch (err) {
    if (err instanceof CensusError && err.code === 'workspace_missing' && flag === undefined) return null;
    throw err;
  }
}

const bands = (b: BandsChange['from']): string =>
  b.map((x) => (x.high === null ? `${x.low}+` : `${x.low}-${x.high}`)).join(', ') || '(none)';

export function diffText(a: QuestionList, b: QuestionList, d: QuestionsDiff): string {
  const label = (l: QuestionList, id: string): string => l.questions.find((q) => q.id === id)?.label ?? '';
  const parts: string[] = [`Questions of wave ${a.wave} -> ${b.wave}`];
  const section = (title: string, headers: string[], rows: (string | number)[][]): void => {
    parts.push(`\n${title} (${rows.length})`);
    if (rows.length) parts.push(textTable(headers, rows));
  };
  section(
    'Added',
    ['id', `${b.wave} label`],
    d.added.map((id) => [id, label(b, id)]),
  );
  section(
    'Removed',
    ['id', `${a.wave} label`],
    d.removed.map((id) => [id, label(a, id)]),
  );
  section(
    'Re-worded',
    ['id', `${a.wave} label`, `${b.wave} label`],
    d.reworded.map((r) => [r.id, r.from, r.to]),
  );
  section(
    'Type changed',
    ['id', String(a.wave), String(b.wave)],
    d.typeChanged.map((r) => [r.id, r.from, r.to]),
  );
  section(
    'Options changed',
    ['id', 'added', 'removed', 're-labelled'],
    d.optionsChanged.map((o) => [
      o.id,
      o.added.join(', '),
      o.removed.join(', '),
      o.relabelled.map((r) => `${r.code}: "${r.from}" -> "${r.to}"`).join('; '),
    ]),
  );
  section(
    'Bands changed',
    ['id', String(a.wave), String(b.wave)],
    d.bandsChanged.map((x) => [x.id, bands(x.from), bands(x.to)]),
  );
  return `${parts.join('\n')}\n`;
}

function diffCommand(): Command {
  return new Command('diff')
    .description(
      "What changed between two waves' question lists: added, removed and re-worded questions, changed types, option lists and bands.",
    )
    .argument('<from>', 'earlier wave, e.g. 2023')
    .argument('<to>', 'later wave, e.g. 2025')
    .option('--workspace <dir>', 'workspace folder (its waves/ lists come first); not needed for the shipped waves')
    .option('--json', 'print the diff as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  census questions diff 2023 2025
  census questions diff 2019 2025 --json
Questions are compared by id: a question keeps its id while its meaning stays, so a changed label
is a re-wording, and options are compared by code.${EXIT_CODES_HELP}`,
    )
    .action((from: string, to: string, opts: { workspace?: string; json?: boolean }) => {
      try {
        const dir = wavesDir(opts.workspace);
        const [a, b] = [questionListFor(parseWave(from), dir), questionListFor(parseWave(to), dir)];
        const d = questionsDiff(a, b);
        process.stdout.write(
          opts.json ? `${JSON.stringify({ from: a.wave, to: b.wave, ...d }, null, 2)}\n` : diffText(a, b, d),
        );
        process.exitCode = EXIT.ok;
      } catch (err) {
        const e = asCensusError(err, 'comparing question lists');
        process.stderr.write(`error: ${e.message}\nwhat to do: ${e.hint}\n`);
        process.exitCode = e.exitCode;
      }
    });
}

export function questionsCommand(): Command {
  const cmd = new Command('questions').description("Look at the waves' question lists.").addHelpText(
    'after',
    `
Examples:
  census questions diff 2023 2025`,
  );
  const diff = diffCommand();
  diff.exitOverride();
  cmd.addCommand(diff);
  return cmd;
}
