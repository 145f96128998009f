import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../pipeline/cli/main.ts';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

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

  it("documents examples and exit codes in every new command's help", async () => {
    for (const cmd of [
      ['returns'],
      ['resolve'],
      ['feedback'],
      ['teams'],
      ['teams', 'add'],
      ['teams', 'alias'],
      ['teams', 'list'],
      ['questions', 'diff'],
    ]) {
      const h = await cli(...cmd, '--help');
      expect(h.code, cmd.join(' ')).toBe(0);
      expect(h.out, cmd.join(' ')).toMatch(/Examples:[\s\S]*Exit codes:/);
    }
  });
});
