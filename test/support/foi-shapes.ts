import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { renderPdf, type PdfLine } from '../fixtures/foi/make-pdf.ts';

/**
 * FOI replies in the shapes spec/foi.md "What real replies do" lists, made from code with the values
 * each one must read as. Every shape comes in several instances: the counts, the way a period is
 * written, the suppression form and the wording vary with a seeded generator, so a reader passes by
 * reading the shape, not one string. `expected` maps "questionId|askedPeriodId" to [low, high]
 * (high null = open); a slot a person must code (an estimate) is `'person'`.
 */

export type Expected = Record<string, [number, number | null] | 'person'>;
export interface ShapeReply {
  shape: string;
  name: string;
  bytes: Buffer;
  expected: Expected;
}

const FY = [2021, 2022, 2023] as const;
const PID = ['fy2021_22', 'fy2022_23', 'fy2023_24'] as const;
const Q2 = 'q2_referrals_under2';
const Q3 = 'q3_accepted_under2';

/** A small deterministic generator (mulberry32): the same seed makes the same replies. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** Every spelling of a financial year the spec names; the current year as a part year. */
function periodLabel(r: () => number, y: number): string {
  const s = String(y + 1).slice(2);
  if (y === 2023)
    return pick(r, [
      '2023/24 (to 29 February 2024)',
      '2023/24 (to date)',
      'April 2023 - February 2024',
      '2023-24 (to 29 February 2024)',
      'FY24 (to date)',
    ]);
  return pick(r, [
    `${y}/${s}`,
    `${y}-${s}`,
    `FY${s}`,
    `April ${y} - March ${y + 1}`,
    `01/04/${y} to 31/03/${y + 1}`,
    `${y}/${y + 1}`,
  ]);
}

/** A count as written and the interval it codes to (spec coding rules). */
interface Count {
  text: string;
  iv: [number, number | null];
}
function count(r: () => number, allowSuppressed = true): Count {
  if (allowSuppressed && r() < 0.35) {
    return pick(r, [
      { text: '<5', iv: [0, 4] },
      { text: '< 5', iv: [0, 4] },
      { text: 'fewer than 5', iv: [0, 4] },
      { text: 'less than five', iv: [0, 4] },
      { text: '5 or fewer', iv: [0, 5] },
      { text: '<10', iv: [0, 9] },
      { text: 'nil', iv: [0, 0] },
    ] satisfies Count[]);
  }
  const n = int(r, 5, 60);
  return { text: String(n), iv: [n, n] };
}
/** An accepted count no larger than the received one. */
function accepted(r: () => number, rec: Count): Count {
  if (rec.iv[1] !== rec.iv[0]) return rec;
  const n = int(r, 0, rec.iv[0]);
  return { text: String(n), iv: [n, n] };
}

const HEAD = ['Northshire and Wolds NHS Foundation Trust', 'Our ref: FOI-2024-0312', 'Your ref: PIP-FOI-2024-099'];
const Q = [
  'Does the Trust accept referrals for children aged under two (0-23 months) into CAMHS or any other mental health service?',
  'How many referrals for children aged under two did the Trust receive in each of the financial years 2021/22, 2022/23 and 2023/24 (to date)?',
  'How many of those referrals were accepted (assessed or treated)?',
  'Does the Trust host or commission a specialist parent-infant relationship team or service? If so, its name.',
  'Which services received these referrals (for example CAMHS, perinatal mental health, a parent-infant team)?',
];
const SIGN = ['Yours sincerely,', 'Information Governance Team', 'Page 1 of 1'];

