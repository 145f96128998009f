import { simpleParser, type ParsedMail } from 'mailparser';
import type { FoiReader } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import { textLines } from './decode.ts';
import { codeLetter } from './letter.ts';
import { fromLetter, manualOnly } from './result.ts';
import { markNotAnAnswer } from './reply-kind.ts';

/**
 * A reply as an e-mail (.eml): the body is read like a letter (mailparser decodes quoted-printable,
 * base64 and windows-1252 correctly, TOOLCHAIN_NOTES.md §4); attachments are handed back for the caller
 * to store and read as files of their own. Their names come from the sender: never use one as a path.
 */
export const readFoiMail: FoiReader = async (bytes, ctx) => {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(bytes);
  } catch (e) {
    return manualOnly([
      issue(
        'mail_unreadable',
        'error',
        `The e-mail could not be parsed (${(e as Error).message}); code it by hand from the raw file.`,
        { fileHash: ctx.fileHash },
      ),
    ]);
  }
  const from = mail.from?.value[0]?.address;
  // The Date header's day in UTC: a reply is dated by when it was sent, and UTC keeps the result machine-independent.
  const replyDate = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString().slice(0, 10) : undefined;
  const lines = textLines(mail.text ?? '', ctx.fileHash);
  const letter = codeLetter(lines, {
    wave: ctx.wave,
    sentDate: ctx.sentDate,
    ...(replyDate === undefined ? {} : { replyDate }),
    ...(from === undefined ? {} : { fromAddress: from }),
  });
  const attachments = mail.attachments.map((a, i) => ({
    name: a.filename ?? `attachment-${i + 1}`,
    contentType: a.contentType,
    bytes: a.content,
  }));
  if (mail.subject) letter.trustHint.subject = mail.subject;
  const read = fromLetter(letter, ctx.wave.periods, attachments.length > 0 ? { attachments } : {});
  // A clarification request or a holding e-mail answers nothing: an event of the request, not its reply.
  return markNotAnAnswer(read, lines, mail.subject);
};
