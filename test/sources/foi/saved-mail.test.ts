import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiMail } from '../../../sources/foi/mail.ts';

/**
 * A reply saved from Outlook as text: headers "From:", "Sent:", "To:", "Subject:" and no charset, the
 * body in Windows-1252 (en dashes). v7 corpus: read as UTF-8 (every dash lost, counts to a person) and
 * dated the day it was ingested.
 */
const wave = loadFoiWave(2024);
const text = [
  'From: GMMH Freedom of Information <gmmh.foi@nhs.net>',
  'Sent: 05 April 2024 16:20',
  'To: research@example.org',
  'Subject: FOI 24/0771 – your ref PIP-FOI-2024-007',
  '',
  'Dear Research Team,',
  '',
  'Q1. Yes.',
  'Q2. Referrals received for children aged 0–23 months:',
  '    2021–22: 16',
  '    2022–23: 13',
  'Q4. No – the Trust does not host such a team.',
].join('\r\n');

describe('a reply saved from an e-mail program as Windows-1252 text', () => {
  it('is decoded as Windows-1252, dated by its Sent: line, and located by its line in the file', async () => {
    const r = await readFoiMail(iconv.encode(text, 'win1252'), {
      fileHash: 'f00d',
      originalName: 'reply.txt',
      wave,
      sentDate: '2024-03-11',
    });
    expect(r.replyDate).toBe('2024-04-05');
    const q2 = r.values.filter((v) => v.questionId === 'q2_referrals_under2');
    expect(q2.map((v) => [v.interval?.low, v.location.line])).toEqual([
      [16, 10],
      [13, 11],
    ]);
    expect(q2.every((v) => !v.flags.includes('band_mismatch'))).toBe(true);
    expect(JSON.stringify(r)).not.toContain('\uFFFD');
  });
});
