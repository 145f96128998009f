import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codedValueSchema, type CodedValue, type FoiReadResult, type FoiReader } from '../../../schemas/foi.ts';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { formatLocation } from '../../../schemas/issue.ts';
import { readFoiCsv } from '../../../sources/foi/csv.ts';
import { readFoiMail } from '../../../sources/foi/mail.ts';
import { readFoiPdf } from '../../../sources/foi/pdf.ts';
import { readFoiSpreadsheet } from '../../../sources/foi/spreadsheet.ts';
import { readFoiText } from '../../../sources/foi/text.ts';
import * as files from '../../fixtures/foi/make-files.ts';
import * as pdfs from '../../fixtures/foi/make-pdf.ts';

const wave = loadFoiWave(2024);
let dir: string;

/** Writes the fixture to a temp file and reads it back, as the pipeline reads stored files. */
async function read(reader: FoiReader, name: string, bytes: Buffer): Promise<FoiReadResult> {
  await writeFile(join(dir, name), bytes);
  const r = await reader(await readFile(join(dir, name)), {
    fileHash: 'f00d',
    originalName: name,
    wave,
    sentDate: '2024-03-11',
  });
  for (const v of r.values) codedValueSchema.parse(v);
  return r;
}
/** One line per value: question, period, interval, flags, where. */
const summary = (vs: CodedValue[]) =>
  vs.map((v) => [
    v.questionId.slice(0, 2),
    v.askedPeriodId ?? v.period?.label,
    v.interval && [v.interval.low, v.interval.high],
    v.missingReason ?? v.flags.join(','),
    formatLocation(v.location),
  ]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foi-readers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PDF letter with prose answers and a small table', () => {
  let r: FoiReadResult;
  beforeAll(async () => {
    r = await read(readFoiPdf, 'letter.pdf', await pdfs.makeLetterPdf());
  });
  it('codes each period of the prose answer at its page and line, quoting the line', () => {
    expect(summary(r.values.filter((v) => v.questionId === 'q2_referrals_under2'))).toEqual([
      ['q2', 'fy2021_22', [12, 12], '', 'p1:12'],
      ['q2', 'fy2022_23', [0, 4], 'suppressed', 'p1:12'],
      ['q2', 'fy2023_24', [7, 7], 'partial_period', 'p1:13'],
    ]);
    expect(r.values[2]!.quote).toBe('and in 2023/24 (to date) seven.');
    expect(r.values[0]!.quote).toBe('Response: In 2021/22 the trust received 12 referrals, in 2022/23 fewer than 5');
  });
  it('ends "2023/24 (to date)" on the letter\'s own date', () => {
    expect(r.replyDate).toBe('2024-03-25');
    expect(r.values[2]!.period).toEqual({
      start: '2023-04-01',
      end: '2024-03-25',
      label: '2023/24 (to date)',
      type: 'part_year',
    });
  });
  it('codes the table under "Response:" with its note: "*" is [1, 4] withheld under s40(2), "Not held" is missing', () => {
    expect(summary(r.values.filter((v) => v.questionId === 'q3_accepted_under2'))).toEqual([
      ['q3', 'fy2021_22', [9, 9], '', 'p1:17'],
      ['q3', 'fy2022_23', [1, 4], 'suppressed', 'p1:18'],
      ['q3', 'fy2023_24', null, 'not_held', 'p1:19'],
    ]);
    expect(r.values.find((v) => v.askedPeriodId === 'fy2022_23' && v.basis === 'accepted')).toMatchObject({
      exemptions: ['s40(2)'],
      quote: '2022/23 *',
    });
  });
  it('answers the yes/no and text questions and names the parent-infant service', () => {
    expect(r.accepts).toBe(true);
    expect(r.textAnswers.find((t) => t.questionId === 'q4_parent_infant_service')).toMatchObject({
      yesNo: true,
      name: 'Little Steps Parent-Infant Service',
      location: { page: 1, line: 23 },
    });
    expect(r.serviceText).toBe('Perinatal mental health and the Little Steps Parent-Infant Service.');
  });
  it('finds the trust in the letterhead and records the basis', () => {
    expect(r.trustHint).toMatchObject({
      name: 'Northshire and Wolds NHS Foundation Trust',
      ods: 'RZZ',
      emailDomain: 'nwft.nhs.uk',
    });
    expect(r.basis).toMatchObject({
      referralType: 'received_and_accepted',
      periodType: 'financial_year',
      ageBand: { exact: true },
      servicesIncluded: ['parent-infant', 'perinatal mental health'],
    });
    expect(r.needsManualCoding).toBe(false);
  });
});

