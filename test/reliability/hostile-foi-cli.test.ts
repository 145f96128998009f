import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequests } from '../../pipeline/foi/send.ts';
import type { IngestSummary } from '../../pipeline/ingest/job.ts';
import { CONFIG_FILE } from '../../pipeline/runtime/workspace.ts';
import * as files from '../fixtures/foi/make-files.ts';
import * as pdfs from '../fixtures/foi/make-pdf.ts';
import { runCensus, type CliResult } from '../support/cli.ts';
import { testCtx } from '../support/ctx.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { writeCfb } from './cfb-writer.ts';
import { readZipParts, writeZip } from './zip-writer.ts';

/**
 * One folder of FOI replies, good and hostile mixed, through `census ingest` as a user runs it:
 * one spawn of bin/census for the whole batch. Every hostile reply must come back with its own
 * issue code (never foi_reader_failed, foi_format_unsupported or a crash), and every good reply's
 * values must be in the database. The workspace is made in-process (what `census init` does) and
 * the database is checked directly, so the CLI is started once.
 */
const LIMITS = {
  maxFileBytes: 5_000_000,
  maxRows: 5_000,
  maxPages: 5,
  maxUnzippedBytes: 20_000_000,
  maxZipEntries: 1_000,
  parseTimeoutMs: 60_000,
};

/** Codes that flag a reply whose values are still read. */
const READ_ANYWAY = new Set(['pdf_xref_broken', 'macros_present']);

