import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiMail } from '../../../sources/foi/mail.ts';

/**
 * Mail that is not the reply (sources/foi/reply-kind.ts), in the words offices use (v14 corpus): a holding
 * e-mail that says the response "will be delayed", a clarification that asks us to "tell us whether" and
 * pauses the request.
 */
const wave = loadFoiWave(2024);
const read = (body: string[]) =>
  readFoiMail(
    Buffer.from(
      [
        'From: FOI Team <foi@trust.example.nhs.uk>',
        'To: research@pip.example.org',
        'Subject: FOI 24/1032',
        'Date: Tue, 9 Apr 2024 10:12:00 +0100',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Dear Dr Okafor,',
        '',
        ...body,
        '',
        'Kind regards',
        'Information Governance Team',
        '',
      ].join('\r\n'),
    ),
    { fileHash: 'f', originalName: 'mail.eml', wave, sentDate: '2024-03-11' },
  );

describe('mail that is not the reply, in other words', () => {
  it('reads "we have not yet been able to gather the information ... will be delayed" as a holding e-mail', async () => {
    const r = await read([
      'Please accept our apologies: we have not yet been able to gather the information for your request and your response will be delayed beyond the 20 working day deadline. We will respond as soon as possible.',
    ]);
    expect(r.replyKind).toBe('holding');
  });

  it('reads "please tell us whether ... We will pause your request until we receive your reply" as a clarification', async () => {
    const r = await read([
      'Thank you for your request. To help us locate the information, please tell us whether you want referrals to our Perinatal service (which are made for the mother) counted where the infant is named on the referral. We will pause your request until we receive your reply.',
    ]);
    expect(r.replyKind).toBe('clarification');
  });

  it('keeps a reply that answers as the reply, whatever it says about delay', async () => {
    const r = await read([
      '1. Yes.',
      '2. In 2022/23 we received 14 referrals.',
      'We apologise that this response was delayed beyond the 20 working day deadline.',
    ]);
    expect(r.replyKind).toBeUndefined();
  });
});