interface Year {
  label: string;
  rec: Count;
  acc: Count;
}
function years(r: () => number, allowSuppressed = true): Year[] {
  return FY.map((y) => {
    const rec = count(r, allowSuppressed);
    return { label: periodLabel(r, y), rec, acc: accepted(r, rec) };
  });
}
function expectedOf(ys: readonly Year[], withAccepted = true): Expected {
  const out: Expected = {};
  ys.forEach((y, i) => {
    out[`${Q2}|${PID[i]}`] = y.rec.iv;
    if (withAccepted) out[`${Q3}|${PID[i]}`] = y.acc.iv;
  });
  return out;
}
/** Long questions wrap as they would on an A4 page. */
function wrap(text: string, width = 95): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line !== '' && line.length + w.length + 1 > width) {
      out.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/** A PDF letter restating each question, then "Response:" and a sentence or a list per year. */
async function letterPdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const ys = years(r);
  const sep = pick(r, [': ', ' – ', ' - ']);
  const lines: PdfLine[] = [
    ...HEAD,
    'Date: 5 April 2024',
    ...wrap(`1. ${Q[0]}`),
    'Response: Yes, the Trust does accept referrals for children aged under two.',
    ...wrap(`2. ${Q[1]}`),
    'Response:',
    ...ys.map((y) => `${y.label}${sep}${y.rec.text}`),
    ...wrap(`3. ${Q[2]}`),
    'Response:',
    ...ys.map((y) => `${y.label}${sep}${y.acc.text}`),
    ...wrap(`4. ${Q[3]}`),
    'Response: No, there is no such service within the Trust.',
    ...wrap(`5. ${Q[4]}`),
    'Response: CAMHS and the perinatal mental health service.',
    ...SIGN,
  ];
  return {
    shape: 'pdf_letter_restated',
    name: `letter-${seed}.pdf`,
    bytes: await renderPdf([lines]),
    expected: expectedOf(ys),
  };
}

/** A PDF table by financial year under a joint heading ("2 and 3."), headers naming the basis. */
async function tablePdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const ys = years(r);
  const heading = pick(r, [
    '2 and 3. Referrals for children aged under 2 (0-23 months):',
    'Questions 2 and 3',
    'Q2 & Q3:',
  ]);
  const lines: PdfLine[] = [
    ...HEAD,
    'Date of response: 25/03/2024',
    '1. Yes, the Trust does accept referrals for children aged under two.',
    heading,
    ['Period', 'Referrals received', 'Accepted (assessed/treated)'],
    ...ys.map((y) => [y.label, y.rec.text, y.acc.text]),
    '4. No, there is no such service within the Trust.',
    '5. CAMHS, Perinatal Mental Health Service.',
    ...SIGN,
  ];
  return {
    shape: 'pdf_table_by_financial_year',
    name: `table-${seed}.pdf`,
    bytes: await renderPdf([lines]),
    expected: expectedOf(ys),
  };
}

const MONTH_LABELS = [
  (y: number, m: number) =>
    `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]}-${String(y).slice(2)}`,
  (y: number, m: number) =>
    `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]}${String(y).slice(2)}`,
  (y: number, m: number) =>
    `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} ${y}`,
  (y: number, m: number) =>
    `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${String(y).slice(2)}`,
];

/**
 * A PDF table by month, labels spelt every way in one table, "*" with its note, a total row per year
 * and, in one year, a month left blank (that year's sum goes to a person). Runs over a page break.
 */