async function encryptedPdf(): Promise<Buffer> {
  const doc = new PDFDocument({
    userPassword: 'secret',
    ownerPassword: 'owner',
    pdfVersion: '1.7',
    info: { CreationDate: new Date('2024-03-25T09:00:00Z') },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text('Response: In 2021/22 the trust received 12 referrals.');
  doc.end();
  return done;
}

/** The same PDF with every in-use cross-reference entry pointing past the end of the file. */
function brokenXref(pdf: Buffer): Buffer {
  const s = pdf.toString('latin1');
  const at = s.lastIndexOf('\nxref');
  return Buffer.from(s.slice(0, at) + s.slice(at).replace(/\d{10} 00000 n/g, '9999999999 00000 n'), 'latin1');
}

/** Eight pages whose page tree the byte scan cannot see (NUL is PDF whitespace): pdf.js's count decides. */
async function hiddenLongPdf(): Promise<Buffer> {
  const pdf = await pdfs.renderPdf(Array.from({ length: 8 }, (_, i) => [`Page ${i + 1}`]));
  return Buffer.from(pdf.toString('latin1').replace('/Type /Pages', '/Type\u0000/Pages'), 'latin1');
}

describe('census ingest of a hostile folder of FOI replies', () => {
  let t: TestDb;
  let home: string;
  let inbox: string;
  let ws: string;
  let run: CliResult;
  let summary: IngestSummary;
  /** File name -> the issue code it must raise, or null for a good reply whose values must load. */
  const expected = new Map<string, string | null>();

  beforeAll(async () => {
    t = await freshDatabase();
    home = mkdtempSync(join(tmpdir(), 'census-foi-hostile-'));
    ws = join(home, 'ws');
    inbox = join(home, 'deep', 'er', 'inbox');
    mkdirSync(inbox, { recursive: true });
    const ctx = testCtx(t, { now: '2024-04-02T10:00:00Z', dir: ws });
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const config = JSON.parse(readFileSync(join(ws, CONFIG_FILE), 'utf8'));
    writeFileSync(
      join(ws, CONFIG_FILE),
      `${JSON.stringify({ ...config, limits: { ...config.limits, ...LIMITS } }, null, 2)}\n`,
    );

    const put = (name: string, bytes: Buffer, code: string | null): void => {
      writeFileSync(join(inbox, name), bytes);
      expected.set(name, code);
    };
    const letter = await pdfs.renderPdf([['Oxleas NHS Foundation Trust (RPG)', ...pdfs.LETTER.slice(1)]]);
    const { eml } = await files.makeEml();
    const csvText = iconv.decode(files.makePerReferralCsv(), 'win1252');

    // Good replies, several under names that are data only: quotes, a newline, non-Latin script.
    put('Reply "RPG" o\'Brien\nfinal.pdf', letter, null);
    put('Ответ 回答 Ἀθῆναι.xlsx', await files.makePerReferralXlsx(), null);
    put('referrals windows-1252.csv', files.makePerReferralCsv(), null);
    put('referrals utf-16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csvText, 'utf16le')]), null);
    put('referrals utf-16 no bom.csv', iconv.encode(csvText, 'utf16le'), null);
    put('reply.txt', files.makeTextReply(), null);
    // Its attachment (a good per-period workbook) is named to climb out of any folder it is written to.
    put(
      'reply.eml',
      Buffer.from(eml.toString('latin1').replace(/(file)?name="referrals\.xlsx"/g, '$1name="../../x"'), 'latin1'),
      null,
    );

    put('truncated.pdf', letter.subarray(0, Math.floor(letter.length / 2)), 'pdf_unreadable');
    put('encrypted.pdf', await encryptedPdf(), 'password_protected');
    // Flagged, and still read: pdf.js rebuilds the table; the macros are never run.
    put('broken-xref.pdf', brokenXref(letter), 'pdf_xref_broken');
    put(
      'macros.xlsm',
      writeZip([
        ...readZipParts(await files.makePerPeriodXlsx()),
        { name: 'xl/vbaProject.bin', data: writeCfb(['VBA', 'PROJECT']) },
      ]),
      'macros_present',
    );
    put('long.pdf', await pdfs.renderPdf(Array.from({ length: 8 }, (_, i) => [`Page ${i + 1}`])), 'too_many_pages');
    put('long-hidden.pdf', await hiddenLongPdf(), 'too_many_pages');
    put(
      'bomb.xlsx',
      writeZip([
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(30_000_000, 0x20) },
      ]),
      'zip_bomb_suspected',
    );
    put('cut.xlsx', (await files.makePerPeriodXlsx()).subarray(0, 500), 'file_unreadable');
    put('locked.xlsx', writeCfb(['EncryptionInfo', 'EncryptedPackage']), 'password_protected');
    put('old.xls', writeCfb(['Workbook']), 'legacy_binary_format');
    put('old.doc', writeCfb(['WordDocument', '1Table']), 'legacy_binary_format');
    put('binary.csv', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)), 'binary_not_text');
    put('rows.csv', Buffer.from(`Month,Referrals\r\n${'Apr-23,1\r\n'.repeat(6_000)}`), 'too_many_rows');

    run = await runCensus(['ingest', inbox, '--wave', '2024', '--json'], {
      cwd: home,
      env: { DATABASE_URL: t.url, CENSUS_WORKSPACE: ws },
    });
    summary = JSON.parse(run.stdout) as IngestSummary;
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  it('exits 1 (done, with error-severity data issues), not 3 or a crash, and reports every file', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.signal).toBeNull();
    const names = summary.files.map((f) => f.name);
    for (const name of expected.keys()) expect(names, name).toContain(name);
    expect(names, 'the attachment is received as a file of its own, under its name as data').toContain('../../x');
  });

  it('gives each hostile reply its own issue code, and no reply a reader failure or a generic code', () => {
    for (const f of summary.files) {
      const codes = f.issues.map((i) => i.code);
      expect(codes, f.name).not.toContain('foi_reader_failed');
      expect(codes, f.name).not.toContain('foi_format_unsupported');
      expect(codes, f.name).not.toContain('internal_error');
      const code = expected.get(f.name);
      if (code) expect(codes, f.name).toContain(code);
      for (const i of f.issues) expect(i.message.length, `${f.name} ${i.code}`).toBeGreaterThan(30);
    }
  });

  it('loads the values of every good reply, the attachment too, and keeps every hostile one for a person', async () => {
    const rows = (
      await t.pool
        .query(`select f.original_name, count(v.*)::int as n, bool_or(r.needs_manual_coding) as manual from foi_response r
      join file_receipt f on f.sha256 = r.sha256 left join foi_value v on v.response_id = r.id group by 1 order by 1`)
    ).rows as { original_name: string; n: number; manual: boolean }[];
    const byName = new Map(rows.map((r) => [r.original_name, r]));
    for (const [name, code] of expected) {
      if (code === null || READ_ANYWAY.has(code)) expect(byName.get(name)?.n, name).toBeGreaterThan(0);
      else expect(byName.get(name), name).toMatchObject({ n: 0, manual: true });
    }
    expect(byName.get('../../x')?.n).toBeGreaterThan(0);
    const values = async (name: string) =>
      (
        await t.pool.query(
          `select v.question_id, v.period_id, v.low::int, v.high::int from foi_value v
      join foi_response r on r.id = v.response_id join file_receipt f on f.sha256 = r.sha256 where f.original_name = $1 order by 1, 2, 3`,
          [name],
        )
      ).rows;
    const win = await values('referrals windows-1252.csv');
    expect(await values('referrals utf-16.csv'), 'UTF-16 reads as the Windows-1252 original').toEqual(win);
    expect(await values('referrals utf-16 no bom.csv'), 'UTF-16 without a BOM too').toEqual(win);
  });

  it('stores the attachment named "../../x" by its hash only, writing nothing where the name points', () => {
    for (const base of [inbox, ws, home, join(ws, 'store'), process.cwd()])
      expect(existsSync(join(base, '..', '..', 'x')), base).toBe(false);
    const hash = summary.files.find((f) => f.name === '../../x')!.hash!;
    const stored = readdirSync(join(ws, 'store'), { recursive: true }).map(String);
    expect(stored).toContain(join(hash.slice(0, 2), hash));
    for (const p of stored)
      expect(p, 'every stored file is named by its hash').toMatch(/^[0-9a-f]{2}(\/[0-9a-f]{64})?$/);
  });
});
