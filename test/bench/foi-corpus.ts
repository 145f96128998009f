import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { stabiliseZip } from '../../reports/zip-stable.ts';
import { loadTrusts, type Trust } from '../../sources/foi/trusts.ts';
import { BY_MONTH, BY_TEAM, LETTER, renderPdf, type PdfLine } from '../fixtures/foi/make-pdf.ts';
import { MAIL_BODY, TEXT_LINES } from '../fixtures/foi/make-files.ts';
import { rng, ukDate, type Rng } from './random.ts';

/**
 * FOI replies of the bench corpora, in the mix of formats trusts send, built from the test fixtures'
 * shapes with the trust and the numbers varied by a seeded generator. Every 50 replies hold one
 * 100-page PDF and one 5,000-row workbook, so the CPU-heavy share is the same at every scale.
 */
const PINNED = new Date('2024-03-25T09:00:00Z');
const TEAMS = ['CAMHS', 'Perinatal mental health', 'Parent-infant team', 'Community CAMHS North'];
const OUTCOMES = ['Accepted', 'Accepted', 'Not accepted', 'Signposted', ''];

export type FoiShape =
  | 'letter_pdf'
  | 'team_pdf'
  | 'month_pdf'
  | 'long_pdf'
  | 'scan_pdf'
  | 'period_xlsx'
  | 'referral_xlsx'
  | 'large_xlsx'
  | 'referral_csv'
  | 'period_csv'
  | 'eml'
  | 'txt';
/** The mix of 50 replies, in order; reply i has shape MIX[i % 50]. */
const MIX: [FoiShape, number][] = [
  ['letter_pdf', 12],
  ['team_pdf', 5],
  ['month_pdf', 3],
  ['long_pdf', 1],
  ['scan_pdf', 1],
  ['period_xlsx', 8],
  ['referral_xlsx', 3],
  ['large_xlsx', 1],
  ['referral_csv', 6],
  ['period_csv', 3],
  ['eml', 4],
  ['txt', 3],
];
const SHAPES: FoiShape[] = MIX.flatMap(([s, n]) => Array<FoiShape>(n).fill(s));
export const shapeOf = (i: number): FoiShape => SHAPES[i % SHAPES.length]!;
const EXT: Record<FoiShape, string> = {
  letter_pdf: 'pdf',
  team_pdf: 'pdf',
  month_pdf: 'pdf',
  long_pdf: 'pdf',
  scan_pdf: 'pdf',
  period_xlsx: 'xlsx',
  referral_xlsx: 'xlsx',
  large_xlsx: 'xlsx',
  referral_csv: 'csv',
  period_csv: 'csv',
  eml: 'eml',
  txt: 'txt',
};

const n = (r: Rng) => String(r.int(0, 40));
const letter = (t: Trust, r: Rng): PdfLine[] =>
  LETTER.map((l, i) => {
    if (i === 0) return `${t.name} (${t.odsCode})`;
    if (typeof l !== 'string') return l[0] === 'Financial year' ? l : [l[0]!, n(r)];
    return l.replace(/received 12 referrals/, `received ${n(r)} referrals`).replace(/ seven\./, ` ${n(r)}.`);
  });
const byTeam = (t: Trust, r: Rng): PdfLine[] => [
  t.name,
  ...BY_TEAM.slice(1, 3),
  ...BY_TEAM.slice(3, 5).map((row) => [(row as string[])[0]!, n(r), n(r), n(r)]),
];
const byMonth = (t: Trust, r: Rng): PdfLine[] => [
  `${t.name}: ${BY_MONTH[0] as string}`,
  BY_MONTH[1]!,
  ...BY_MONTH.slice(2).map((row) => [(row as string[])[0]!, n(r), n(r), n(r)]),
];

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = PINNED;
  wb.modified = PINNED;
  fill(wb);
  return stabiliseZip(Buffer.from(await wb.xlsx.writeBuffer()), PINNED);
}