describe('PDF tables of counts', () => {
  it('sums teams to the trust total per financial year, checked against the total row', async () => {
    const r = await read(readFoiPdf, 'by-team.pdf', await pdfs.makeByTeamPdf());
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [8, 8], '', 'p1:6'],
      ['q2', 'fy2022_23', [10, 10], '', 'p1:6'],
      ['q2', 'fy2023_24', [9, 9], 'partial_period', 'p1:6'],
    ]);
    expect(r.values[0]!.derivedFrom?.map((p) => [p.service, p.interval, formatLocation(p.location)])).toEqual([
      ['CAMHS', { low: 3, high: 3 }, 'p1:4'],
      ['Perinatal mental health', { low: 5, high: 5 }, 'p1:5'],
    ]);
    expect(r.issues.map((i) => [i.code, formatLocation(i.location)])).toEqual([
      ['suppression_mark_without_note', 'p1:4'],
    ]);
    expect(r.basis.servicesIncluded).toEqual(['CAMHS', 'Perinatal mental health']);
  });

  it('joins the 0-1 and 1-2 split to under two, and sums months only for a year with every month', async () => {
    const r = await read(readFoiPdf, 'by-month.pdf', await pdfs.makeByMonthPdf());
    const months = r.values.filter((v) => v.period?.type === 'month');
    expect(months).toHaveLength(22);
    expect(months[0]).toMatchObject({
      ageBand: { months: [0, 23], exact: true },
      location: { page: 1, line: 3 },
      quote: 'Apr-22 0 1 1',
    });
    const years = r.values.filter((v) => v.askedPeriodId !== undefined);
    expect(summary(years)).toEqual([
      ['q2', 'fy2022_23', [20, 20], '', 'p1:3'],
      ['q2', 'fy2023_24', [14, null], 'incomplete,partial_period', 'p1:15'],
    ]);
    expect(years[0]!.derivedFrom).toHaveLength(12);
  });

  it('keeps a month whose total disagrees with its split: the total wins, flagged, with an issue at its line', async () => {
    const r = await read(readFoiPdf, 'by-month.pdf', await pdfs.makeByMonthPdf());
    const oct = r.values.find((v) => v.period?.label === 'Oct-22')!;
    expect(oct).toMatchObject({
      interval: { low: 3, high: 3 },
      flags: ['total_mismatch'],
      location: { page: 1, line: 9 },
    });
    expect(oct.derivedFrom?.map((p) => p.interval.low)).toEqual([0, 1]);
    expect(r.issues.map((i) => [i.code, formatLocation(i.location)])).toEqual([['total_mismatch', 'p1:9']]);
  });
});

describe('scanned PDF', () => {
  it('records a page without a text layer as needing manual coding and guesses nothing', async () => {
    const r = await read(readFoiPdf, 'scan.pdf', await pdfs.makeScannedPdf());
    expect(r.values).toEqual([]);
    expect(r.needsManualCoding).toBe(true);
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'needs_manual_coding',
        severity: 'warning',
        location: { fileHash: 'f00d', page: 1 },
      }),
    ]);
  });
  it('turns a file that is not a PDF into an error issue, not a throw', async () => {
    const r = await read(readFoiPdf, 'broken.pdf', Buffer.from('%PDF-1.4 this is not really a pdf'));
    expect(r).toMatchObject({ needsManualCoding: true, values: [] });
    expect(r.issues[0]).toMatchObject({ code: 'pdf_unreadable', severity: 'error' });
  });
});

