import { teamNeed, type FeedbackIssue } from './team-issue.ts';

/**
 * The covering e-mail for a team's feedback workbook, as an .eml ready to open and send: To the
 * return's respondent e-mail where one was given (blank otherwise, for whoever sends it to fill in),
 * a subject naming the wave, a plain-text body listing the issues in the same words as the
 * workbook, and the workbook attached. Lines are CRLF as RFC 5322 asks; the body is UTF-8 in
 * quoted-printable-free 8bit, the attachment base64 in 76-character lines.
 */
export function feedbackEmail(input: {
  wave: number;
  team: string;
  to: string | null;
  rejected: boolean;
  issues: FeedbackIssue[];
  fileName: string;
  attachment: Buffer;
  date: Date;
  boundary: string;
}): string {
  const body = [
    `Dear ${input.team},`,
    '',
    `Thank you for your return to the parent-infant team census ${input.wave}.`,
    input.rejected
      ? 'We could not count it yet: please correct the points marked "Please correct" below and send the workbook back.'
      : 'Your return has been counted. Please look at the points below and, if anything needs changing, send the workbook back.',
    '',
    ...input.issues.map(
      (i, n) => `${n + 1}. ${teamNeed(i.severity)} (${i.question ? `${i.question}, ` : ''}${i.where}): ${i.message}`,
    ),
    '',
    `The attached workbook (${input.fileName}) is your own return with each point marked on its cell, and a summary sheet first.`,
    'You can correct your answers in it and send it back to us by replying to this e-mail.',
    '',
    'With thanks,',
    `The parent-infant team census ${input.wave}`,
    '',
  ].join('\r\n');
  const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();
  const encodeWord = (s: string): string =>
    /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
  const subject = encodeWord(
    oneLine(`Parent-infant team census ${input.wave}: feedback on your return (${input.team})`),
  );
  const b64 = input.attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  const to = input.to && /^[^\s@<>",]+@[^\s@<>",]+$/.test(input.to.trim()) ? input.to.trim() : '';
  return [
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${input.date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'X-Unsent: 1',
    `Content-Type: multipart/mixed; boundary="${input.boundary}"`,
    '',
    `--${input.boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    `--${input.boundary}`,
    `Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="${input.fileName}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${input.fileName}"`,
    '',
    b64.replace(/\r\n$/, ''),
    `--${input.boundary}--`,
    '',
  ].join('\r\n');
}
