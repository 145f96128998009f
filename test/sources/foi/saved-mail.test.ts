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

describe('a reply saved as text whose trust is named only in its header lines', () => {
  it('gives the trust and our reference from "From:" with no address and a "Re:" line (v12 corpus)', async () => {
    const saved = [
      'From: FOI Team, Nottinghamshire Healthcare NHS Foundation Trust',
      'Date: 20 May 2024',
      'Re: PIP-FOI-2024-014 / NHFT-FOI-9921',
      '',
      'Apologies for the delay in responding.',
      '',
      'Q1 - Yes.',
      'Q2 - April 2021 - March 2022: 8. April 2022 - March 2023: 11.',
      'Q4 - No.',
      '',
    ].join('\n');
    const r = await readFoiMail(Buffer.from(saved), {
      fileHash: 'f00d',
      originalName: 'Nottinghamshire Healthcare FOI 9921.txt',
      wave,
      sentDate: '2024-03-11',
    });
    expect(r.trustHint.names).toContain('Nottinghamshire Healthcare NHS Foundation Trust');
    expect(r.trustHint.refText).toContain('PIP-FOI-2024-014');
    expect(r.trustHint.refText).toContain('NHFT-FOI-9921');
    expect(r.replyDate).toBe('2024-05-20');
  });
});

describe('an e-mail sent as HTML only', () => {
  it('reads its answers from a Question | Response table, each cell apart, lines kept (v12 corpus)', async () => {
    const html =
      '<html><body><p>Dear Requester,</p><p>Mersey Care NHS Foundation Trust response to MC-FOI-4410.</p>' +
      '<table border=1><tr><th>Question</th><th>Response</th></tr><tr><td>1</td><td>Yes</td></tr>' +
      '<tr><td>2</td><td>2021/22: 15<br>2022/23: 18<br>2023/24: 13</td></tr>' +
      '<tr><td>3</td><td>2021/22: 11<br>2022/23: &lt;5<br>2023/24: 10</td></tr>' +
      '<tr><td>4</td><td>No</td></tr></table><p>Information Governance&nbsp;Team</p></body></html>';
    const eml = [
      'From: Mersey Care FOI <foi@merseycare.nhs.uk>',
      'To: research@pip.example.org',
      'Subject: FOI MC-FOI-4410 / PIP-FOI-2024-006',
      'Date: Tue, 02 Apr 2024 10:00:00 +0100',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '',
    ].join('\r\n');
    const r = await readFoiMail(Buffer.from(eml), {
      fileHash: 'f00d',
      originalName: 'x.eml',
      wave,
      sentDate: '2024-03-11',
    });
    expect(r.values.map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval?.low, v.interval?.high])).toEqual(
      [
        ['q2', 'fy2021_22', 15, 15],
        ['q2', 'fy2022_23', 18, 18],
        ['q2', 'fy2023_24', 13, 13],
        ['q3', 'fy2021_22', 11, 11],
        ['q3', 'fy2022_23', 0, 4],
        ['q3', 'fy2023_24', 10, 10],
      ],
    );
    expect(r.textAnswers.map((t) => [t.questionId.slice(0, 2), t.yesNo])).toEqual([
      ['q1', true],
      ['q4', false],
    ]);
  });
});