async function monthPdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const blankYear = int(r, 0, 2);
  const blankMonth = int(r, 1, 10);
  const rows: PdfLine[] = [];
  const expected: Expected = {};
  FY.forEach((y, yi) => {
    const months = yi === 2 ? 11 : 12;
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < months; k++) {
      const [yy, mm] = k < 9 ? [y, k + 4] : [y + 1, k - 8];
      const label = pick(r, MONTH_LABELS)(yy, mm);
      if (yi === blankYear && k === blankMonth) {
        rows.push(label);
        continue;
      }
      const star = r() < 0.3;
      const n = star ? 0 : int(r, 0, 6);
      rows.push([label, star ? '*' : String(n), star ? '*' : String(n)]);
      lo += star ? 1 : n;
      hi += star ? 4 : n;
    }
    rows.push([`Total ${y}/${String(y + 1).slice(2)}`, '-', 'n/a']);
    const iv: Expected[string] = yi === blankYear ? 'person' : [lo, hi];
    expected[`${Q2}|${PID[yi]}`] = iv;
    expected[`${Q3}|${PID[yi]}`] = iv;
  });
  const head: PdfLine[] = [
    ...HEAD,
    // Replied the day the request came, or after the year ended with the current year still to February:
    // the data ends at the last month it has a row for, not at a blank March.
    seed % 2 === 0 ? 'Date: 11/03/2024' : 'Date: 04/04/2024',
    'Question 1: The Trust accepts referrals for children of all ages into CAMHS.',
    'Questions 2 and 3: the number of referrals received for children aged 0-23 months, and the number',
    'accepted, by month of referral, is set out below.',
    ['Month', 'Referrals received', 'Referrals accepted'],
  ];
  const all = [...head, ...rows];
  const page1 = [...all.slice(0, 44), 'Page 1 of 2'];
  const page2 = [
    ...all.slice(44),
    '* denotes a figure between 1 and 4, suppressed to protect patient confidentiality.',
    'Question 4: No.',
    'Question 5: CAMHS.',
    'Yours faithfully,',
    'Page 2 of 2',
  ];
  return { shape: 'pdf_table_by_month', name: `monthly-${seed}.pdf`, bytes: await renderPdf([page1, page2]), expected };
}

/** An xlsx, one row per period. */
async function xlsxPerPeriod(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const ys = years(r);
  const wb = new ExcelJS.Workbook();
  wb.created = new Date('2024-03-25T09:00:00Z');
  wb.modified = wb.created;
  const ws = wb.addWorksheet(pick(r, ['Data', 'Referrals under 2', 'Sheet1']));
  ws.addRow(['Referrals of children aged under 2 (0-23 months)']);
  ws.addRow([]);
  ws.addRow([
    pick(r, ['Period', 'Financial year', 'Year']),
    'Number of referrals received',
    'Number of referrals accepted',
  ]);
  for (const y of ys)
    ws.addRow([
      y.label,
      y.rec.iv[0] === y.rec.iv[1] ? y.rec.iv[0] : y.rec.text,
      y.acc.iv[0] === y.acc.iv[1] ? y.acc.iv[0] : y.acc.text,
    ]);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { shape: 'xlsx_one_row_per_period', name: `per-period-${seed}.xlsx`, bytes, expected: expectedOf(ys) };
}

const pad = (n: number) => String(n).padStart(2, '0');
/**
 * A record-level csv: one row per referral, in the header, age and encoding shapes of the spec; rows
 * before the first asked year and rows aged 24 months or more are left out by the reader.
 */
function recordCsv(seed: number, variant: number): ShapeReply {
  const r = rng(seed);
  const shapes = [
    { head: ['referral_date', 'age_months', 'team'], sep: ',', age: (m: number) => String(m), enc: 'utf8' },
    {
      head: ['Referral Date', 'Age at Referral (Years)', 'Team'],
      sep: ',',
      age: (m: number) => String(Math.floor(m / 12)),
      enc: 'cp1252',
    },
    {
      head: ['Date of referral', 'Age (weeks)', 'Service'],
      sep: ';',
      age: (m: number) => String(Math.floor((m * 30.4) / 7)),
      enc: 'bom',
    },
    { head: ['Referral Date', 'Date of Birth', 'Team'], sep: ',', age: null, enc: 'utf8' },
  ] as const;
  const s = shapes[variant % shapes.length]!;
  const lines = [s.head.map((h) => (s.enc === 'cp1252' ? `"${h}"` : h)).join(s.sep)];
  const expected: Expected = {};
  const team = pick(r, ['Perinatal – Infant Team', 'CAMHS', 'Parent–Infant Service']);
  for (const [yi, y] of FY.entries()) {
    const n = int(r, 0, 9);
    for (let k = 0; k < n; k++) {
      const month = int(r, 4, yi === 2 ? 13 : 15);
      const [yy, mm] = month <= 12 ? [y, month] : [y + 1, month - 12];
      const day = int(r, 1, 28);
      const ageM = int(r, 0, 22);
      const date = `${pad(day)}/${pad(mm)}/${yy}`;
      const age = s.age
        ? s.age(ageM)
        : (() => {
            const b = new Date(Date.UTC(yy, mm - 1 - ageM - 1, day));
            return `${pad(b.getUTCDate())}/${pad(b.getUTCMonth() + 1)}/${b.getUTCFullYear()}`;
          })();
      lines.push([date, age, team].join(s.sep));
    }
    expected[`${Q2}|${PID[yi]}`] = [n, n];
  }
  // Rows the reader must leave out: before the first asked year, and aged two or more.
  lines.push(['15/02/2021', s.age ? s.age(6) : '15/06/2020', team].join(s.sep));
  lines.push(['10/05/2022', s.age ? s.age(30) : '10/05/2019', team].join(s.sep));
  const text = lines.join('\r\n') + '\r\n';
  const bytes =
    s.enc === 'cp1252'
      ? cp1252(text)
      : s.enc === 'bom'
        ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
        : Buffer.from(text);
  return {
    shape: `csv_record_level_${s.head[1].replace(/\W+/g, '_').toLowerCase()}`,
    name: `extract-${seed}.csv`,
    bytes,
    expected,
  };
}

