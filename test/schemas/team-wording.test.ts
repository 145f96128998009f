import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../schemas/issue-codes.ts';
import { STAFF_ONLY, TEAM_WORDING, teamSentence } from '../../schemas/team-wording.ts';

describe('wording for teams', () => {
  it('has a sentence for every catalogue code that can reach a team', () => {
    const reach = Object.entries(ISSUE_CODES)
      .filter(([code, e]) => !('reserved' in e && e.reserved) && !STAFF_ONLY.has(code))
      .map(([code]) => code);
    expect(reach.length).toBeGreaterThan(40);
    expect(reach.filter((c) => !(c in TEAM_WORDING))).toEqual([]);
  });

  it('says what could not be read and what to type, without codes or ids', () => {
    const s = teamSentence('count_unreadable', {
      question: 'Families supported directly',
      raw: 'lots',
      hint: 'Please give a number or a range, e.g. 40 or 40-50.',
    });
    expect(s).toBe(
      'We could not read "lots" as an answer to "Families supported directly". Please give a number or a range, e.g. 40 or 40-50.',
    );
    for (const [code, w] of Object.entries(TEAM_WORDING)) {
      const text = w!({ question: 'Referrals received', raw: 'x', hint: '' });
      expect(text, code).not.toMatch(/[a-z]+_[a-z_]+|census|record a correction|ask the team/i);
    }
  });
});
