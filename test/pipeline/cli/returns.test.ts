import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../pipeline/cli/main.ts';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';
import { buildMapWorkbook } from '../../../sources/questionnaire/label-map-sheet.ts';

const list = loadQuestionList(2025);

/** Runs the CLI in-process and captures what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    process.exitCode = undefined;
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}
const json = <T>(r: { out: string }): T => JSON.parse(r.out) as T;

interface Ret {
  id: string;
  file: string;
  state: string;
  teamId: string | null;
  reason: string | null;
  decision: { by: string; kind: string } | null;
}

describe('census returns, resolve, teams, feedback, questions (CLI)', () => {
  let t: TestDb;
  let ws: string;
  const savedUrl = process.env.DATABASE_URL;
  const w = (...args: string[]) => cli(...args, '--workspace', ws);
  const returns = async (): Promise<Map<string, Ret>> =>
    new Map(json<Ret[]>(await w('returns', '--wave', '2025', '--json')).map((r) => [r.file, r]));

  beforeAll(async () => {
    t = await freshDatabase();
    process.env.DATABASE_URL = t.url;
    ws = mkdtempSync(join(tmpdir(), 'census-cli-ws-'));
    expect((await cli('init', '--workspace', ws)).code).toBe(0);
    const inbox = mkdtempSync(join(tmpdir(), 'inbox-cli-'));
    await writeSample2025(list, inbox);
    for (const [file, email] of [
      ['holly-1.xlsx', 'h1@holly.example'],
      ['holly-2.xlsx', 'h2@holly.example'],
    ] as const) {
      await writeReturn(inbox, file, list, teamAnswers('Holly Team', 'Holly Trust', email), '2025-05-01');
    }
    for (const [file, email] of [
      ['ivy-1.xlsx', 'i1@ivy.example'],
      ['ivy-2.xlsx', 'i2@ivy-south.example'],
    ] as const) {
      await writeReturn(inbox, file, list, teamAnswers('Ivy Team', 'Ivy Trust', email), '2025-05-01');
    }
    const ingested = await w('ingest', inbox, '--wave', '2025');
    expect(ingested.code, ingested.err).toBe(1);
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    await t.drop();
  });

  it('lists every return with its state, reason, dates and match method', async () => {
    const r = await returns();
    expect(r.size).toBe(10);
    // One unreadable answer ("lots" families) never keeps the team out: the return loads and counts.
    expect(r.get('lough-families.xlsx')).toMatchObject({ state: 'loaded', reason: null });
    expect(r.get('holly-1.xlsx')!.state).toBe('conflict');
    expect(r.get('riverside-babies.xlsx')).toMatchObject({
      state: 'loaded',
      match: 'new',
      dateCompleted: '2025-05-09',
    });
    const text = await w('returns', '--wave', '2025');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^id\s+file\s+team\s+state\s+reason \/ decision\s+completed\s+received\s+match$/m);
    expect(text.out).toContain('10 return(s): 6 loaded, 0 superseded, 4 in conflict, 0 rejected.');
  });

  it('resolve refuses without --by and --reason, or with two actions (exit 2)', async () => {
    const id = (await returns()).get('holly-2.xlsx')!.id;
    const noBy = await w('resolve', '--return', id, '--keep', '--reason', 'x');
    expect(noBy.code).toBe(2);
    expect(noBy.err).toMatch(/--by NAME is required/);
    expect((await w('resolve', '--return', id, '--keep', '--new-team', '--by', 'A', '--reason', 'x')).code).toBe(2);
    expect((await w('resolve', '--return', 'abc', '--keep', '--by', 'A', '--reason', 'x')).code).toBe(2);
  });

  it('resolve --keep records the decision, which census returns then shows', async () => {
    const id = (await returns()).get('holly-2.xlsx')!.id;
    const res = await w('resolve', '--return', id, '--keep', '--by', 'A. Lee', '--reason', 'holly-1 was a test');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^Decision \d+ recorded: return \d+ \(wave 2025\) kept\./);
    const r = await returns();
    expect(r.get('holly-2.xlsx')).toMatchObject({ state: 'loaded', decision: { kind: 'keep', by: 'A. Lee' } });
    expect(r.get('holly-1.xlsx')!.state).toBe('superseded');
  });

  it('teams add registers a team, and resolve --as-team puts a return on it', async () => {
    const add = json<{ teamId: string; newTeam: boolean }>(
      await w(
        'teams',
        'add',
        '--name',
        'Ivy South Team',
        '--host',
        'Ivy Trust',
        '--from',
        '2025',
        '--note',
        'opened 2024',
        '--json',
      ),
    );
    expect(add.newTeam).toBe(true);
    const id = (await returns()).get('ivy-2.xlsx')!.id;
    const res = await w(
      'resolve',
      '--return',
      id,
      '--as-team',
      add.teamId,
      '--by',
      'A. Lee',
      '--reason',
      'the south team',
    );
    expect(res.code).toBe(0);
    const r = await returns();
    expect(r.get('ivy-2.xlsx')).toMatchObject({ state: 'loaded', teamId: add.teamId, match: 'confirmed' });
    expect(r.get('ivy-1.xlsx')!.state).toBe('loaded');
    expect((await w('resolve', '--return', id, '--as-team', '99999', '--by', 'A', '--reason', 'x')).err).toMatch(
      /There is no team 99999/,
    );
  });

  it('returns --missing lists the network teams without a loaded return, by the documented reading', async () => {
    const teams = json<{ id: string; name: string }[]>(await w('teams', 'list', '--json'));
    const cwtch = teams.find((x) => x.name === 'Cwtch Team')!.id;
    expect(
      (await w('teams', 'add', '--team', cwtch, '--from', '2019', '--to', '2025', '--note', 'closed 2026')).code,
    ).toBe(0);
    expect((await w('teams', 'add', '--name', 'Hazel Team', '--host', 'Hazel Trust', '--from', '2025')).code).toBe(0);
    const missing25 = json<{ name: string }[]>(await w('returns', '--wave', '2025', '--missing', '--json')).map(
      (x) => x.name,
    );
    expect(missing25).toEqual(['Hazel Team']);
    const missing27 = json<{ name: string }[]>(await w('returns', '--wave', '2027', '--missing', '--json')).map(
      (x) => x.name,
    );
    expect(missing27).toEqual([
      'Glen Parent Infant Service',
      'Hazel Team',
      'Holly Team',
      'Ivy South Team',
      'Ivy Team',
      'Lough Families',
      'Meadow Parent Infant Partnership',
      'North Star Parent-Infant Team',
      'Riverside Babies',
    ]);
    expect((await w('returns', '--wave', '2025', '--missing')).out).toMatch(
      /1 team\(s\) of the network have no loaded return for 2025/,
    );
  });

  it('teams alias confirms a new name for a team', async () => {
    const teams = json<{ id: string; name: string }[]>(await w('teams', 'list', '--json'));
    const glen = teams.find((x) => x.name === 'Glen Parent Infant Service')!.id;
    const res = await w(
      'teams',
      'alias',
      '--team',
      glen,
      '--name',
      'Glen Baby Service',
      '--host',
      'NHS Glenshire',
      '--by',
      'A. Lee',
      '--reason',
      'renamed',
      '--json',
    );
    expect(res.code, res.err).toBe(0);
    expect(json<{ outcome: string }>(res).outcome).toBe('added');
    expect((await w('teams', 'alias', '--team', glen, '--name', 'X', '--host', 'Y')).code).toBe(2);
  });

  it('feedback writes the workbooks to --out', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cli-feedback-'));
    const res = await w('feedback', '--wave', '2025', '--out', out, '--json');
    expect(res.code).toBe(0);
    expect(json<{ files: { file: string }[] }>(res).files.map((f) => f.file)).toEqual([
      'lough-families-2025-feedback.xlsx',
    ]);
    expect(readdirSync(out)).toEqual(['lough-families-2025-feedback.xlsx']);
  });

  it('feedback replaces its own earlier files only with --force, naming them, and leaves other files alone', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cli-feedback-'));
    const mail = mkdtempSync(join(tmpdir(), 'cli-feedback-mail-'));
    writeFileSync(join(out, 'notes.txt'), 'ours');
    const first = await w('feedback', '--wave', '2025', '--out', out, '--emails', mail);
    expect(first.code, first.err).toBe(0);
    expect(readdirSync(mail)).toEqual(['lough-families-2025-feedback.eml']);
    const again = await w('feedback', '--wave', '2025', '--out', out, '--emails', mail);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/lough-families-2025-feedback\.xlsx, .*lough-families-2025-feedback\.eml already exist/);
    expect(again.err).toMatch(/what to do: Add --force.*or choose another --out and --emails\.$/m);
    // Only the e-mails folder holding earlier feedback is refused as well, the advice naming it.
    const fresh = mkdtempSync(join(tmpdir(), 'cli-feedback-'));
    const mailOnly = await w('feedback', '--wave', '2025', '--out', fresh, '--emails', mail);
    expect(mailOnly.err).toMatch(/^error: .*lough-families-2025-feedback\.eml already exists/);
    expect(mailOnly.err).toMatch(/or choose another --emails\.$/m);
    const forced = await w('feedback', '--wave', '2025', '--out', out, '--emails', mail, '--force');
    expect(forced.code, forced.err).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['lough-families-2025-feedback.xlsx', 'notes.txt']);
    expect((await w('feedback', '--wave', '2025', '--out', join(out, 'notes.txt'))).err).toMatch(
      /--out .*notes\.txt is a file/,
    );
  });

  it('questions diff 2023 2025 reports changed bands, as text and JSON', async () => {
    const j = await cli('questions', 'diff', '2023', '2025', '--json');
    expect(j.code).toBe(0);
    const d = json<{ from: number; to: number; added: string[]; bandsChanged: { id: string }[] }>(j);
    expect([d.from, d.to]).toEqual([2023, 2025]);
    expect(d.added).toContain('babies_under_2');
    expect(d.bandsChanged.map((b) => b.id)).toEqual(['families_supported']);
    const text = await cli('questions', 'diff', '2023', '2025');
    expect(text.out).toMatch(/Bands changed \(1\)\nid\s+2023\s+2025/);
    expect((await cli('questions', 'diff', '2023', '1999')).code).toBe(2);
  });

  it('returns shows the coverage: loaded of the network, unreadable answers per question, files kept out', async () => {
    const text = await w('returns', '--wave', '2025');
    expect(text.out).toMatch(/Coverage, wave 2025: \d+ team\(s\) with a loaded return of \d+ in the network/);
    const c = json<{
      network: number;
      returned: number;
      questions: { questionId: string; unreadable: number; notAnswered: number }[];
      keptOut: { file: string; state: string }[];
    }>(await w('returns', '--wave', '2025', '--coverage', '--json'));
    const loaded = [...(await returns()).values()].filter((r) => r.state === 'loaded').length;
    expect(c.returned).toBe(loaded);
    expect(c.network).toBeGreaterThanOrEqual(c.returned);
    // lough-families.xlsx typed "lots" families: one unreadable answer, the return still counts.
    expect(c.questions.find((q) => q.questionId === 'families_supported')).toMatchObject({ unreadable: 1 });
    expect(c.keptOut.map((k) => k.file)).toEqual(
      [...(await returns()).values()]
        .filter((r) => r.state !== 'loaded')
        .map((r) => r.file)
        .sort(),
    );
  });

  it('teams import registers the listed teams once (idempotent, audit-logged) and names the bad rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-teams-'));
    const csv = join(dir, 'network.csv');
    writeFileSync(
      csv,
      [
        'Notes,Team name,Host organisation,Member since,Closed',
        ',Riverside Babies,,2019,',
        'opened 2024,Oak Parent-Infant Team,Oak NHS Trust,2025,',
        'no name,,Nowhere Trust,2025,',
        ',Elm Team,Elm Trust,soon,',
        ',Ash Team,Ash Trust,2025,2023',
      ].join('\n'),
    );
    const first = await w('teams', 'import', csv, '--json');
    expect(first.code).toBe(1);
    const out = json<{
      added: number;
      unchanged: number;
      rows: { name: string; match: string }[];
      bad: { row: number }[];
    }>(first);
    expect(out.added).toBe(2);
    // A list without the host still finds the team that returned under that name.
    expect(out.rows).toEqual([
      expect.objectContaining({ name: 'Riverside Babies', match: 'name' }),
      expect.objectContaining({ name: 'Oak Parent-Infant Team', match: 'new' }),
    ]);
    expect(out.bad.map((b) => b.row)).toEqual([4, 5, 6]);
    const again = await w('teams', 'import', csv);
    expect(again.out).toContain('0 registration(s) added');
    const audit = await t.pool.query(`select detail from audit_log where action = 'network_import'`);
    expect(audit.rows).toEqual([{ detail: expect.objectContaining({ file: 'network.csv', added: 2 }) }]);
    expect(again.out).toMatch(/row 5: first wave "soon" is not a year/);
    expect(again.out).toMatch(/row 6: last wave 2023 is before first wave 2025/);
    const missing = json<{ name: string }[]>(await w('returns', '--wave', '2025', '--missing', '--json'));
    expect(missing.map((m) => m.name)).toContain('Oak Parent-Infant Team');
    expect(missing.map((m) => m.name)).not.toContain('Riverside Babies');
    const c = json<{ network: number; returned: number; missing: number }>(
      await w('returns', '--wave', '2025', '--coverage', '--json'),
    );
    expect(c.missing).toBe(missing.length);
    expect(c.network).toBe(c.returned + missing.length);
    const noHeader = join(dir, 'plain.csv');
    writeFileSync(noHeader, 'Riverside Babies\nOak Team\n');
    const refused = await w('teams', 'import', noHeader);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/no header row with a team name column/);
  });

  it('questions map refuses a question id the wave does not have, storing nothing (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-map-'));
    const wb = buildMapWorkbook(
      list,
      [
        {
          label: 'Favourite biscuit',
          files: ['x.xlsx'],
          where: 'Questionnaire!A9',
          example: 'custard',
          candidates: [],
        },
      ],
      new Date('2025-06-01T00:00:00Z'),
    );
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    filled.getWorksheet('Unmatched labels')!.getRow(2).getCell(2).value = 'favourite_biscuit';
    const path = join(dir, 'map.xlsx');
    writeFileSync(path, Buffer.from(await filled.xlsx.writeBuffer()));
    const res = await w('questions', 'map', path);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/Nothing was stored/);
    expect(res.err).toMatch(/"favourite_biscuit" is not a question id of wave 2025/);
    expect((await t.pool.query(`select count(*)::int as n from label_mapping`)).rows[0].n).toBe(0);
  });

  it('returns withdraw keeps a return out and --undo gives it back (exit 2 without a reason)', async () => {
    const before = (await returns()).get('riverside-babies.xlsx')!;
    expect(before.state).toBe('loaded');
    const noReason = await w('returns', 'withdraw', 'riverside-babies.xlsx', '--reason', '  ');
    expect(noReason.code).toBe(2);
    const res = await w('returns', 'withdraw', 'riverside-babies.xlsx', '--reason', 'sent by mistake');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/riverside-babies\.xlsx \(wave 2025\): 1 return\(s\) withdrawn\./);
    expect((await returns()).get('riverside-babies.xlsx')).toMatchObject({ state: 'rejected' });
    expect((await returns()).get('riverside-babies.xlsx')!.reason).toMatch(/^withdrawn by .+: sent by mistake$/);
    const kept = json<{ keptOut: { file: string }[] }>(await w('returns', '--wave', '2025', '--coverage', '--json'));
    expect(kept.keptOut.map((k) => k.file)).toContain('riverside-babies.xlsx');
    const undo = await w('returns', 'withdraw', 'riverside-babies.xlsx', '--undo', '--reason', 'withdrawn by mistake');
    expect(undo.code, undo.err).toBe(0);
    expect(undo.out).toMatch(/1 return\(s\) withdrawal taken back/);
    expect((await returns()).get('riverside-babies.xlsx')).toMatchObject({ state: 'loaded' });
    const unknown = await w('returns', 'withdraw', 'nobody.xlsx', '--reason', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/No questionnaire return was received as "nobody\.xlsx"/);
  });

  it("documents examples and exit codes in every new command's help", async () => {
    for (const cmd of [
      ['returns'],
      ['resolve'],
      ['feedback'],
      ['teams'],
      ['teams', 'add'],
      ['teams', 'alias'],
      ['teams', 'list'],
      ['teams', 'import'],
      ['questions', 'diff'],
    ]) {
      const h = await cli(...cmd, '--help');
      expect(h.code, cmd.join(' ')).toBe(0);
      expect(h.out, cmd.join(' ')).toMatch(/Examples:[\s\S]*Exit codes:/);
    }
  });
});
