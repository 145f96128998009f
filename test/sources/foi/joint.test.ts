import { describe, expect, it } from 'vitest';
import { jointShare, trustsNamed } from '../../../sources/foi/joint.ts';
import { count, text } from '../../support/foi.ts';

/** A shared FOI office answering for two trusts (foi.md "Who replied"): which values are whose. */
const GHC = { ods: 'RTQ', name: 'Gloucestershire Health and Care NHS Foundation Trust' };
const HW = { ods: 'R1A', name: 'Herefordshire and Worcestershire Health and Care NHS Trust' };
const both = [GHC, HW];
const part = (service: string, n: number, line: number) => ({
  location: { page: 1, line },
  quote: `${service} ${n}`,
  interval: { low: n, high: n },
  service,
});

describe('a joint reply for two trusts', () => {
  it('names a trust by a word of its name no other has, its initials or its ODS code', () => {
    expect(trustsNamed('Gloucestershire 7 8 10', both)).toEqual(['RTQ']);
    expect(trustsNamed('Herefordshire and 3 5 6', both)).toEqual(['R1A']);
    expect(trustsNamed('GHC: 7', both)).toEqual(['RTQ']);
    expect(trustsNamed('R1A 3', both)).toEqual(['R1A']);
    expect(trustsNamed('HWHCT FOI 2024-188', both)).toEqual(['R1A']);
    // Words both names share ("Health", "Care", "Trust") name neither.
    expect(trustsNamed('Health and Care Trust total 10', both)).toEqual([]);
  });

  it("gives each trust its own row of a table split by trust, never the rows' sum", () => {
    const summed = count('q2_referrals_under2', 'fy2022_23', 13, {
      quote: 'Gloucestershire 7 8 10',
      derivedFrom: [part('Gloucestershire', 8, 11), part('Herefordshire and', 5, 12)],
    });
    const read = { values: [summed], textAnswers: [] };
    const g = jointShare(read, GHC, both).values;
    const h = jointShare(read, HW, both).values;
    expect(g.map((v) => [v.interval, v.location.line, v.suggestion])).toEqual([[{ low: 8, high: 8 }, 11, undefined]]);
    expect(h.map((v) => [v.interval, v.location.line, v.suggestion])).toEqual([[{ low: 5, high: 5 }, 12, undefined]]);
    expect(h[0]!.derivedFrom).toBeUndefined();
    expect(h[0]!.evidence).toContain('R1A');
  });

  it('keeps a count naming one trust for that trust alone, and sends a figure naming neither to a person for both', () => {
    const own = count('q2_referrals_under2', 'fy2021_22', 7, { quote: 'Gloucestershire: 7 referrals' });
    const combined = count('q3_accepted_under2', 'fy2021_22', 9, { quote: 'Across both Trusts, 9 were accepted.' });
    const notHeld = count('q2_referrals_under2', 'fy2023_24', null, { quote: 'This is not recorded.' });
    const read = { values: [own, combined, notHeld], textAnswers: [] };
    const g = jointShare(read, GHC, both).values;
    const h = jointShare(read, HW, both).values;
    expect(g.map((v) => [v.quote, v.suggestion === undefined])).toEqual([
      ['Gloucestershire: 7 referrals', true],
      ['Across both Trusts, 9 were accepted.', false],
      ['This is not recorded.', true],
    ]);
    expect(h.map((v) => v.quote)).toEqual(['Across both Trusts, 9 were accepted.', 'This is not recorded.']);
    expect(h[0]!.suggestion).toMatch(/joint reply for RTQ and R1A/);
  });

  it('sends the sum of several rows of one trust to a person (rows under a Measure column, teams)', () => {
    const summed = count('q2_referrals_under2', 'fy2021_22', 44, {
      derivedFrom: [
        part('Gloucestershire Received', 13, 11),
        part('Gloucestershire Accepted', 11, 12),
        part('Herefordshire Received', 20, 13),
      ],
    });
    const g = jointShare({ values: [summed], textAnswers: [] }, GHC, both).values;
    expect(g.map((v) => [v.interval, v.suggestion !== undefined])).toEqual([[{ low: 24, high: 24 }, true]]);
  });

  it("reads each trust's own sentence of an answer that names both", () => {
    const a = text(
      'q4_parent_infant_service',
      null,
      'Gloucestershire hosts the Bump Service. Herefordshire and Worcestershire: no.',
    );
    const read = { values: [], textAnswers: [a] };
    expect(jointShare(read, GHC, both).textAnswers.map((x) => [x.text, x.yesNo])).toEqual([
      ['Gloucestershire hosts the Bump Service.', true],
    ]);
    expect(jointShare(read, HW, both).textAnswers.map((x) => [x.text, x.yesNo])).toEqual([
      ['Herefordshire and Worcestershire: no.', false],
    ]);
  });

  it('gives an answer said of both trusts, or of neither by name, to each, and one naming one trust to it alone', () => {
    const answers = [
      text('q1_accepts_under2', true, 'Both Trusts accept referrals for children aged under two.'),
      text('q5_receiving_service', null, 'CAMHS.'),
      text('q4_parent_infant_service', true, 'Herefordshire and Worcestershire hosts the Bump2Baby team.'),
    ];
    const read = { values: [], textAnswers: answers };
    expect(jointShare(read, GHC, both).textAnswers.map((a) => a.questionId)).toEqual([
      'q1_accepts_under2',
      'q5_receiving_service',
    ]);
    expect(jointShare(read, HW, both).textAnswers.map((a) => a.questionId)).toEqual([
      'q1_accepts_under2',
      'q5_receiving_service',
      'q4_parent_infant_service',
    ]);
  });
});
