import { describe, expect, it } from 'vitest';
import { validate } from '../../../../pipeline/ingest/questionnaire/validate.ts';
import type { StoredFile } from '../../../../schemas/stage.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';

/**
 * A team that typed what its other source is into the tick cell of "Other" ("Other (please specify):
 * Barnardo's grant") ticked Other (v10q corpus: the answer was unreadable and Other under-counted).
 */
describe('text typed into the tick cell of Other', () => {
  const list = loadQuestionList(2025);
  const file = { hash: 'c'.repeat(64), wave: 2025 } as StoredFile;
  const tick = (optionCode: string, raw: string, cell: string) => ({
    questionId: 'funding_sources',
    optionCode,
    raw,
    location: { fileHash: file.hash, sheet: 'Questionnaire', cell },
    match: { method: 'label' as const, score: 1 },
  });
  const read = (answers: ReturnType<typeof tick>[]) =>
    validate({ file, returns: [{ part: 0, answers, meta: {}, issues: [] }], issues: [] }, list).returns[0]!;

  it('reads it as ticked, with the text kept and said', () => {
    const r = read([tick('camhs', 'Yes', 'C20'), tick('other', "Barnardo's grant", 'C25')]);
    const funding = r.answers.find((a) => a.questionId === 'funding_sources')!;
    expect(funding.value).toEqual({ kind: 'codes', codes: ['camhs', 'other'] });
    expect(r.issues.filter((i) => i.questionId === 'funding_sources').map((i) => [i.code, i.location.cell])).toEqual([
      ['option_as_other', 'C25'],
    ]);
  });

  it('still asks about text in the tick cell of a listed option; "no" in Other ticks nothing', () => {
    const r = read([tick('camhs', 'sometimes', 'C20'), tick('other', 'no', 'C25')]);
    const funding = r.issues.filter((i) => i.questionId === 'funding_sources');
    expect(funding.map((i) => [i.code, i.location.cell])).toEqual([['option_flag_unreadable', 'C20']]);
    expect(r.answers.find((a) => a.questionId === 'funding_sources')!.value).toEqual({
      kind: 'missing',
      reason: 'blank',
    });
  });
});
