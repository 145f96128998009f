import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { runCensus, type CliResult } from '../support/cli.ts';
import { answers, xlsx } from './hostile-files.ts';
import { readZipParts } from './zip-writer.ts';

/**
 * Personal data and injection, end to end through bin/census. Respondent names, e-mails and
 * comments are unique canary strings; every line a command prints and every file it writes is
 * scanned for them (report.md "Disclosure control": names and e-mails never appear in an output
 * or a log; comments only in internal builds). Labels, answers and file names carrying SQL, HTML
 * and spreadsheet-formula payloads must load as plain text and come out escaped or neutralised.
 */
const CLI_MS = 600_000;
const list = loadQuestionList(2025);
const tag = (i: number): string => `zqx${i}v7`;
const NAMES = [0, 1, 2].map((i) => `Canaryname ${tag(i)} Plughsworth`);
const EMAILS = [0, 1, 2].map((i) => `canary.${tag(i)}@plugh.example`);
const COMMENTS = [0, 1, 2].map((i) => `Canary comment ${tag(i)}: Dr Xyzzy saw the family twice`);
const SQL = "'; drop table answer; --";
const HTML = '<script>alert("x")</script>';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
/** A file name cannot hold "/", so its HTML payload needs no closing tag. */
/** Starts with "=": a spreadsheet would run it as a formula unless it is neutralised. */
const TEAM = `${FORMULA} ${HTML} ${SQL}`;
const FILE_NAME = `c-${SQL} <img src=x onerror=alert(1)> "quoted".xlsx`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Text of a file as a person or a program would read it: zip parts (xlsx) unpacked. */
function textOf(path: string): string {
  const bytes = readFileSync(path);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b)
    return readZipParts(bytes)
      .map((p) => p.data.toString('utf8'))
      .join('\n');
  return bytes.toString('utf8');
}

function expectNone(haystack: string, needles: string[], where: string): void {
  for (const n of needles) expect(haystack.includes(n), `${n} appears in ${where}`).toBe(false);
}