describe('xlsx', () => {
  it('codes one row per period at sheet!cell', async () => {
    const r = await read(readFoiSpreadsheet, 'per-period.xlsx', await files.makePerPeriodXlsx());
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [14, 14], '', 'FOI response!B4'],
      ['q3', 'fy2021_22', [10, 10], '', 'FOI response!C4'],
      ['q2', 'fy2022_23', [0, 4], 'suppressed', 'FOI response!B5'],
      ['q3', 'fy2022_23', [0, 4], 'suppressed', 'FOI response!C5'],
      ['q2', 'fy2023_24', [6, 6], 'partial_period', 'FOI response!B6'],
      ['q3', 'fy2023_24', [4, 4], 'partial_period', 'FOI response!C6'],
    ]);
    expect(r.values[2]!.quote).toBe('<5');
  });
  it('aggregates one row per referral, counting left-out rows by reason', async () => {
    const r = await read(readFoiSpreadsheet, 'per-referral.xlsx', await files.makePerReferralXlsx());
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [2, 2], '', 'Referrals!A1'],
      ['q3', 'fy2021_22', [2, 2], '', 'Referrals!A1'],
      ['q2', 'fy2022_23', [3, 3], '', 'Referrals!A1'],
      ['q3', 'fy2022_23', [2, 2], '', 'Referrals!A1'],
      ['q2', 'fy2023_24', [2, 2], 'partial_period', 'Referrals!A1'],
      ['q3', 'fy2023_24', [1, 2], 'partial_period', 'Referrals!A1'],
    ]);
    expect(r.records).toEqual({
      rowsRead: 11,
      included: 7,
      excluded: { outside_period: 1, age_24_months_or_more: 1, unreadable_date: 1, unreadable_age: 1 },
    });
    expect(r.issues.filter((i) => i.severity === 'warning').map((i) => [i.code, formatLocation(i.location)])).toEqual([
      ['referral_date_unreadable', 'Referrals!A11'],
      ['age_unreadable', 'Referrals!A12'],
    ]);
  });
});

describe('csv', () => {
  it('reads a windows-1252 file split by ";", one row per referral, with exclusions located by row', async () => {
    const r = await read(readFoiCsv, 'referrals.csv', files.makePerReferralCsv());
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [1, 1], '', 'row 1'],
      ['q2', 'fy2022_23', [1, 1], '', 'row 1'],
      ['q2', 'fy2023_24', [2, 2], 'partial_period', 'row 1'],
    ]);
    expect(r.basis.servicesIncluded).toEqual(['Children’s CAMHS', 'Perinatal – north']);
    expect(r.records?.excluded).toEqual({
      outside_period: 0,
      age_24_months_or_more: 1,
      unreadable_date: 1,
      unreadable_age: 0,
    });
    expect(r.issues.map((i) => [i.code, formatLocation(i.location)])).toEqual([
      ['referral_date_unreadable', 'row 6'],
      ['records_excluded', 'row 4'],
    ]);
  });
  it('reads a UTF-16 csv with a BOM, one row per period', async () => {
    const text = '\uFEFFPeriod,Referrals received\r\n2021/22,4\r\n2022/23,<5\r\n';
    const r = await read(readFoiCsv, 'utf16.csv', Buffer.from(text, 'utf16le'));
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [4, 4], '', 'row 2'],
      ['q2', 'fy2022_23', [0, 4], 'suppressed', 'row 3'],
    ]);
  });
});

