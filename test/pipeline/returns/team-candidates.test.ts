import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comparePair,
  expandAbbreviations,
  nameWords,
  type TeamFacts,
} from '../../../pipeline/returns/team-similarity.ts';
import { shellQuote } from '../../../pipeline/returns/team-candidates.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { runCensus } from '../../support/cli.ts';
import { laterWave, teamAnswers, writeReturn } from '../../support/returns.ts';

const team = (id: string, name: string, host: string | null, waves: number[], extra: Partial<TeamFacts> = {}) =>
  ({ id, name, host, waves, nations: ['england'], areas: [], ...extra }) satisfies TeamFacts;

describe('possibly the same team: why two teams of the register may be one', () => {
  it('pairs a 2019 "(pilot)" name with the later name, with the same host and area', () => {
    const v = comparePair(
      team('1', 'Oak Lane Parent Infant Team (pilot)', 'Oak NHS Trust', [2019], { areas: ['Oakshire'] }),
      team('2', 'Oak Lane Parent Infant Team', 'Oak NHS Trust', [2023, 2025], { areas: ['Oakshire'] }),
    );
    expect(v?.reasons).toEqual(['same_name', 'same_host', 'same_area']);
  });

  it('reads an abbreviation spelled by the other name\'s initials, "&" as "and" and "Saint" as "St"', () => {
    expect(
      expandAbbreviations(nameWords('Wolverhampton PIP'), nameWords('Wolverhampton Parent Infant Partnership')),
    ).toEqual(['wolverhampton', 'parent', 'infant', 'partnership']);
    expect(
      comparePair(
        team('1', 'Wolverhampton PIP', null, [2019]),
        team('2', 'Wolverhampton Parent Infant Partnership', null, [2025]),
      )?.reasons,
    ).toEqual(['same_name']);
    expect(
      comparePair(
        team('1', 'Bumps & Babies Saint Albans', null, [2019]),
        team('2', 'Bumps and Babies St. Albans', null, [2025]),
      )?.reasons,
    ).toEqual(['same_name']);
  });

  it('pairs a team now named by the acronym the earlier name gave in brackets', () => {
    const v = comparePair(
      team('1', 'Oxford Parent Infant Project (OXPIP)', 'OXPIP charity', [2023]),
      team('2', 'OXPIP', 'OXPIP charity', [2025]),
    );
    expect(v?.reasons).toEqual(['same_name', 'same_host']);
    expect(comparePair(team('1', 'Ash Team (pilot)', null, [2019]), team('2', 'pilot', null, [2025]))).toBeNull();
  });

  it('treats a host written with the NHS shorthand as the same host', () => {
    const v = comparePair(
      team('1', 'Elm Baby Team', 'Elm NHS FT', [2019]),
      team('2', 'Elm Baby Team', 'Elm NHS Foundation Trust', [2025]),
    );
    expect(v?.reasons).toEqual(['same_name', 'same_host']);
  });

  it('pairs a renamed team only with the same host and area behind it', () => {
    const before = team('1', 'Halton Parent Infant Project', 'Halton NHS Trust', [2019], { areas: ['Halton'] });
    const after = team('2', 'Halton Parent-Infant Relationship Service', 'Halton NHS Trust', [2023], {
      areas: ['Halton'],
    });
    expect(comparePair(before, after)?.reasons).toEqual(['similar_name', 'same_host', 'same_area']);
    expect(comparePair(before, { ...after, host: 'Other Council', areas: [] })).toBeNull();
  });

  it('never pairs two teams that both sent a return in one wave, or teams of different nations', () => {
    expect(
      comparePair(team('1', 'Ash Team (pilot)', 'Ash Trust', [2023]), team('2', 'Ash Team', 'Ash Trust', [2023, 2025])),
    ).toBeNull();
    expect(
      comparePair(
        team('1', 'Ash Team', 'Ash Trust', [2019], { nations: ['wales'] }),
        team('2', 'Ash Team', 'Ash Trust', [2025], { nations: ['england'] }),
      ),
    ).toBeNull();
  });

  it('does not pair teams of one brand in different places', () => {
    expect(
      comparePair(
        team('1', 'Tiny Steps Leeds', 'Leeds NHS Trust', [2019], { areas: ['Leeds'] }),
        team('2', 'Tiny Steps Devon', 'Devon NHS Trust', [2025], { areas: ['Devon'] }),
      ),
    ).toBeNull();
  });

  it('quotes a name for the shell so the command can be pasted as it is', () => {
    expect(shellQuote('Team "A" $HOME `x` \\')).toBe('"Team \\"A\\" \\$HOME \\`x\\` \\\\"');
  });
});

