import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../schemas/issue-codes.ts';
import { STAFF_ONLY, TEAM_WORDING, teamLocation, teamSentence } from '../../schemas/team-wording.ts';

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

  it('says where an issue is as a team finds it in its workbook: a sheet reference Excel and LibreOffice take', () => {
    expect(teamLocation({ sheet: 'Questionnaire', cell: 'C12' })).toBe('Questionnaire!C12');
    // A name with a space or a quote is quoted as a reference writes it; one that looks like a cell too.
    expect(teamLocation({ sheet: 'Staff and roles', cell: 'C3' })).toBe("'Staff and roles'!C3");
    expect(teamLocation({ sheet: "Team's answers", cell: 'B2' })).toBe("'Team''s answers'!B2");
    expect(teamLocation({ sheet: '2025', cell: 'B2' })).toBe("'2025'!B2");
    expect(teamLocation({ sheet: 'A1', cell: 'B2' })).toBe("'A1'!B2");
    expect(teamLocation({ sheet: 'Survey_2019', cell: 'B7', row: 7 })).toBe('Survey_2019!B7');
    // No cell: the sheet and row in words; a survey export's row with its column's heading.
    expect(teamLocation({ sheet: 'Survey', row: 12 })).toBe('sheet Survey, row 12');
    expect(teamLocation({ row: 3, column: 'Referrals received' })).toBe('row 3, column "Referrals received"');
    expect(teamLocation({ row: 3, column: 'column 7' })).toBe('row 3');
    expect(teamLocation({ sheet: null, cell: null, row: null, column: null })).toBe('the whole file');
  });
});