describe('e-mail and plain text', () => {
  it('reads a quoted-printable windows-1252 body like a letter, located by body line', async () => {
    const { eml } = await files.makeEml();
    const r = await read(readFoiMail, 'reply.eml', eml);
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [3, 3], '', 'line 6'],
      ['q2', 'fy2022_23', [0, 0], '', 'line 6'],
      ['q2', 'fy2023_24', null, 'not_held', 'line 6'],
    ]);
    expect(r.textAnswers[0]).toMatchObject({
      questionId: 'q1_accepts_under2',
      yesNo: true,
      text: 'Yes – the trust’s perinatal service sees infants with their parents.',
    });
    expect(r).toMatchObject({
      replyDate: '2024-03-26',
      trustHint: { emailDomain: 'northshire.nhs.uk' },
      needsManualCoding: false,
    });
  });
  it('hands back the base64 attachment byte for byte, named as sent', async () => {
    const { eml, attachment } = await files.makeEml();
    const r = await read(readFoiMail, 'reply.eml', eml);
    expect(r.attachments?.map((a) => [a.name, a.contentType])).toEqual([
      ['referrals.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    expect(r.attachments![0]!.bytes.equals(attachment)).toBe(true);
  });
  it('reads inline answers and a tab-separated table from a .txt reply', async () => {
    const r = await read(readFoiText, 'reply.txt', files.makeTextReply());
    expect(summary(r.values)).toEqual([
      ['q2', 'fy2021_22', [0, 0], '', 'line 5'],
      ['q3', 'fy2021_22', [0, 0], '', 'line 5'],
      ['q2', 'fy2022_23', [0, 9], 'suppressed', 'line 6'],
      ['q3', 'fy2022_23', [0, 0], '', 'line 6'],
      ['q2', 'fy2023_24', [0, 0], 'partial_period', 'line 7'],
      ['q3', 'fy2023_24', [0, 0], 'partial_period', 'line 7'],
    ]);
    expect(r).toMatchObject({ accepts: false, trustHint: { name: 'Southmere Partnership NHS Foundation Trust' } });
  });
  it('sends a reply with no answer it can read to manual coding', async () => {
    const r = await read(readFoiText, 'empty.txt', Buffer.from('Dear Sir, we will reply shortly.\n'));
    expect(r.needsManualCoding).toBe(true);
    expect(r.issues.map((i) => i.code)).toEqual(['no_answers_found']);
  });
});

describe('a reply of any text', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 200);
  const fragments = fc.constantFrom(
    'Question 2: How many referrals did the trust receive?',
    'Response:',
    'Q3 accepted?',
    '1. Yes',
    '2021/22\t12\t<5',
    'Month\t0-1\t1-2\tTotal',
    'Apr-22\t1\t*\t3',
    'Team\t2021/22\t2022/23',
    'Total\t4\t9',
    '* denotes 1-4',
    'In 2022/23 we received fewer than 5 referrals',
    'not held',
    'Referral date\tAge (months)',
    '01/02/2023\t5',
    'Yours sincerely',
    '0-2 years',
    'under 5s: 3 in 2023',
    'April to February: 7',
  );
  const line = fc.oneof(
    fc.string(),
    fragments,
    fc.array(fragments, { maxLength: 3 }).map((a) => a.join(' ')),
  );
  test.prop([fc.array(line, { maxLength: 25 })], { numRuns: runs })(
    'gives valid values or issues as .txt or .csv, never a throw',
    async (lines) => {
      const ctx = { fileHash: 'f00d', originalName: 'fuzz', wave, sentDate: '2024-03-11' };
      const bytes = Buffer.from(lines.join('\n'));
      for (const r of [await readFoiText(bytes, ctx), await readFoiCsv(bytes, ctx)]) {
        if (typeof r.needsManualCoding !== 'boolean' || !r.values.every((v) => codedValueSchema.safeParse(v).success))
          return false;
      }
      return true;
    },
  );
});

describe('the reader table', () => {
  it('has a reader for exactly the kinds the main thread is told of (pipeline/foi/reader-table.ts)', async () => {
    const { FOI_READERS } = await import('../../../pipeline/ingest/foi/readers.ts');
    const { FOI_READER_KINDS } = await import('../../../pipeline/ingest/foi/reader-table.ts');
    expect(Object.keys(FOI_READERS).sort()).toEqual([...FOI_READER_KINDS].sort());
  });
});