/** Windows-1252 bytes of a text (the characters trusts' e-mails use beyond ASCII). */
function cp1252(text: string): Buffer {
  const map: Record<string, number> = { '–': 0x96, '—': 0x97, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '£': 0xa3 };
  return Buffer.from([...text].map((c) => map[c] ?? (c.charCodeAt(0) < 0x100 ? c.charCodeAt(0) : 0x3f)));
}

/** A plain-text e-mail body with the answers inline, quoting the request under it. */
function inlineText(r: () => number, ys: readonly Year[]): string {
  const note = pick(r, [
    'Note: where figures are below 5 they have been suppressed to protect patient confidentiality.',
    '',
  ]);
  return [
    'Dear Research Team,',
    '',
    'Thank you for your request for information, received on 11 March 2024. Our response is below.',
    '',
    `Q1 – Yes, the Trust accepts referrals for children aged 0–23 months.`,
    'Q2 – Referrals received:',
    ...ys.map((y) => `${y.label}: ${y.rec.text}`),
    'Q3 – Referrals accepted:',
    ...ys.map((y) => `${y.label}: ${y.acc.text}`),
    ...(note ? [note] : []),
    'Q4 – No.',
    'Q5 – CAMHS.',
    '',
    'If you are unhappy with this response you may ask for an internal review. The ICO’s fee is £0.',
    '',
    'Kind regards,',
    'FOI Team',
    '',
    '-----Original Message-----',
    'From: PIP Research Team',
    `2. ${Q[1]}`,
    `3. ${Q[2]}`,
  ].join('\r\n');
}

/** A .txt saved from an e-mail: Windows-1252 or UTF-16 LE (with or without BOM), CRLF. */
function textReply(seed: number, encoding: 'cp1252' | 'utf16bom' | 'utf16'): ShapeReply {
  const r = rng(seed);
  const ys = years(r);
  const text = inlineText(r, ys);
  const le = Buffer.from(text, 'utf16le');
  const bytes =
    encoding === 'cp1252'
      ? cp1252(text)
      : encoding === 'utf16bom'
        ? Buffer.concat([Buffer.from([0xff, 0xfe]), le])
        : le;
  return { shape: `txt_${encoding}`, name: `reply-${seed}.txt`, bytes, expected: expectedOf(ys) };
}