function referralRows(r: Rng, rows: number): [string, number, string, string][] {
  return Array.from({ length: rows }, () => [ukDate(r.int(400, 1600)), r.int(0, 40), r.pick(TEAMS), r.pick(OUTCOMES)]);
}

const referralXlsx = (t: Trust, r: Rng, rows: number) =>
  workbook((wb) => {
    const ws = wb.addWorksheet('Referrals');
    ws.addRow([`${t.name}: referrals of children under 2`]);
    ws.addRow(['Referral date', 'Age at referral (months)', 'Team', 'Outcome']);
    for (const row of referralRows(r, rows)) ws.addRow(row);
  });

function eml(t: Trust, r: Rng, attachment: Buffer): Buffer {
  const body = MAIL_BODY.map((l) => l.replace('2021/22: 3', `2021/22: ${n(r)}`)).join('\r\n');
  const b64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      `From: FOI Team <foi@${t.odsCode.toLowerCase()}.nhs.uk>`,
      'To: research@example.org',
      `Subject: FOI reply from ${t.name}`,
      'Date: Tue, 26 Mar 2024 10:15:00 +0000',
      `Message-ID: <bench-${r.int(0, 1e9)}@example.org>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '--B',
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="referrals.xlsx"',
      'Content-Disposition: attachment; filename="referrals.xlsx"',
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--B--',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

export async function foiReply(i: number, t: Trust): Promise<Buffer> {
  const r = rng(2024 * 1_000_003 + i);
  switch (shapeOf(i)) {
    case 'letter_pdf':
      return renderPdf([letter(t, r)]);
    case 'team_pdf':
      return renderPdf([byTeam(t, r)]);
    case 'month_pdf':
      return renderPdf([byMonth(t, r)]);
    case 'long_pdf':
      return renderPdf([letter(t, r), ...Array.from({ length: 99 }, () => byMonth(t, r))]);
    case 'scan_pdf':
      return renderPdf(['scan']);
    case 'period_xlsx':
      return workbook((wb) => {
        const ws = wb.addWorksheet('FOI response');
        ws.getCell('A1').value = `${t.name}: referrals for children aged under 2 (0-23 months)`;
        ws.getRow(3).values = ['Financial year', 'Referrals received', 'Referrals accepted'];
        ['2021/22', '2022/23', '2023/24 (to date)'].forEach((y, k) => {
          ws.getRow(4 + k).values = [y, r.int(5, 40), r.next() < 0.2 ? '<5' : r.int(0, 5)];
        });
      });
    case 'referral_xlsx':
      return referralXlsx(t, r, 200);
    // 5,000 rows, not more: readFoiSpreadsheet is quadratic in rows today (BENCHMARKS.md), 20,000 take minutes.
    case 'large_xlsx':
      return referralXlsx(t, r, 5_000);
    case 'referral_csv':
      return Buffer.from(
        `Referral date,Age at referral (months),Team,Outcome\r\n${referralRows(r, 500)
          .map((row) => row.join(','))
          .join('\r\n')}\r\n`,
      );
    case 'period_csv':
      return Buffer.from(
        `Financial year;Referrals received\n2021/22;${n(r)}\n2022/23;${n(r)}\n2023/24 (to date);${n(r)}\n`,
      );
    case 'eml':
      return eml(t, r, await referralXlsx(t, r, 50));
    case 'txt':
      return Buffer.from(
        `${[`From the FOI Office, ${t.name}`, ...TEXT_LINES.slice(1)].join('\n').replace('FY 2021/22\t0', `FY 2021/22\t${n(r)}`)}\n`,
      );
  }
}

/** Writes `count` replies into dir, named by index and shape; returns their paths. */
export async function writeFoiReplies(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const trusts = loadTrusts().trusts.filter((t) => t.closed === null);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `reply-${String(i).padStart(5, '0')}-${shapeOf(i)}.${EXT[shapeOf(i)]}`);
    writeFileSync(path, await foiReply(i, trusts[i % trusts.length]!));
    paths.push(path);
  }
  return paths;
}
