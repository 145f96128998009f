import { describe, expect, it } from 'vitest';
import { nameStem, ourRefsIn, requestsByReference } from '../../../pipeline/foi/match.ts';
import { replyCoding } from '../../../pipeline/foi/outcomes.ts';

const requests = [
  { id: '1', ods: 'R1C', ourRef: 'PIP-FOI-2024-002', theirRef: null },
  { id: '2', ods: 'RXT', ourRef: 'PIP-FOI-2024-017', theirRef: '1277/2024' },
  { id: '3', ods: 'RAT', ourRef: 'PIP-FOI-2024-004', theirRef: 'IG/FOI/0729' },
];

describe('matching a reply by reference', () => {
  it('finds our reference in a subject or file name however it is spaced', () => {
    expect(ourRefsIn('RE_ Freedom of Information request PIP_FOI_2024_017 [OFFICIAL].eml')).toEqual(['PIPFOI2024017']);
    expect(requestsByReference(['PIP-FOI-2024-002 - Hampshire response.pdf'], requests).ours.map((r) => r.ods)).toEqual(
      ['R1C'],
    );
  });
  it("finds the trust's own reference with / written as - or _ , and not inside a longer number", () => {
    expect(requestsByReference(['1277_2024 - your request.eml'], requests).theirs.map((r) => r.ods)).toEqual(['RXT']);
    expect(requestsByReference(['IG-FOI-0729.pdf'], requests).theirs.map((r) => r.ods)).toEqual(['RAT']);
    expect(requestsByReference(['11277_20245.pdf'], requests).theirs).toEqual([]);
  });
  it('gives a covering e-mail and its attachment the same name stem', () => {
    expect(nameStem('FOI 0834_2024 response.eml')).toBe(nameStem('0834-2024_extract.csv'));
    expect(nameStem('scan.pdf')).toBeNull();
    // Four digits that are no year are a reference; a year alone never ties two files.
    expect(nameStem('SLaM FOI-1180 attachment.xlsx')).toBe(nameStem('SLaM FOI-1180 covering.eml'));
    expect(nameStem('SLaM FOI-1180 covering.eml')).toBe('1180');
    expect(nameStem('reply 2024.pdf')).toBeNull();
  });
});

describe('status of a trust that takes no under-two referrals', () => {
  const v = (question_id: string, extra: Partial<Parameters<typeof replyCoding>[0][number]> = {}) => ({
    question_id,
    low: null,
    high: null,
    yes_no: null,
    text_value: null,
    missing_reason: null,
    exemptions: [],
    ...extra,
  });
  const ids = ['q1', 'q2', 'q3'];
  const applies = { gate: 'q1', counts: ['q2', 'q3'] };
  it('counts the blank count questions as answered when the reply says no', () => {
    expect(replyCoding([v('q1', { yes_no: false })], ids, applies).answered).toEqual(ids);
  });
  it('leaves them uncoded when the reply says yes', () => {
    expect(replyCoding([v('q1', { yes_no: true })], ids, applies).answered).toEqual(['q1']);
  });
  it('reads a count withheld under an exemption with no bound, in a reply that discloses nothing else, as refused', () => {
    expect(replyCoding([v('q2', { low: 0, high: null, exemptions: ['s40(2)'] })], ids, applies).refused).toEqual([
      'q2',
    ]);
  });
});
