import PDFDocument from 'pdfkit';
import type { FoiQuestionList } from '../../schemas/foi.ts';
import { CensusError } from '../../schemas/fault.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { recordAudit } from '../db/audit-log.ts';
import { LAW_NAME, type FoiLaw } from './calendar.ts';
import { lawOf } from './trust-table.ts';
import { foiReference } from './wave.ts';
import { longDate } from '../../reports/format.ts';

/**
 * `census foi letters`: each trust's request of a wave as an e-mail (.eml, the letter as text with the
 * PDF attached) and a PDF letter: the wave's questions and periods, our reference (which replies quote,
 * and census matches them by), and the statutory deadline sentence of the law the trust answers under.
 * Addressed to the trust's FOI office from the reference list (column foi_email, with foi_email_source);
 * where the list has no address the .eml's To: says so (an empty group, NO_ADDRESS) and the result too. Deterministic: the
 * same database and clock give the same bytes.
 */

export interface RequestLetter {
  ods: string;
  name: string;
  ourRef: string;
  /** Our reference was given by this run (stored on the request). */
  refAssigned: boolean;
  to: string | null;
  toSource: string | null;
  law: FoiLaw;
  received: string;
  due: string;
  subject: string;
  /** The letter as plain text, lines of at most 76 characters. */
  text: string;
  eml: Buffer;
  pdf: Buffer;
}

/** Our reference as census matches it (pipeline/foi/match.ts): PIP-FOI-<wave>-<nnn>. */
const ourRefOf = (wave: number, n: number) => `PIP-FOI-${wave}-${String(n).padStart(3, '0')}`;
const OUR_REF = /^PIP-FOI-(\d{4})-(\d{1,4})$/;

function deadlineSentence(law: FoiLaw, received: string, due: string): string {
  const section =
    law === 'foisa'
      ? 'Section 10(1) of the Freedom of Information (Scotland) Act 2002 requires you to comply promptly and in any event by the twentieth working day after receipt of the request'
      : 'Section 10(1) of the Freedom of Information Act 2000 requires you to comply promptly and in any event not later than the twentieth working day following the date of receipt';
  return `${section}. This request is sent and received by e-mail on ${longDate(received)}, so your reply is due by ${longDate(due)} at the latest.`;
}

function wrap(text: string, width = 76): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    if (para.trim() === '') {
      out.push('');
      continue;
    }
    const indent = /^(\s*(?:\d+\.\s+)?)/.exec(para)![1]!.replace(/\S/g, ' ');
    let line = '';
    for (const word of para.split(/\s+/).filter((w) => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = indent + word;
      } else line = line === '' ? (para.startsWith(' ') ? indent + word : word) : `${line} ${word}`;
    }
    out.push(line);
  }
  return out;
}

function periodText(list: FoiQuestionList): string {
  return list.periods
    .map((p) => `${p.label}: ${longDate(p.start)} to ${p.toDate ? 'the date of your reply' : longDate(p.end)}`)
    .join('; ');
}

/** The letter as paragraphs (one line each; '' between blocks): wrapped to 76 columns for the e-mail, by pdfkit for the PDF. */
function letterParagraphs(input: {
  list: FoiQuestionList;
  trustName: string;
  to: string | null;
  ourRef: string;
  law: FoiLaw;
  received: string;
  due: string;
  fromName: string;
}): string[] {
  const { list } = input;
  const questions = list.questions.map((q, i) => `${i + 1}. ${q.text}`);
  return [
    `${input.trustName}`,
    `Freedom of Information office${input.to ? ` (${input.to})` : ''}`,
    '',
    longDate(input.received),
    '',
    `Our reference: ${input.ourRef}`,
    '',
    'Dear Freedom of Information team,',
    '',
    `Request for information under ${LAW_NAME[input.law]}`,
    '',
    'Please provide the following information held by the trust.',
    '',
    ...questions,
    '',
    `Periods: ${periodText(list)}. Age band: children aged ${list.askedAgeBand.label}.`,
    '',
    'A spreadsheet or a table is welcome. Where a figure is small, please give it as a range (for example "fewer than 5") rather than withholding the whole answer, and tell us if the periods or age band you can give differ from those asked.',
    '',
    `Please quote our reference ${input.ourRef} in your reply.`,
    '',
    deadlineSentence(input.law, input.received, input.due),
    '',
    'If any part of this request is unclear, please contact me so that I can clarify it.',
    '',
    'Yours faithfully,',
    '',
    input.fromName,
  ];
}

/** RFC 5322 date in UTC, e.g. "Mon, 11 Mar 2024 09:00:00 +0000". */
function mailDate(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A header value outside ASCII as an RFC 2047 encoded word. */
function headerText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/**
 * The To: of a request whose trust has no FOI address in the trust list: an empty RFC 5322 group
 * ("name:;"), so a mail client opening the .eml shows in the To field itself that the address is not
 * known, and the message can be sent to no one until a person adds it. No address is ever guessed.
 */
const NO_ADDRESS = 'FOI address not known - add it before sending:;';

function buildEml(input: {
  from: string;
  to: string | null;
  subject: string;
  text: string;
  date: Date;
  messageId: string;
  pdf: Buffer;
  pdfName: string;
}): Buffer {
  const boundary = `census-${input.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  const body = Buffer.from(input.text.replace(/\n/g, '\r\n'), 'utf8').toString('base64');
  const pdf = input.pdf.toString('base64');
  const lines = (b64: string) => b64.match(/.{1,76}/g)?.join('\r\n') ?? '';
  return Buffer.from(
    [
      `From: ${headerText(input.from)}`,
      `To: ${input.to ?? NO_ADDRESS}`,
      `Subject: ${headerText(input.subject)}`,
      `Date: ${mailDate(input.date)}`,
      `Message-ID: <${input.messageId}>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      lines(body),
      `--${boundary}`,
      `Content-Type: application/pdf; name="${input.pdfName}"`,
      `Content-Disposition: attachment; filename="${input.pdfName}"`,
      'Content-Transfer-Encoding: base64',
      '',
      lines(pdf),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
    'utf8',
  );
}

