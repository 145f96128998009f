import { describe, expect, it } from 'vitest';
import type { FoiReadResult } from '../../../schemas/foi.ts';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { formatLocation } from '../../../schemas/issue.ts';
import { sniffMediaType } from '../../../sources/shared/sniff.ts';
import { foiKind } from '../../../sources/index.ts';
import { readFoiDocument } from '../../../sources/foi/document.ts';
import { makeDocxLetter, makeOdtLetter } from '../../fixtures/foi/make-files.ts';

/** Word and OpenDocument letters: read as the letter they are, located by paragraph. */
const wave = loadFoiWave(2024);
const read = (bytes: Buffer, name: string): Promise<FoiReadResult> =>
  readFoiDocument(bytes, { fileHash: 'd0c', originalName: name, wave, sentDate: '2024-03-11' });
const counts = (r: FoiReadResult) =>
  r.values.map((v) => [
    v.questionId.slice(0, 2),
    v.askedPeriodId,
    v.interval && [v.interval.low, v.interval.high],
    formatLocation(v.location),
  ]);

const LETTER: (string | string[][])[] = [
  'Berkshire Healthcare NHS Foundation Trust',
  'Date: 4 April 2024   Our ref: FOI 2425-007   Your ref: PIP-FOI-2024-027',
  'Question 1: Yes. Question 4: see note 1.',
  'Questions 2 and 3 (children aged 0-23 months):',
  [
    ['', '2021/22', '2022/23', '2023/24 to date'],
    ['Received', '9', '7', '1-4'],
    ['Accepted', '6', '', '1-4'],
  ],
  'Notes',
  '1. The Trust does not host or commission a specialist parent-infant relationship team.',
  '2. "1-4" means at least one and not more than four referrals.',
  'Yours sincerely, Information Governance & Records',
];

describe('FOI replies as Word (.docx) and OpenDocument (.odt) letters', () => {
  it('are told from other zips by their parts and go to the document reader', async () => {
    expect(foiKind(sniffMediaType(await makeDocxLetter(LETTER), 'reply.docx'))).toBe('foi_document');
    expect(foiKind(sniffMediaType(await makeOdtLetter(LETTER), 'reply.odt'))).toBe('foi_document');
  });
  for (const [name, make] of [
    ['reply.docx', makeDocxLetter],
    ['reply.odt', makeOdtLetter],
  ] as const) {
    it(`${name}: reads the table's counts at their paragraph (a blank cell is no count), the answer given in a numbered note, and the date`, async () => {
      const r = await read(await make(LETTER), name);
      expect(counts(r)).toEqual([
        ['q2', 'fy2021_22', [9, 9], 'line 6'],
        ['q2', 'fy2022_23', [7, 7], 'line 6'],
        ['q2', 'fy2023_24', [1, 4], 'line 6'],
        ['q3', 'fy2021_22', [6, 6], 'line 7'],
        ['q3', 'fy2023_24', [1, 4], 'line 7'],
      ]);
      expect(r.textAnswers.map((a) => [a.questionId.slice(0, 2), a.yesNo])).toEqual([
        ['q1', true],
        ['q4', false],
      ]);
      expect(r.replyDate).toBe('2024-04-04');
      expect(r.trustHint.names).toContain('Berkshire Healthcare NHS Foundation Trust');
    });
  }
  it('sends a file that is no such document to a person, with what to ask the trust for', async () => {
    const r = await read(Buffer.from('PK\u0003\u0004 not really a zip'), 'broken.docx');
    expect(r.needsManualCoding).toBe(true);
    expect(r.issues.map((i) => i.code)).toEqual(['foi_document_unreadable']);
    expect(r.issues[0]!.message).toContain('broken.docx');
  });
});
