import { simpleParser, type ParsedMail } from 'mailparser';
import type { FoiReader } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import { decodeText, textLines } from './decode.ts';
import { htmlToText } from './html-text.ts';
import { findLetterDate, findTrustHint } from './trust-hint.ts';
import { codeLetter } from './letter.ts';
import { periodNotes } from './period-note.ts';
import { ALL_ACCEPTED } from './count-phrases.ts';
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
  // A message saved as text with no charset declared (an Outlook "Save as" .txt in Windows-1252): mailparser
  // reads its body as UTF-8 and loses every en dash and curly quote. Read again from the bytes decoded as
  // the file's own encoding (decode.ts: Windows-1252 when they are not UTF-8).
  if ((mail.text ?? '').includes('\uFFFD') && !/charset\s*=/i.test(String(mail.headers.get('content-type') ?? ''))) {
    const { text, encoding } = decodeText(bytes);
    if (encoding !== 'utf-8') mail = await simpleParser(Buffer.from(text, 'utf8'));
  }
  const from = mail.from?.value[0]?.address;
  // The Date header's day in UTC: a reply is dated by when it was sent, and UTC keeps the result machine-independent.
  // A message saved by Outlook has "Sent: 05 April 2024 16:20" in place of a Date header.
  const sent = mail.headers.get('sent');
  // A Date line with no time ("Date: 20 May 2024", a message saved as text) is that day as written, not the
  // UTC day of its local midnight.
  const dateLine = mail.headerLines.find((h) => h.key === 'date')?.line.replace(/^date\s*:\s*/i, '');
  const dayOnly = dateLine !== undefined && !/\d:\d/.test(dateLine) ? findLetterDate([dateLine]) : undefined;
  const replyDate =
    dayOnly ??
    (mail.date && !Number.isNaN(mail.date.getTime())
      ? mail.date.toISOString().slice(0, 10)
      : typeof sent === 'string'
        ? findLetterDate([`Sent: ${sent}`])
        : undefined);
  // An e-mail sent as HTML only: its text made here, tables row by row (html-text.ts).
  const htmlOnly = typeof mail.html === 'string' && !/content-type:\s*text\/plain/i.test(bytes.toString('latin1'));
  const body = htmlOnly ? htmlToText(mail.html as string) : (mail.text ?? '');
  const lines = rawLineNumbers(textLines(body, ctx.fileHash), bytes, mail);
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
  withHeaders(letter.trustHint, bytes);
  const read = fromLetter(letter, ctx.wave.periods, attachments.length > 0 ? { attachments } : {});
  // "The figures for 2023/24 are for 1 April 2023 to 31 January 2024" said only in the e-mail: its
  // attachments' counts of that year take those dates, and those of files sent alongside it
  // (pipeline/ingest/foi/response-store.ts).
  const notes = periodNotes(lines.map((l) => l.text));
  if (notes.length > 0) read.periodNotes = notes;
  // "Please see the attached extract ... All referrals listed were accepted.": said of the attachments.
  const received = ctx.wave.questions.find((q) => q.basis === 'received' && q.answerType === 'count_per_period');
  const accepted = ctx.wave.questions.find((q) => q.basis === 'accepted' && q.answerType === 'count_per_period');
  const allSaid = lines.find((l) => ALL_ACCEPTED.test(l.text) && !/\bnot all\b/i.test(l.text));
  if (attachments.length > 0 && allSaid && received && accepted)
    read.allAcceptedNote = { quote: allSaid.text.trim(), receivedId: received.id, acceptedId: accepted.id };
  // A clarification request or a holding e-mail answers nothing: an event of the request, not its reply.
  return markNotAnAnswer(read, lines, mail.subject);
};

/**
 * What the message's own header lines say of its sender (foi.md "How replies are told apart"): a saved
 * message may give the trust only there ("From: FOI Team, Nottinghamshire Healthcare NHS Foundation Trust"
 * with no address; "Re: PIP-FOI-2024-014 / NHFT-FOI-9921"). Their trust names and references are added to
 * the hint the body gave; the body's letterhead still comes first.
 */
function withHeaders(hint: ReturnType<typeof codeLetter>['trustHint'], bytes: Buffer): void {
  const raw = bytes.subarray(0, 16_384).toString('latin1');
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end))
    .split(/\r?\n/)
    .filter((l) => /^(?:from|subject|re|sender|reply-to|organisation|organization|x-[\w-]+)\s*:/i.test(l));
  if (head.length === 0) return;
  const own = findTrustHint(head);
  if (own.names) hint.names = [...new Set([...(hint.names ?? []), ...own.names])].slice(0, 8);
  hint.name ??= own.name;
  if (hint.name === undefined) delete hint.name;
  hint.refText = `${head.join(' ')} ${hint.refText ?? ''}`.trim().slice(0, 4000);
}

/**
 * foi.md "Coding rules": in an .eml, a line is the line of the raw message when the part is plain text as
 * sent (one text/plain part, 7bit or 8bit: the body follows the headers and a blank line), so the line
 * numbers count the header lines too; a decoded part (quoted-printable, base64, multipart) keeps the
 * line of its decoded text.
 */
function rawLineNumbers(lines: ReturnType<typeof textLines>, bytes: Buffer, mail: ParsedMail) {
  const type = String((mail.headers.get('content-type') as { value?: string } | undefined)?.value ?? 'text/plain');
  const encoding = String(mail.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (!/^text\/plain$/i.test(type) || !['7bit', '8bit', 'binary'].includes(encoding) || mail.attachments.length > 0)
    return lines;
  const raw = bytes.toString('latin1');
  const blank = /\r?\n\r?\n/.exec(raw);
  if (!blank) return lines;
  const headerLines = raw.slice(0, blank.index).split(/\r\n|\r|\n/).length + 1;
  return lines.map((l) => ({ ...l, location: { ...l.location, line: (l.location.line ?? 0) + headerLines } }));
}
