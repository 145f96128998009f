import { describe, expect, it } from 'vitest';
import { coverageSection } from '../../reports/sections/coverage.ts';
import type { Env } from '../../reports/model.ts';
import type { WaveData } from '../../reports/input.ts';

const env = (publicBuild: boolean): Env =>
  ({
    wave: 2025,
    publicBuild,
    params: {},
    protection: { publicBuild, threshold: 3 },
    source: 'Parent-infant team survey 2025',
  }) as unknown as Env;
const d = { wave: 2025, list: { questions: [] } } as unknown as WaveData;
const input = (openCandidatePairs: number) => ({
  network: 69,
  returned: 54,
  questions: [],
  keptOut: [],
  leftOut: new Map<string, number>(),
  openCandidatePairs,
});
const text = (publicBuild: boolean, pairs: number): string =>
  coverageSection(env(publicBuild), d, input(pairs)).body.join('\n');

describe('report section 8b: teams possibly counted twice', () => {
  it('says the network may count a team twice, with the number of pairs not reviewed yet', () => {
    const internal = text(false, 3);
    expect(internal).toContain('The network may count a team twice: 3 pairs of its teams are possibly one team');
    expect(internal).toContain('too high by up to 3');
    expect(internal).toContain('census teams candidates');
  });

  it('names no command in a public build, and says nothing when no pair is open', () => {
    const pub = text(true, 1);
    expect(pub).toContain('1 pair of its teams is possibly one team');
    expect(pub).not.toContain('census teams');
    expect(text(false, 0)).not.toContain('count a team twice');
  });
});