describe('personal data never reaches an output or a log; hostile text stays text', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const logs: { what: string; r: CliResult }[] = [];
  const run = async (what: string, args: string[]): Promise<CliResult> => {
    const r = await runCensus(args, { cwd: home, env });
    logs.push({ what, r });
    return r;
  };

  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-canary-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
    const inbox = join(home, 'inbox');
    mkdirSync(inbox);
    const personal = (i: number) => ({
      respondent_name: NAMES[i]!,
      respondent_email: EMAILS[i]!,
      comments: COMMENTS[i]!,
    });
    writeFileSync(join(inbox, 'a-clean.xlsx'), await xlsx(list, answers('Canary Clean Team', personal(0))));
    // A return with an error (rejected, so feedback goes back) and one with a warning.
    writeFileSync(
      join(inbox, 'b-bad.xlsx'),
      await xlsx(list, answers('Canary Bad Team', { ...personal(1), families_supported: 'lots' })),
    );
    writeFileSync(
      join(inbox, FILE_NAME),
      await xlsx(
        list,
        answers(TEAM, { ...personal(2), host_organisation: FORMULA, areas_covered: `Leeds\n${SQL}` }),
        (wb) => {
          wb.getWorksheet('Questionnaire')!.addRow([
            null,
            `${SQL} ${HTML} ${FORMULA}`,
            'an answer to a question nobody asked',
          ]);
        },
      ),
    );
    expect((await run('init', ['init'])).code).toBe(0);
    await run('ingest', ['ingest', inbox, '--wave', '2025']);
    await run('ingest --json', ['ingest', inbox, '--wave', '2025', '--json']);
    await run('issues', ['issues', '--wave', '2025']);
    await run('issues --json', ['issues', '--wave', '2025', '--json']);
    await run('report (internal)', ['report', '--wave', '2025', '--out', join(home, 'internal')]);
    await run('report --public', ['report', '--wave', '2025', '--out', join(home, 'public'), '--public']);
    if ((await runCensus(['feedback', '--help'], { cwd: home, env })).code === 0)
      await run('feedback', ['feedback', '--wave', '2025', '--out', join(home, 'feedback')]);
  }, CLI_MS);
  afterAll(async () => {
    await t.drop();
  });

  it('ran every command to completion', () => {
    for (const { what, r } of logs) expect([0, 1], `${what}: ${r.stderr}`).toContain(r.code);
  });

  it('prints no respondent name, e-mail or comment on stdout or stderr of any command', () => {
    for (const { what, r } of logs) expectNone(`${r.stdout}\n${r.stderr}`, [...NAMES, ...EMAILS, ...COMMENTS], what);
  });

  it('keeps them out of every report file, and comments out of the public build', () => {
    for (const f of filesUnder(join(home, 'internal'))) expectNone(textOf(f), [...NAMES, ...EMAILS], f);
    for (const f of filesUnder(join(home, 'public'))) expectNone(textOf(f), [...NAMES, ...EMAILS, ...COMMENTS], f);
  });

  it('keeps them out of what feedback writes (its summary sheets and cell notes)', async () => {
    const dir = join(home, 'feedback');
    const files = logs.some((l) => l.what === 'feedback') ? filesUnder(dir) : [];
    for (const f of files) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(f) as unknown as ArrayBuffer);
      for (const ws of wb.worksheets) {
        // The team's own sheets come back as they sent them; only what census added is checked there.
        const own = ['Instructions', 'Questionnaire', 'Staffing', 'About', 'Lists'].includes(ws.name);
        ws.eachRow((row) =>
          row.eachCell((c) => {
            const note = typeof c.note === 'string' ? c.note : JSON.stringify(c.note ?? '');
            expectNone(note, [...NAMES, ...EMAILS, ...COMMENTS], `${f} ${ws.name}!${c.address} note`);
            if (!own) expectNone(String(c.text), [...NAMES, ...EMAILS, ...COMMENTS], `${f} ${ws.name}!${c.address}`);
          }),
        );
      }
    }
  });

  it('keeps them out of the issues recorded in the database', async () => {
    const rows = (await t.pool.query("select message, coalesce(raw, '') as raw, file_name from data_issue"))
      .rows as Record<string, string>[];
    expectNone(
      rows.map((r) => `${r.message}\n${r.raw}\n${r.file_name}`).join('\n'),
      [...NAMES, ...EMAILS, ...COMMENTS],
      'data_issue',
    );
  });

  it('loads SQL, HTML and formula text as text: tables intact, names and file names kept exactly', async () => {
    expect((await t.pool.query('select count(*)::int as n from answer')).rows[0].n).toBeGreaterThan(0);
    const team = await t.pool.query('select name, host_organisation from team where name = $1', [TEAM]);
    expect(team.rows).toEqual([{ name: TEAM, host_organisation: FORMULA }]);
    const files = (await t.pool.query('select original_name from file_receipt order by original_name')).rows.map(
      (r: { original_name: string }) => r.original_name,
    );
    expect(files).toContain(FILE_NAME);
  });

  it('escapes HTML and neutralises formulas in every file written', async () => {
    // The internal build shows team names, so the payloads do reach these files.
    expect(readFileSync(join(home, 'internal', 'report.html'), 'utf8')).toContain('&lt;script&gt;');
    expect(
      filesUnder(join(home, 'internal')).some(
        (f) => f.endsWith('.csv') && readFileSync(f, 'utf8').includes('HYPERLINK'),
      ),
    ).toBe(true);
    for (const f of [...filesUnder(join(home, 'internal')), ...filesUnder(join(home, 'public'))]) {
      const text = textOf(f);
      if (f.endsWith('.html')) {
        expect(text.includes('<script>alert'), f).toBe(false);
        expect(text.includes('<img src=x'), f).toBe(false);
      }
      if (f.endsWith('.csv')) {
        for (const line of text.split('\n'))
          for (const field of line.split(',')) expect(/^"?=HYPERLINK/.test(field), `${f}: ${field}`).toBe(false);
      }
      if (f.endsWith('.xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(readFileSync(f) as unknown as ArrayBuffer);
        for (const ws of wb.worksheets)
          ws.eachRow((row) =>
            row.eachCell((c) => {
              expect(c.formula ?? '', `${f} ${ws.name}!${c.address}`).not.toMatch(/HYPERLINK/i);
              if (typeof c.value === 'string')
                expect(c.value.startsWith('=HYPERLINK'), `${f} ${ws.name}!${c.address}`).toBe(false);
            }),
          );
      }
    }
  });

  it('shows hostile file names on the terminal with control characters made visible', () => {
    const ingest = logs.find((l) => l.what === 'ingest')!.r;
    expect(ingest.stdout).toContain(FILE_NAME);
    expect(ingest.stdout.split('\n').every((l) => !l.includes('\u001b'))).toBe(true);
  });
});
