import { describe, expect, it } from 'vitest';
import { validate } from '../../../../pipeline/ingest/questionnaire/validate.ts';
import type { StoredFile } from '../../../../schemas/stage.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';
import { lintQuestionList } from '../../../../schemas/waves/lint.ts';

/**
 * Checks declared in the wave's question list (schemas/waves/2023.json and 2025.json), run by validate, so
 * census check, census ingest and the self-check page raise them alike: a reporting period that ends before it
 * starts (before_other_answer, error) and an oldest age far outside 12-60 months (outside_expected_range,
 * warning; 240 months, or 2: years typed where months are asked). The answers are kept as given.
 */
describe.each([2023, 2025])('declared checks of wave %i: period order and oldest age', (wave) => {
  const list = loadQuestionList(wave);
  const file = { hash: 'd'.repeat(64), wave } as StoredFile;
  const answer = (questionId: string, raw: string | number | Date, cell: string) => ({
    questionId,
    raw,
    location: { fileHash: file.hash, sheet: 'Questionnaire', cell },
    match: { method: 'label' as const, score: 1 },
  });
  const read = (answers: ReturnType<typeof answer>[]) =>
    validate({ file, returns: [{ part: 0, answers, meta: {}, issues: [] }], issues: [] }, list).returns[0]!;
  const checked = (r: ReturnType<typeof read>) =>
    r.issues
      .filter((i) => i.code === 'before_other_answer' || i.code === 'outside_expected_range')
      .map((i) => [i.code, i.severity, i.location.cell]);

  it('flags a period that ends before it starts on its end cell, the dates kept', () => {
    const r = read([answer('period_start', '01/04/2024', 'C40'), answer('period_end', '31/03/2023', 'C41')]);
    expect(checked(r)).toEqual([['before_other_answer', 'error', 'C41']]);
    expect(r.issues.find((i) => i.code === 'before_other_answer')!.message).toContain('2023-03-31');
    expect(r.answers.find((a) => a.questionId === 'period_end')!.value).toEqual({ kind: 'date', iso: '2023-03-31' });
    // In order, the same day, or one date unreadable or blank: nothing to say.
    expect(
      checked(read([answer('period_start', '01/04/2023', 'C40'), answer('period_end', '31/03/2024', 'C41')])),
    ).toEqual([]);
    expect(
      checked(read([answer('period_start', '01/04/2023', 'C40'), answer('period_end', '01/04/2023', 'C41')])),
    ).toEqual([]);
    expect(
      checked(read([answer('period_start', 'last April', 'C40'), answer('period_end', '31/03/2023', 'C41')])),
    ).toEqual([]);
    expect(checked(read([answer('period_end', '31/03/2023', 'C41')]))).toEqual([]);
  });

  it('flags an oldest age far outside the range (240 months, or 2 typed in years), kept as given', () => {
    for (const [raw, flagged] of [
      [240, true],
      [2, true],
      ['over 100', true],
      [24, false],
      [60, false],
      [12, false],
      ['approx 36', false],
      ['24-240', false],
    ] as const) {
      const r = read([answer('age_to_months', raw, 'C30')]);
      expect(checked(r), String(raw)).toEqual(flagged ? [['outside_expected_range', 'warning', 'C30']] : []);
    }
    const r = read([answer('age_to_months', 240, 'C30')]);
    expect(r.answers.find((a) => a.questionId === 'age_to_months')!.value).toMatchObject({ low: 240, high: 240 });
  });

  it('keeps the question list sound: the checks name date questions and a range low to high', () => {
    expect(lintQuestionList(list)).toEqual([]);
    const bad = structuredClone(list);
    const end = bad.questions.find((q) => q.id === 'period_end')!;
    end.checks = [{ kind: 'not_before', other: 'age_to_months', severity: 'error' }];
    const age = bad.questions.find((q) => q.id === 'age_to_months')!;
    age.checks = [{ kind: 'within', low: 60, high: 12, severity: 'warning' }];
    expect(lintQuestionList(bad)).toEqual([
      expect.stringContaining('a within check has high below low'),
      expect.stringContaining('a not_before check compares two date questions'),
    ]);
  });
});