describe('census teams candidates, and the network until a pair is tied', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const census = (...args: string[]) => runCensus(args, { cwd: home, env });

  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-candidates-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws'), CENSUS_USER: 'tester' };
    expect((await census('init')).code).toBe(0);
    const list2027 = laterWave(join(home, 'ws', 'waves'), 2027);
    const list2025 = loadQuestionList(2025);
    const in25 = join(home, 'in25');
    const in27 = join(home, 'in27');
    await writeReturn(
      in25,
      'a.xlsx',
      list2025,
      teamAnswers('Wolverhampton PIP', 'Wolverhampton Council', 'a@x.example'),
    );
    await writeReturn(in25, 'b.xlsx', list2025, teamAnswers('Tiny Steps Leeds', 'Leeds Trust', 'b@x.example'));
    await writeReturn(
      in27,
      'a.xlsx',
      list2027,
      teamAnswers('Wolverhampton Parent Infant Partnership', 'Wolverhampton Council', 'c@x.example'),
    );
    await writeReturn(in27, 'b.xlsx', list2027, teamAnswers('Tiny Steps Leeds', 'Leeds Trust', 'b@x.example'));
    // A second pair, which a person will say is two teams.
    await writeReturn(
      in25,
      'c.xlsx',
      list2025,
      teamAnswers('Bumps & Babies Saint Albans', 'Herts Trust', 'd@x.example'),
    );
    await writeReturn(
      in27,
      'c.xlsx',
      list2027,
      teamAnswers('Bumps and Babies St. Albans', 'Herts Trust', 'e@x.example'),
    );
    expect((await census('ingest', in25, '--wave', '2025')).code).toBe(0);
    expect((await census('ingest', in27, '--wave', '2027')).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('lists the pair with its reasons and the alias command, as text, json and csv, and merges nothing', async () => {
    const json = await census('teams', 'candidates', '--json');
    expect(json.code).toBe(0);
    const pairs = JSON.parse(json.stdout) as {
      keep: { name: string };
      other: { name: string };
      reasons: string[];
      commands: string[];
      distinct: string;
    }[];
    expect(pairs.map((p) => [p.keep.name, p.other.name]).sort()).toEqual([
      ['Bumps and Babies St. Albans', 'Bumps & Babies Saint Albans'],
      ['Wolverhampton Parent Infant Partnership', 'Wolverhampton PIP'],
    ]);
    const wolves = pairs.find((p) => p.other.name === 'Wolverhampton PIP')!;
    expect(wolves.reasons).toEqual(['same_name', 'same_host', 'same_area']);
    expect(wolves.commands).toHaveLength(1);
    expect(wolves.distinct).toMatch(/^census teams distinct --team \d+ --other \d+ --by "YOUR NAME"/);
    expect(wolves.commands[0]).toMatch(
      /^census teams alias --team \d+ --name "Wolverhampton PIP" --host "Wolverhampton Council" --by "YOUR NAME"/,
    );
    const csv = await census('teams', 'candidates', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('keep,possibly the same as,why,score,to tie them,if they are two teams');
    const text = await census('teams', 'candidates');
    expect(text.stdout).toContain('2 candidate pair(s) to review');
    const cov = JSON.parse((await census('returns', '--wave', '2027', '--coverage', '--json')).stdout);
    expect({ network: cov.network, open: cov.openCandidatePairs }).toEqual({ network: 5, open: 2 });
    expect((await census('returns', '--wave', '2027')).stdout).toContain(
      'The network may count a team twice: 2 pair(s)',
    );
  }, 60_000);

  /** The words of a command line as printed (double-quoted words unquoted), without "census". */
  const argsOf = (line: string): string[] =>
    line
      .replace('"YOUR NAME"', '"A. Lee"')
      .match(/"(?:[^"\\]|\\.)*"|\S+/g)!
      .slice(1)
      .map((a) => (a.startsWith('"') ? a.slice(1, -1).replace(/\\(.)/g, '$1') : a));

  it('after the alias command is run, the team counts once in the network and its pair is closed', async () => {
    const pairs = JSON.parse((await census('teams', 'candidates', '--json')).stdout) as {
      other: { name: string };
      commands: string[];
    }[];
    const wolves = pairs.find((p) => p.other.name === 'Wolverhampton PIP')!;
    expect((await census(...argsOf(wolves.commands[0]!))).code).toBe(0);
    const cov = JSON.parse((await census('returns', '--wave', '2027', '--coverage', '--json')).stdout);
    expect({ network: cov.network, returned: cov.returned, open: cov.openCandidatePairs }).toEqual({
      network: 4,
      returned: 3,
      open: 1,
    });
  }, 60_000);

  it('after the distinct command is run, the pair is no longer listed and both teams still count', async () => {
    const [pair] = JSON.parse((await census('teams', 'candidates', '--json')).stdout) as { distinct: string }[];
    expect((await census(...argsOf(pair!.distinct))).code).toBe(0);
    // Saying it twice keeps the first record; the same team twice is a usage error; --by is required.
    const again = await census(...argsOf(pair!.distinct));
    expect({ code: again.code, out: again.stdout }).toMatchObject({ code: 0, out: expect.stringContaining('already') });
    expect((await census('teams', 'distinct', '--team', '1', '--other', '1', '--by', 'A. Lee')).code).toBe(2);
    expect(
      (await census(...argsOf(pair!.distinct).filter((a, i, all) => a !== '--by' && all[i - 1] !== '--by'))).code,
    ).toBe(2);
    const cov = JSON.parse((await census('returns', '--wave', '2027', '--coverage', '--json')).stdout);
    expect({ network: cov.network, open: cov.openCandidatePairs }).toEqual({ network: 4, open: 0 });
    expect((await census('teams', 'candidates')).stdout).toContain('nothing to review');
  }, 60_000);
});

describe('census teams list --format', () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const census = (...args: string[]) => runCensus(args, { cwd: home, env });
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-teams-list-'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws'), CENSUS_USER: 'tester' };
    expect((await census('init')).code).toBe(0);
    expect(
      (await census('teams', 'add', '--name', 'Alder, "North"', '--host', 'Alder Trust', '--from', '2025')).code,
    ).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await t.drop();
  });

  it('prints csv with a header row and quoted fields, json as before, and rejects another format (exit 2)', async () => {
    const csv = await census('teams', 'list', '--format', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n').slice(0, 2)).toEqual([
      'id,team,host,waves,aliases,registered',
      expect.stringMatching(/^\d+,"Alder, ""North""",Alder Trust,,1 \(0 confirmed\),2025-$/),
    ]);
    const json = JSON.parse((await census('teams', 'list', '--format', 'json')).stdout);
    expect(json).toMatchObject([{ name: 'Alder, "North"', host: 'Alder Trust', registered: ['2025-'] }]);
    expect((await census('teams', 'list', '--format', 'xml')).code).toBe(2);
  }, 60_000);
});