/** An .eml with the answers inline, quoted-printable Windows-1252. */
function emlReply(seed: number): ShapeReply {
  const r = rng(seed);
  const ys = years(r);
  const body = cp1252(inlineText(r, ys));
  const qp = [...body]
    .map((b) =>
      b === 0x0d || b === 0x0a
        ? String.fromCharCode(b)
        : b > 126 || b === 61
          ? `=${b.toString(16).toUpperCase().padStart(2, '0')}`
          : String.fromCharCode(b),
    )
    .join('');
  const mail = [
    'From: FOI Team <foi@nwft.nhs.uk>',
    'To: foi@pip-research.org.uk',
    'Subject: RE: Freedom of Information request PIP-FOI-2024-099',
    'Date: Mon, 08 Apr 2024 10:15:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="windows-1252"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qp,
  ].join('\r\n');
  return {
    shape: 'eml_inline_answers',
    name: `reply-${seed}.eml`,
    bytes: Buffer.from(mail, 'latin1'),
    expected: expectedOf(ys),
  };
}

/** Footnotes: "15 *" (a breakdown withheld: 15 is exact) and "*" alone with a note "between 1 and 4". */
async function footnotePdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const exact = int(r, 10, 40);
  const labels = FY.map((y) => periodLabel(r, y));
  const lines: PdfLine[] = [
    ...HEAD,
    'Date: 2 April 2024',
    '1. Yes.',
    '2 and 3. Referrals for children aged under 2 (0-23 months):',
    ['Period', 'Referrals received', 'Referrals accepted'],
    [labels[0]!, `${exact} *`, '*'],
    [labels[1]!, '*', '*'],
    [labels[2]!, '0', '0'],
    '* Where a figure is between 1 and 4 it is shown as *. Where a total is marked *, its breakdown is withheld under s40(2).',
    '4. No.',
    '5. CAMHS.',
    ...SIGN,
  ];
  const expected: Expected = {
    [`${Q2}|${PID[0]}`]: [exact, exact],
    [`${Q3}|${PID[0]}`]: [1, 4],
    [`${Q2}|${PID[1]}`]: [1, 4],
    [`${Q3}|${PID[1]}`]: [1, 4],
    [`${Q2}|${PID[2]}`]: [0, 0],
    [`${Q3}|${PID[2]}`]: [0, 0],
  };
  return { shape: 'footnote_markers', name: `footnote-${seed}.pdf`, bytes: await renderPdf([lines]), expected };
}

/** A refusal of the whole request under s40(2): every count [0, open], suppressed. */
async function s40Refusal(seed: number): Promise<ShapeReply> {
  const lines: PdfLine[] = [
    ...HEAD,
    'Date: 3 April 2024',
    'The Trust has considered your request. The numbers of children aged under two referred to our',
    'services are very small and could lead to the identification of individual children. The',
    'information is personal data and is therefore withheld in full under section 40(2) of the Freedom of',
    'Information Act 2000.',
    ...SIGN,
  ];
  const expected: Expected = {};
  for (const p of PID) {
    expected[`${Q2}|${p}`] = [0, null];
    expected[`${Q3}|${p}`] = [0, null];
  }
  return { shape: 'refusal_s40_2_whole', name: `s40-${seed}.pdf`, bytes: await renderPdf([lines]), expected };
}

/** Both counts of each year on one line under question 2; question 3 answered "see above". */
async function bothCountsPdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const ys = years(r);
  const lines: PdfLine[] = [
    ...HEAD,
    'Date: 4 April 2024',
    ...wrap(`1. ${Q[0]}`),
    'Response: Yes.',
    ...wrap(`2. ${Q[1]}`),
    'Response: The figures for both questions are below.',
    ...ys.map((y) => `${y.label}: ${y.rec.text} referrals received, ${y.acc.text} accepted`),
    ...wrap(`3. ${Q[2]}`),
    'Response: see above.',
    ...wrap(`4. ${Q[3]}`),
    'Response: No.',
    ...SIGN,
  ];
  return {
    shape: 'both_counts_on_one_line',
    name: `both-${seed}.pdf`,
    bytes: await renderPdf([lines]),
    expected: expectedOf(ys),
  };
}

