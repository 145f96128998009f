import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { runCensus } from '../support/cli.ts';

/** The CLI's conventions as a user meets them, through bin/census: none of these needs a database. */
describe('census CLI conventions (no database)', () => {
  let home: string;
  const env = { CENSUS_WORKSPACE: undefined, DATABASE_URL: undefined, COLUMNS: undefined, PAGER: 'cat' };
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'census-conv-'));
  });

  it('bare census prints the help on stdout and exits 0', async () => {
    const r = await runCensus([], { cwd: home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: census/);
    expect(r.stderr).toBe('');
  });

  it('census help foi send shows the help of foi send, not of foi', async () => {
    const r = await runCensus(['help', 'foi', 'send'], { cwd: home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: census foi send/);
  });

  it('help for a command that does not exist is the unknown-command error (exit 2), not the nearest help', async () => {
    for (const args of [
      ['help', 'isues'],
      ['isues', '--help'],
      ['help', 'foi', 'nonsuch'],
      ['foi', 'nonsuch', '--help'],
    ]) {
      const r = await runCensus(args, { cwd: home, env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/unknown command '(isues|nonsuch)'/);
    }
    expect((await runCensus(['help', 'isues'], { cwd: home, env })).stderr).toMatch(/Did you mean issues\?/);
    expect((await runCensus(['foi', '--help'], { cwd: home, env })).code).toBe(0);
  });

  it('an option value that is not one of the choices is a usage error listing them, before any workspace is looked for', async () => {
    const r = await runCensus(['issues', '--wave', '2025', '--severity', 'errors'], { cwd: home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are error, warning, info/);
    expect(r.stderr).not.toMatch(/workspace/);
    const kind = await runCensus(
      ['foi', 'event', '--trust', 'RXT', '--wave', '2024', '--kind', 'review_requested', '--date', '2024-05-05'],
      { cwd: home, env },
    );
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/Allowed choices are clarification_asked, .*internal_review_requested, .*ico_decision/);
    expect(kind.stderr).not.toMatch(/workspace|database/);
  });

  it('a wave that is not a year is a usage error', async () => {
    const r = await runCensus(['questions', 'list', '--wave', '20x5'], { cwd: home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Give a year such as 2025, not "20x5"/);
  });

  it('a --format not offered is a usage error listing the formats', async () => {
    const r = await runCensus(['questions', 'list', '--wave', '2025', '--format', 'pdf'], { cwd: home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are text, json, csv, md, xlsx/);
  });

  it('a command with --json also takes --format json (and says which formats it has)', async () => {
    const r = await runCensus(['questions', 'diff', '2023', '2025', '--format', 'json'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expect.objectContaining({ from: 2023, to: 2025 }));
    // foi letters has --json only: --format takes text or json, and says so (before the database starts).
    const csv = await runCensus(
      [
        'foi',
        'letters',
        '--wave',
        '2024',
        '--out',
        join(home, 'letters'),
        '--from',
        'A <a@example.org>',
        '--format',
        'csv',
      ],
      { cwd: home, env },
    );
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/Allowed choices are text, json\./);
  });

  it('questions diff --format csv: one row per change with the question id and the text before and after', async () => {
    const r = await runCensus(['questions', 'diff', '2023', '2025', '--format', 'csv'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('change,id,2023,2025');
    const json = JSON.parse(
      (await runCensus(['questions', 'diff', '2023', '2025', '--json'], { cwd: home, env })).stdout,
    ) as { added: string[]; bandsChanged: { id: string }[] };
    expect(lines.filter((l) => l.startsWith('added,'))).toHaveLength(json.added.length);
    expect(lines).toContain("added,baby_voice,,The baby's voice is central to practice");
    expect(lines.filter((l) => l.startsWith('bands,')).map((l) => l.split(',')[1])).toEqual(
      json.bandsChanged.map((b) => b.id),
    );
  });

  it('the help of diff documents its own exit codes, not the generic block', async () => {
    const r = await runCensus(['diff', '--help'], { cwd: home, env });
    expect(r.stdout).toMatch(/1\s+the builds differ/);
    expect(r.stdout).not.toMatch(/data issues of severity "error" were found/);
  });

  it('questions list writes the data dictionary: one csv row per question with its codes and labels per wave', async () => {
    const r = await runCensus(['questions', 'list', '--wave', '2019', '--format', 'csv'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const list = loadQuestionList(2019);
    expect(lines).toHaveLength(list.questions.length + 1);
    expect(lines[0]).toMatch(/^id,section,label,type,required,options/);
    const withOptions = list.questions.find((q) => (q.options ?? []).some((o) => o.harmonised))!;
    const row = lines.find((l) => l.startsWith(`${withOptions.id},`))!;
    expect(row).toContain(`${withOptions.options![0]!.code}=${withOptions.options![0]!.label}`);
    const json = await runCensus(['questions', 'list', '--wave', '2019', '--json'], { cwd: home, env });
    const parsed = JSON.parse(json.stdout) as { questions: { id: string; labels: Record<string, string> }[] };
    // team_name is asked in every shipped wave: its label is given for each.
    expect(Object.keys(parsed.questions.find((q) => q.id === 'team_name')!.labels)).toEqual(['2019', '2023', '2025']);
  });

  it('questions list --format md and xlsx: markdown on stdout; an xlsx needs --out with .xlsx, and --force to replace it', async () => {
    const md = await runCensus(['questions', 'list', '--wave', '2025', '--format', 'md'], { cwd: home, env });
    expect(md.stdout).toMatch(/^# Data dictionary: wave 2025/);
    expect(md.stdout).toMatch(/\| code \| label \| harmonised \|/);
    const noOut = await runCensus(['questions', 'list', '--wave', '2025', '--format', 'xlsx'], { cwd: home, env });
    expect(noOut.code).toBe(2);
    const wrong = await runCensus(['questions', 'list', '--wave', '2025', '--format', 'xlsx', '--out', 'd.csv'], {
      cwd: home,
      env,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/writes \.xlsx/);
    expect(existsSync(join(home, 'd.csv'))).toBe(false);
    const args = ['questions', 'list', '--wave', '2025', '--format', 'xlsx', '--out', 'd.xlsx'];
    expect((await runCensus(args, { cwd: home, env })).code).toBe(0);
    const again = await runCensus(args, { cwd: home, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists.*\n.*--force/);
    expect((await runCensus([...args, '--force'], { cwd: home, env })).code).toBe(0);
    expect(readFileSync(join(home, 'd.xlsx')).subarray(0, 2).toString()).toBe('PK');
  });

  it('questions list --out without --format writes the format its extension names; an unknown extension lists them', async () => {
    const dir = mkdtempSync(join(home, 'dict-'));
    for (const [file, starts] of [
      ['d.xlsx', 'PK'],
      ['d.csv', 'id,section,label'],
      ['d.md', '# Data dictionary: wave 2025'],
      ['d.json', '{'],
    ] as const) {
      const r = await runCensus(['questions', 'list', '--wave', '2025', '--out', file], { cwd: dir, env });
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      expect(readFileSync(join(dir, file)).subarray(0, starts.length).toString(), file).toBe(starts);
    }
    const unknown = await runCensus(['questions', 'list', '--wave', '2025', '--out', 'd.docx'], { cwd: dir, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/writes \.txt or \.json or \.csv or \.md or \.xlsx, not "\.docx"/);
    expect(existsSync(join(dir, 'd.docx'))).toBe(false);
  });
  it('template refuses an --out whose extension is not .xlsx and an existing file without --force', async () => {
    const csv = await runCensus(['template', '--wave', '2025', '--out', 'q.csv'], { cwd: home, env });
    expect(csv.code).toBe(2);
    expect(existsSync(join(home, 'q.csv'))).toBe(false);
    writeFileSync(join(home, 'q.xlsx'), 'mine');
    const kept = await runCensus(['template', '--wave', '2025', '--out', 'q.xlsx'], { cwd: home, env });
    expect(kept.code).toBe(2);
    expect(readFileSync(join(home, 'q.xlsx'), 'utf8')).toBe('mine');
    const forced = await runCensus(['template', '--wave', '2025', '--out', 'q.xlsx', '--force'], { cwd: home, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(home, 'q.xlsx')).subarray(0, 2).toString()).toBe('PK');
  });

  it('a folder option named like a file (report, feedback, foi letters --out x.xlsx) is a usage error; an existing folder is taken', async () => {
    for (const args of [
      ['report', '--wave', '2025', '--out', 'report.pdf'],
      ['feedback', '--wave', '2025', '--out', 'feedback.xlsx'],
      ['feedback', '--wave', '2025', '--out', 'fb', '--emails', 'mail.eml'],
      ['foi', 'letters', '--wave', '2024', '--out', 'letters.pdf', '--from', 'A <a@example.ac.uk>'],
    ]) {
      const r = await runCensus(args, { cwd: home, env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/a folder census writes several files into, not a file/);
      expect(r.stderr, args.join(' ')).not.toMatch(/workspace|database/);
    }
    expect(existsSync(join(home, 'feedback.xlsx'))).toBe(false);
    // A folder that exists is a folder, whatever its name: the check passes and the command goes on (to the workspace).
    mkdirSync(join(home, 'old.pdf'));
    const r = await runCensus(['report', '--wave', '2025', '--out', 'old.pdf'], { cwd: home, env });
    expect(r.stderr).not.toMatch(/not a file/);
  });

  it('a table fits a narrow terminal ($COLUMNS) and is not cut when piped', async () => {
    const narrow = await runCensus(['issues', '--codes'], { cwd: home, env: { ...env, COLUMNS: '72' } });
    expect(narrow.code).toBe(0);
    for (const line of narrow.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(72);
    const piped = await runCensus(['issues', '--codes'], { cwd: home, env });
    expect(Math.max(...piped.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(72);
    // Wrapped by column, never cut inside a word: every word of a message is still there.
    const code = piped.stdout.split('\n')[2]!.split(/\s+/)[0]!;
    expect(narrow.stdout).toContain(code);
  });

  it('a help page wraps its description and options at $COLUMNS, as tables do (commander alone reads only a terminal)', async () => {
    const options = (out: string): string[] =>
      out
        .split('\n\n')
        .find((b) => b.startsWith('Options:'))!
        .split('\n');
    const narrow = await runCensus(['feedback', '--help'], { cwd: home, env: { ...env, COLUMNS: '60' } });
    expect(narrow.code).toBe(0);
    const description = narrow.stdout.split('\n\n')[1]!.split('\n');
    for (const line of [...description, ...options(narrow.stdout)]) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(options(narrow.stdout).join(' ')).toMatch(/--force\s+replace feedback workbooks/);
    // Piped with no $COLUMNS: commander's 80, as before.
    const piped = await runCensus(['feedback', '--help'], { cwd: home, env });
    expect(Math.max(...options(piped.stdout).map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(Math.max(...options(piped.stdout).map((l) => l.length))).toBeGreaterThan(60);
  });

  it('from a subfolder the workspace is found by walking up; init refuses to nest a workspace', async () => {
    const ws = join(home, 'ws');
    const sub = join(ws, 'returns', '2031');
    mkdirSync(join(ws, 'waves'), { recursive: true });
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(ws, 'census.json'), JSON.stringify({ version: 1, database: { kind: 'url' } }));
    // A wave only the workspace knows: listed from the subfolder, so the workspace was found.
    const list = { ...loadQuestionList(2025), wave: 2031 };
    writeFileSync(join(ws, 'waves', '2031.json'), JSON.stringify(list));
    const r = await runCensus(['questions', 'list', '--wave', '2031', '--format', 'csv'], { cwd: sub, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(list.questions.length + 1);
    const nested = await runCensus(['init', '--workspace', sub], { cwd: home, env });
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/inside the workspace/);
    expect(existsSync(join(sub, 'census.json'))).toBe(false);
    const here = await runCensus(['init'], { cwd: sub, env: { ...env, DATABASE_URL: 'postgres://127.0.0.1:1/none' } });
    expect(existsSync(join(sub, 'census.json'))).toBe(false);
    expect(here.stderr).toMatch(new RegExp(`Workspace ${ws} already exists`));
  });

  it('an empty folder given to ingest or check is a usage error, said before any database is started', async () => {
    const empty = join(home, 'empty');
    mkdirSync(empty);
    for (const args of [
      ['ingest', empty, '--wave', '2025'],
      ['check', empty, '--wave', '2025'],
    ]) {
      const r = await runCensus(args, { cwd: home, env });
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(/No files to (ingest|read) in/);
    }
    // A path that does not exist: said at once, before the workspace or its database is looked for.
    const gone = await runCensus(['ingest', join(home, 'nope.xlsx'), '--wave', '2025'], { cwd: home, env });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(
      /^error: Not found: \S+nope\.xlsx\nwhat to do: Check the paths given to census ingest\./,
    );
  });

  it('unexpected-failure advice names only options that exist', () => {
    const fault = readFileSync(new URL('../../schemas/fault.ts', import.meta.url), 'utf8');
    expect(fault).not.toMatch(/--verbose/);
  });
});