/** The letter as an A4 PDF (pdfkit, fonts built in: no network, no browser); pinned dates, so the same bytes every run. */
function letterPdf(paragraphs: readonly string[], meta: { title: string; date: Date }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 60,
    info: { Title: meta.title, CreationDate: meta.date, ModDate: meta.date, Producer: 'census', Creator: 'census' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Helvetica').fontSize(11);
  for (const para of paragraphs) doc.text(para === '' ? ' ' : para, { width: 475, align: 'left' });
  doc.end();
  return done;
}

export async function buildLetters(
  input: { wave: number; from: string; trust?: string },
  ctx: Ctx,
): Promise<{ letters: RequestLetter[]; assigned: number }> {
  const { list, trusts } = foiReference(input.wave, ctx.workspace.wavesDir);
  let q = ctx.db
    .selectFrom('foi_request')
    .innerJoin('trust', 'trust.ods_code', 'foi_request.trust_ods')
    .select(['foi_request.id', 'trust_ods', 'trust.name', 'received_date', 'due_date', 'our_ref'])
    .where('wave', '=', input.wave);
  const all = await q.orderBy('trust_ods').execute();
  if (all.length === 0)
    throw new CensusError(
      'usage',
      `No requests recorded for wave ${input.wave}.`,
      `Record them first: census foi send --wave ${input.wave} --sent YYYY-MM-DD (or census foi register FILE).`,
    );
  if (input.trust !== undefined) {
    q = q.where('trust_ods', '=', input.trust.trim().toUpperCase());
    if ((await q.execute()).length === 0)
      throw new CensusError(
        'usage',
        `No request to ${input.trust.toUpperCase()} in wave ${input.wave}.`,
        `census foi status --wave ${input.wave} lists the trusts asked.`,
      );
  }
  // Our reference: kept where the request has one; the others numbered on after the highest in the wave.
  let next =
    Math.max(
      0,
      ...all.map((r) => {
        const m = OUR_REF.exec(r.our_ref ?? '');
        return m && Number(m[1]) === input.wave ? Number(m[2]) : 0;
      }),
    ) + 1;
  const refs = new Map<string, { ref: string; assigned: boolean }>();
  for (const r of all)
    refs.set(
      r.trust_ods,
      r.our_ref ? { ref: r.our_ref, assigned: false } : { ref: ourRefOf(input.wave, next++), assigned: true },
    );
  const fromName = input.from.replace(/\s*<[^>]*>\s*$/, '').trim() || input.from;
  const now = ctx.clock.now();
  const letters: RequestLetter[] = [];
  for (const r of all) {
    if (input.trust !== undefined && r.trust_ods !== input.trust.trim().toUpperCase()) continue;
    const trust = trusts.byOds.get(r.trust_ods);
    const law: FoiLaw = trust ? lawOf(trust) : 'foia';
    const { ref, assigned } = refs.get(r.trust_ods)!;
    const to = trust?.foiEmail ?? null;
    const subject = `Freedom of Information request ${ref}`;
    const paragraphs = letterParagraphs({
      list,
      trustName: r.name,
      to,
      ourRef: ref,
      law,
      received: r.received_date,
      due: r.due_date,
      fromName,
    });
    const text = wrap(paragraphs.join('\n')).join('\n');
    // Dated the day the request is sent (the register's sent date), so the letter and its e-mail agree.
    const sentAt = new Date(`${r.received_date}T09:00:00Z`);
    const pdf = await letterPdf(paragraphs, { title: `${subject} (${r.trust_ods})`, date: sentAt });
    const eml = buildEml({
      from: input.from,
      to,
      subject,
      text,
      date: sentAt,
      messageId: `${ref}.${r.trust_ods}@census.invalid`,
      pdf,
      pdfName: `${ref} ${r.trust_ods}.pdf`,
    });
    letters.push({
      ods: r.trust_ods,
      name: r.name,
      ourRef: ref,
      refAssigned: assigned,
      to,
      toSource: trust?.foiEmailSource ?? null,
      law,
      received: r.received_date,
      due: r.due_date,
      subject,
      text,
      eml,
      pdf,
    });
  }
  const fresh = [...refs].filter(([, v]) => v.assigned);
  if (fresh.length > 0)
    await ctx.db.transaction().execute(async (trx) => {
      for (const [ods, { ref }] of fresh)
        await trx
          .updateTable('foi_request')
          .set({ our_ref: ref })
          .where('wave', '=', input.wave)
          .where('trust_ods', '=', ods)
          .where('our_ref', 'is', null)
          .execute();
      await recordAudit(trx, {
        at: now,
        actor: ctx.actor ?? 'unknown',
        action: 'foi_letters',
        wave: input.wave,
        detail: { assigned: fresh.map(([ods, { ref }]) => `${ods} ${ref}`) },
      });
    });
  return { letters, assigned: fresh.length };
}
