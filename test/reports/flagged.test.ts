import { describe, expect, it } from 'vitest';
import { leaveOutFlagged } from '../../reports/flagged.ts';
import type { AnswerRow, WaveData } from '../../reports/input.ts';
import { intervalSum } from '../../reports/measures.ts';
import { denominatorText, teamsDenominator } from '../../reports/model.ts';

const row = (returnId: string, q: string, low: number | null): AnswerRow => ({
  returnId,
  teamId: returnId,
  status: 'established',
  nation: 'england',
  questionId: q,
  answered: low !== null,
  kind: low === null ? 'missing' : 'interval',
  text: null,
  codes: [],
  interval: low === null ? null : { low, high: low },
  band: null,
  num: null,
});

const wave = (): WaveData =>
  ({
    wave: 2025,
    answers: new Map([
      [
        'babies_under_2',
        [row('a.0', 'babies_under_2', 219), row('b.0', 'babies_under_2', 40), row('c.0', 'babies_under_2', null)],
      ],
      ['wte_total', [row('a.0', 'wte_total', 7), row('b.0', 'wte_total', 3)]],
    ]),
    coverage: new Map([
      ['babies_under_2', { teams: 3, answered: 2, notAnswered: 1 }],
      ['wte_total', { teams: 2, answered: 2, notAnswered: 0 }],
    ]),
    options: new Map(),
  }) as unknown as WaveData;

const flagged = new Map([
  ['babies_under_2', new Set(['a.0'])],
  ['wte_total', new Set(['b.0'])],
]);

describe('leaveOutFlagged (report parameter)', () => {
  it('changes nothing when no question is named: flagged answers count by default', () => {
    const d = wave();
    const out = leaveOutFlagged(d, flagged, []);
    expect(out.data).toBe(d);
    expect(out.leftOut.size).toBe(0);
  });

  it('leaves the flagged answers of the named questions out, as not answered, and counts them', () => {
    const out = leaveOutFlagged(wave(), flagged, ['babies_under_2']);
    expect(out.leftOut).toEqual(new Map([['babies_under_2', 1]]));
    const babies = out.data.answers.get('babies_under_2')!;
    expect(babies.map((a) => a.answered)).toEqual([false, true, false]);
    expect(babies[0]!.interval).toBeNull();
    expect(out.data.coverage.get('babies_under_2')).toEqual({ teams: 3, answered: 1, notAnswered: 2, leftOut: 1 });
    // A question not named keeps its flagged answer.
    expect(out.data.answers.get('wte_total')!.map((a) => a.answered)).toEqual([true, true]);
  });

  it('"all" leaves out the flagged answers of every question', () => {
    const out = leaveOutFlagged(wave(), flagged, ['all']);
    expect(out.leftOut).toEqual(
      new Map([
        ['babies_under_2', 1],
        ['wte_total', 1],
      ]),
    );
  });

  it('says beside a figure how many of the teams that did not answer were unreadable or left out as flagged', () => {
    const d = wave();
    // c.0 gave an unreadable answer ("lots"): stored missing with the reason unreadable.
    d.answers.set(
      'babies_under_2',
      d.answers
        .get('babies_under_2')!
        .map((a) => (a.returnId === 'c.0' ? { ...a, missingReason: 'unreadable' as const } : a)),
    );
    const out = leaveOutFlagged(d, flagged, ['babies_under_2']);
    const sum = intervalSum(out.data, 'babies_under_2');
    expect({
      answered: sum.answered,
      notAnswered: sum.notAnswered,
      unreadable: sum.unreadable,
      leftOut: sum.leftOut,
    }).toEqual({
      answered: 1,
      notAnswered: 2,
      unreadable: 1,
      leftOut: 1,
    });
    expect(denominatorText(teamsDenominator(sum))).toBe(
      'of 1 team that answered (2 did not answer, of which 1 unreadable and 1 flagged answer left out)',
    );
    // With nothing unreadable or left out, the wording is the spec's plain one.
    expect(denominatorText(teamsDenominator(intervalSum(wave(), 'wte_total')))).toBe(
      'of 2 teams that answered (0 did not answer)',
    );
  });
});
