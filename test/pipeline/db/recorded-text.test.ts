import { describe, expect, it } from 'vitest';
import { recordedText } from '../../../pipeline/db/audit-log.ts';
import { personAndReason } from '../../../pipeline/returns/decisions.ts';
import { recordCorrection, revertCorrection } from '../../../pipeline/audit/corrections.ts';
import { reviewFlag } from '../../../pipeline/audit/review.ts';
import { loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { matchByHand } from '../../../pipeline/foi/unmatched.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';

/**
 * One rule for every name and reason the history records (lock, unlock, resolve, correct, teams
 * alias, audit review, FOI coding and matching): text that says nothing is refused the same way wherever it is typed.
 */
const SAYS_NOTHING = ['  ', '.', '\u200b', '\u200b\u200d\u2060', '\u00a0-\u00a0', '\u202e'];

describe('names and reasons, alike everywhere', () => {
  it('resolve: a --by or --reason that says nothing is refused with the same message as unlock', () => {
    for (const bad of SAYS_NOTHING) {
      const asReason = personAndReason('Ann Lee', bad);
      expect(typeof asReason, JSON.stringify(bad)).toBe('string');
      expect(asReason).toMatch(/--reason/);
      expect(typeof personAndReason(bad, 'second form was a draft'), JSON.stringify(bad)).toBe('string');
    }
    expect(personAndReason('\u200bAnn Lee ', ' draft\u200b')).toEqual({ by: 'Ann Lee', reason: 'draft' });
  });

  it('correct and its revert: the same refusals, before anything is written', async () => {
    const ctx = {} as Ctx; // never reached: the check comes first
    for (const bad of SAYS_NOTHING) {
      await expect(
        recordCorrection({ wave: 2024, valueId: '1', low: 1, high: 1, by: 'Ann Lee', reason: bad }, ctx),
        JSON.stringify(bad),
      ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/--reason/) });
      await expect(
        recordCorrection({ wave: 2024, valueId: '1', low: 1, high: 1, by: bad, reason: 'letter misread' }, ctx),
      ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/--by/) });
      await expect(revertCorrection({ correctionId: '1', by: 'Ann Lee', reason: bad }, ctx)).rejects.toMatchObject({
        code: 'usage',
      });
    }
  });

  it('audit review: a --by or --reason that says nothing is refused before anything is read or written', async () => {
    const ctx = {} as Ctx; // never reached: the check comes first
    const flagId = 'jump_10:2024:RXT:q2:received:all:fy2021_22>fy2022_23';
    for (const bad of SAYS_NOTHING) {
      await expect(reviewFlag({ flagId, by: 'Ann Lee', reason: bad }, ctx), JSON.stringify(bad)).rejects.toMatchObject({
        code: 'usage',
        message: expect.stringMatching(/--reason must be a reason in words/),
      });
      await expect(reviewFlag({ flagId, by: bad, reason: 'trust confirmed' }, ctx)).rejects.toMatchObject({
        code: 'usage',
        message: expect.stringMatching(/--by must be the name of a person/),
      });
    }
  });

  it('FOI coding sheet load and foi match: a --by that says nothing is refused with the same message', async () => {
    const ctx = {} as Ctx;
    for (const bad of SAYS_NOTHING) {
      await expect(
        loadCodingSheet({ path: '/nonexistent.xlsx', wave: 2024, by: bad }, ctx),
        JSON.stringify(bad),
      ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/--by must be the name of a person/) });
      await expect(
        matchByHand({ wave: 2024, file: 'abcdef12', trust: 'RXT', by: bad }, ctx),
        JSON.stringify(bad),
      ).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/--by must be the name of a person/) });
    }
  });

  it('refuses a control character inside otherwise good text (it would reach a terminal raw)', () => {
    expect(() => recordedText('--by', 'Ann\u001b]0;pwned\u0007 Lee', 'name')).toThrow(/holds a control character/);
    expect(typeof personAndReason('Ann Lee', 'line one\nline two')).toBe('string');
  });
});