/**
 * A table laid out as a PDF draws it, which text extraction flattens (spec/foi.md "Tables flattened by
 * text extraction"): the years across narrow columns, a multi-word cell ("Less than 5") wrapping inside
 * its column, and blank cells, so the numbers after a blank come out shifted left. `cells` of a row are
 * by column; '' is a blank cell. Drawn at the given x positions; rows are two text lines tall.
 */
async function drawTable(
  before: readonly string[],
  header: readonly string[],
  rows: readonly (readonly string[])[],
  after: readonly string[],
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    autoFirstPage: false,
    info: { CreationDate: new Date('2024-03-25T09:00:00Z'), ModDate: new Date('2024-03-25T09:00:00Z') },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.addPage();
  doc.font('Helvetica').fontSize(10);
  let y = 50;
  for (const l of before) {
    doc.text(l, 50, y, { lineBreak: false });
    y += 14;
  }
  const X = [50, 330, 378, 426];
  header.forEach((h, i) => doc.text(h, X[i + 1]!, y, { lineBreak: false }));
  y += 20;
  for (const r of rows) {
    r.forEach((c, i) => {
      if (c === '') return;
      // A label on one line; a count in its narrow column, wrapping onto a second line if it must.
      if (i === 0) doc.text(c, X[0]!, y, { lineBreak: false });
      else doc.text(c, X[i]!, y, { width: 40 });
    });
    y += 30;
  }
  for (const l of after) {
    doc.text(l, 50, y, { lineBreak: false });
    y += 14;
  }
  doc.end();
  return done;
}

/** A flattened table: "label n1 n2 n3" rows, a "Less than 5" split over two lines, blank cells. */
async function flattenedPdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const cell = (): Count =>
    r() < 0.4
      ? pick(r, [
          { text: 'Less than 5', iv: [0, 4] },
          { text: 'Fewer than 5', iv: [0, 4] },
        ] satisfies Count[])
      : count(r, false);
  const rec = FY.map(() => cell());
  const acc = FY.map(() => cell());
  // One or two blank cells (not available), never the whole row.
  const blankRec = r() < 0.5 ? int(r, 0, 2) : -1;
  const blankAcc = int(r, 0, 2);
  const expected: Expected = {};
  FY.forEach((_, i) => {
    expected[`${Q2}|${PID[i]}`] = i === blankRec ? 'person' : rec[i]!.iv;
    expected[`${Q3}|${PID[i]}`] = i === blankAcc ? 'person' : acc[i]!.iv;
  });
  // Every label in turn, the one that starts like a numbered question ("3. Number accepted") included.
  const accLabel = ['3. Number accepted (assessed or treated)', 'Referrals accepted', 'Number accepted'][seed % 3]!;
  const bytes = await drawTable(
    [
      ...HEAD,
      'Date: 2 April 2024',
      '1. Yes.',
      ...wrap(`2. ${Q[1]}`, 70),
      'The figures are given by financial year below.',
    ],
    ['2021/22', '2022/23', '2023/24'],
    [
      ['Number of referrals received (aged 0-23 months)', ...rec.map((c, i) => (i === blankRec ? '' : c.text))],
      [accLabel, ...acc.map((c, i) => (i === blankAcc ? '' : c.text))],
    ],
    ['Blank cells: the figure is not available for that year.', '4. No.', '5. CAMHS.', ...SIGN],
  );
  return { shape: 'pdf_table_flattened_blank_cells', name: `flattened-${seed}.pdf`, bytes, expected };
}

/** A count in a sentence: a number, or "*" (a figure between 1 and 4, says the note). */
function starOrCount(r: () => number): Count {
  return r() < 0.5 ? { text: '*', iv: [1, 4] } : count(r, false);
}

