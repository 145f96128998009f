import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../schemas/foi/index.ts';
import { codeLetter } from '../../sources/foi/letter.ts';
import { codeTable } from '../../sources/foi/table.ts';

/**
 * A new FOI wave written by a research officer from the request they sent (spec/foi.md: "wave 2026 may
 * ask for other years or add questions"): no `basis`, no `keywords`, the running year as a part year
 * ending on the day the request was sent. Found on the v11 spec-only corpus, where every count read
 * from a table was stored under no question of the wave.
 */
const WAVE_2026 = {
  wave: 2026,
  sentDate: '2026-03-09',
  askedAgeBand: { label: 'under two (0-23 months)', months: [0, 23], exact: true },
  periods: [
    { id: 'fy2023_24', label: '2023/24', type: 'financial_year', start: '2023-04-01', end: '2024-03-31' },
    { id: 'fy2024_25', label: '2024/25', type: 'financial_year', start: '2024-04-01', end: '2025-03-31' },
    { id: 'fy2025_26', label: '2025/26 (to date)', type: 'part_year', start: '2025-04-01', end: '2026-03-09' },
  ],
  questions: [
    {
      id: 'q1_accepts_under2',
      text: 'Does the trust accept referrals for children aged under two?',
      answerType: 'yes_no',
    },
    {
      id: 'q2_referrals_under2',
      text: 'How many referrals for children aged under two did the trust receive in each of the financial years 2023/24, 2024/25 and 2025/26 (to date)?',
      answerType: 'count_per_period',
    },
    {
      id: 'q3_accepted_under2',
      text: 'How many of those referrals were accepted (assessed or treated)?',
      answerType: 'count_per_period',
    },
    {
      id: 'q6_waiting_list',
      text: 'Does the trust keep a waiting list for parent-infant relationship work?',
      answerType: 'yes_no',
    },
  ],
};

function written(): string {
  const dir = mkdtempSync(join(tmpdir(), 'foi-wave-'));
  writeFileSync(join(dir, '2026.json'), JSON.stringify(WAVE_2026));
  return dir;
}

describe('an FOI wave file that leaves out what can be told from its text', () => {
  it('takes each count question’s basis from its words and the running year as the financial year to date', () => {
    const w = loadFoiWave(2026, written());
    expect(w.questions.map((q) => [q.id, q.basis ?? null])).toEqual([
      ['q1_accepts_under2', null],
      ['q2_referrals_under2', 'received'],
      ['q3_accepted_under2', 'accepted'],
      ['q6_waiting_list', null],
    ]);
    expect(w.questions.find((q) => q.id === 'q6_waiting_list')!.keywords).toContain('waiting');
    expect(w.periods.at(-1)).toMatchObject({ start: '2025-04-01', end: '2026-03-31', toDate: true });
    expect(w.periods[0]).toMatchObject({ end: '2024-03-31', toDate: false });
  });

  it('codes a table and a letter of that wave under its own questions and periods', () => {
    const wave = loadFoiWave(2026, written());
    const at = { sheet: 'Response', cell: 'A1' };
    const rows = [
      ['Year', 'Referrals received', 'Referrals accepted'],
      ['2023/24', '12', '9'],
      ['2024/25', '14', '11'],
    ].map((r) => r.map((text) => ({ text, location: at })));
    const t = codeTable(rows, { wave, period: { sentDate: wave.sentDate, replyDate: '2026-04-02' }, notes: [] });
    expect(t.values.map((v) => [v.questionId, v.askedPeriodId, v.interval?.low])).toEqual([
      ['q2_referrals_under2', 'fy2023_24', 12],
      ['q3_accepted_under2', 'fy2023_24', 9],
      ['q2_referrals_under2', 'fy2024_25', 14],
      ['q3_accepted_under2', 'fy2024_25', 11],
    ]);
    const l = codeLetter(
      ['2. 2023/24: 10; 2024/25: 13; 2025/26 (to 31 January 2026): 8.', '6. We do not keep a waiting list.'].map(
        (text, i) => ({ text, location: { line: i + 1 } }),
      ),
      { wave, sentDate: wave.sentDate, replyDate: '2026-04-02' },
    );
    expect(l.values.map((v) => [v.questionId, v.askedPeriodId, v.interval?.low, v.period?.end])).toEqual([
      ['q2_referrals_under2', 'fy2023_24', 10, '2024-03-31'],
      ['q2_referrals_under2', 'fy2024_25', 13, '2025-03-31'],
      ['q2_referrals_under2', 'fy2025_26', 8, '2026-01-31'],
    ]);
  });
});