/** "*" inside prose: "the Trust received * referrals ...; in 2022/23, *; ...", with the note that says what "*" means. */
async function starProsePdf(seed: number): Promise<ShapeReply> {
  const r = rng(seed);
  const labels = FY.map((y) => periodLabel(r, y));
  const rec = FY.map(() => starOrCount(r));
  const acc = rec.map((c) => (c.text === '*' ? { text: '*', iv: [1, 4] as [number, number] } : starOrCount(r)));
  const lines: PdfLine[] = [
    ...HEAD,
    'Date: 5 April 2024',
    ...wrap(`1. ${Q[0]}`),
    'Response: Yes.',
    ...wrap(`2. ${Q[1]}`),
    ...wrap(
      `Response: In ${labels[0]} the Trust received ${rec[0]!.text} referrals for children aged 0-23 months; in ${labels[1]}, ${rec[1]!.text}; and in ${labels[2]}, ${rec[2]!.text}.`,
    ),
    ...wrap(`3. ${Q[2]}`),
    ...wrap(
      `Response: Of these, ${acc[0]!.text} (${labels[0]}), ${acc[1]!.text} (${labels[1]}) and ${acc[2]!.text} (${labels[2]}) were accepted for assessment or treatment.`,
    ),
    '* denotes a figure between 1 and 4, suppressed to protect patient confidentiality.',
    ...wrap(`4. ${Q[3]}`),
    'Response: No.',
    ...SIGN,
  ];
  const expected: Expected = {};
  FY.forEach((_, i) => {
    expected[`${Q2}|${PID[i]}`] = rec[i]!.iv;
    expected[`${Q3}|${PID[i]}`] = acc[i]!.iv;
  });
  return { shape: 'star_inside_prose', name: `star-prose-${seed}.pdf`, bytes: await renderPdf([lines]), expected };
}

/** One paragraph answering questions 1 to 3, a bare count before "of which": "and in 2023/24, 6, of which <5 were accepted". */
function ofWhichText(seed: number): ShapeReply {
  const r = rng(seed);
  const ys = years(r);
  const [a, b, c] = ys as [Year, Year, Year];
  const text = [
    'Dear Research Team,',
    '',
    'Thank you for your FOI request PIP-FOI-2024-099.',
    '',
    `In answer to questions 1 to 3: yes, the Trust's CAMHS accept referrals for children under two. In ${a.label} we received ${a.rec.text} referrals for children aged 0-23 months, of which ${a.acc.text} were accepted; in ${b.label} we received ${b.rec.text} (all accepted), and in ${c.label} ${c.rec.text}, of which ${c.acc.text} were accepted.`,
    '',
    'Question 4 - No.',
    'Question 5 - CAMHS.',
    '',
    'Kind regards',
    'Northshire and Wolds NHS Foundation Trust',
  ].join('\r\n');
  const expected: Expected = {
    [`${Q2}|${PID[0]}`]: a.rec.iv,
    [`${Q3}|${PID[0]}`]: a.acc.iv,
    [`${Q2}|${PID[1]}`]: b.rec.iv,
    [`${Q3}|${PID[1]}`]: b.rec.iv,
    [`${Q2}|${PID[2]}`]: c.rec.iv,
    [`${Q3}|${PID[2]}`]: c.acc.iv,
  };
  return { shape: 'of_which_one_paragraph', name: `of-which-${seed}.txt`, bytes: cp1252(text), expected };
}

/** `n` instances of every shape, each from its own seed. */
export async function foiShapeReplies(n = 4): Promise<ShapeReply[]> {
  const out: ShapeReply[] = [];
  for (let i = 0; i < n; i++) {
    const seed = 1000 + i * 7;
    out.push(await letterPdf(seed), await tablePdf(seed + 1), await monthPdf(seed + 2), await xlsxPerPeriod(seed + 3));
    for (let v = 0; v < 4; v++) out.push(recordCsv(seed + 10 + v, v));
    out.push(textReply(seed + 4, 'cp1252'), textReply(seed + 5, i % 2 ? 'utf16' : 'utf16bom'), emlReply(seed + 6));
    out.push(await footnotePdf(seed + 20), await s40Refusal(seed + 21), await bothCountsPdf(seed + 22));
    out.push(await flattenedPdf(seed + 23), await starProsePdf(seed + 24), ofWhichText(seed + 25));
  }
  return out;
}
