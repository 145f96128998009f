import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foiProcessorFor } from '../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../pipeline/foi/send.ts';
import { foiPreflight, guardedFoiReaders } from '../../pipeline/ingest/foi/extract.ts';
import { ingest, type IngestSummary } from '../../pipeline/ingest/job.ts';
import * as files from '../fixtures/foi/make-files.ts';
import * as pdfs from '../fixtures/foi/make-pdf.ts';
import { limitsSchema } from '../../pipeline/runtime/workspace.ts';
import { loadFoiWave } from '../../schemas/foi/index.ts';
import { declaredPdfPages, pdfXrefProblem } from '../../sources/shared/preflight.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { testCtx } from '../support/ctx.ts';
import { writeCfb } from './cfb-writer.ts';
import { writeZip } from './zip-writer.ts';

/**
 * FOI replies get the questionnaire's protections through guardedFoiReaders: hostile files are
 * refused before any reader opens them (and kept for a person, as FOI replies always are), and
 * the good replies of the same batch are read exactly as the plain readers read them.
 */
const LIMITS = {
  maxFileBytes: 5_000_000,
  maxRows: 5_000,
  maxPages: 5,
  maxUnzippedBytes: 20_000_000,
  maxZipEntries: 1_000,
};

describe('hostile FOI replies through the guarded readers', () => {
  let t: TestDb;
  let summary: IngestSummary;
  const expected: Record<string, string | null> = {};
  beforeAll(async () => {
    t = await freshDatabase();
    const ctx = testCtx(t, { now: '2024-04-02T10:00:00Z' });
    ctx.workspace.config.limits = { ...ctx.workspace.config.limits, ...LIMITS };
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const dir = mkdtempSync(join(tmpdir(), 'foi-hostile-'));
    const put = (name: string, bytes: Buffer, code: string | null): void => {
      writeFileSync(join(dir, name), bytes);
      expected[name] = code;
    };
    put('good-letter.pdf', await pdfs.makeLetterPdf(), null);
    put('good-reply.txt', files.makeTextReply(), null);
    put('long.pdf', await pdfs.renderPdf(Array.from({ length: 8 }, (_, i) => [`Page ${i + 1}`])), 'too_many_pages');
    put(
      'bomb.xlsx',
      writeZip([
        { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(30_000_000, 0x20) },
      ]),
      'zip_bomb_suspected',
    );
    put('cut.xlsx', (await files.makePerPeriodXlsx()).subarray(0, 500), 'file_unreadable');
    put('rows.csv', Buffer.from(`${'Month,Referrals\r\n'}${'Apr-23,1\r\n'.repeat(6_000)}`), 'too_many_rows');
    // No FOI reader kind covers these: the processor's own preflight names them (not foi_format_unsupported).
    put('old.xls', writeCfb(['Workbook']), 'legacy_binary_format');
    put('old.doc', writeCfb(['WordDocument']), 'legacy_binary_format');
    put('locked.xlsx', writeCfb(['EncryptionInfo', 'EncryptedPackage']), 'password_protected');
    put('binary.csv', Buffer.from([0x50, 0x4b, 0, 1, 2, 0, 255, 0, 7]), 'binary_not_text');
    const processor = foiProcessorFor(2024, { readers: guardedFoiReaders(ctx.workspace.config.limits) });
    summary = await ingest({ paths: [dir], wave: 2024, processor, command: 'test' }, ctx);
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  it('gives each hostile reply its issue code, keeps it for a person, and reads the good ones', async () => {
    for (const [name, code] of Object.entries(expected)) {
      const f = summary.files.find((x) => x.name === name)!;
      const codes = f.issues.map((i) => i.code);
      expect(codes, name).not.toContain('foi_reader_failed');
      expect(codes, name).not.toContain('foi_format_unsupported');
      if (code) expect(codes, name).toContain(code);
    }
    const coded = await t.pool
      .query(`select f.original_name, count(v.*)::int as n, bool_or(r.needs_manual_coding) as manual from foi_response r
      join file_receipt f on f.sha256 = r.sha256 left join foi_value v on v.response_id = r.id group by 1 order by 1`);
    const byName: Record<string, { n: number; manual: boolean }> = Object.fromEntries(
      coded.rows.map((r: { original_name: string; n: number; manual: boolean }) => [r.original_name, r]),
    );
    expect(byName['good-letter.pdf']!.n).toBeGreaterThan(0);
    expect(byName['good-reply.txt']!.n).toBeGreaterThan(0);
    for (const [name, code] of Object.entries(expected))
      if (code) expect(byName[name], name).toMatchObject({ n: 0, manual: true });
  });

  it('names a password-protected, old binary or binary "csv" reply for what it is, which no FOI reader kind covers', () => {
    const limits = { ...LIMITS, parseTimeoutMs: 10_000 };
    const file = (
      name: string,
      mediaType: 'application/x-ole-storage' | 'application/octet-stream' = 'application/x-ole-storage',
    ) => ({ hash: 'h', originalName: name, mediaType });
    expect(
      foiPreflight(file('reply.csv', 'application/octet-stream'), Buffer.from([0, 1, 2, 0, 255]), limits)?.issues.map(
        (i) => i.code,
      ),
    ).toEqual(['binary_not_text']);
    expect(
      foiPreflight(file('reply.xlsx'), writeCfb(['EncryptionInfo', 'EncryptedPackage']), limits)?.issues.map(
        (i) => i.code,
      ),
    ).toEqual(['password_protected']);
    expect(foiPreflight(file('reply.xls'), writeCfb(['Workbook']), limits)?.issues.map((i) => i.code)).toEqual([
      'legacy_binary_format',
    ]);
    expect(foiPreflight(file('reply.xls'), writeCfb(['Workbook']), limits)?.needsManualCoding).toBe(true);
  });
});

describe('a PDF of thousands of pages on the FOI path', () => {
  const ctx = { fileHash: 'h', originalName: 'long.pdf', wave: loadFoiWave(2024), sentDate: '2024-03-11' };
  const defaults = limitsSchema.parse({});

  it('is refused with too_many_pages under the default limits, at once, not stopped by parse_timeout', async () => {
    const pdf = await pdfs.renderPdf(Array.from({ length: 3_000 }, (_, i) => [`Page ${i + 1}`]));
    const started = Date.now();
    const r = await guardedFoiReaders(defaults).foi_pdf!(pdf, ctx);
    expect(r.issues.map((i) => i.code)).toEqual(['too_many_pages']);
    expect(r.issues[0]!.message).toMatch(/3000 pages, over the limit of 2000.*limits\.maxPages/);
    expect(r.needsManualCoding).toBe(true);
    expect(Date.now() - started).toBeLessThan(defaults.parseTimeoutMs / 4);
  }, 60_000);

  it('is refused by its real page count when its page tree is hidden from the byte scan', async () => {
    // NUL is whitespace to a PDF reader, not to the preflight's pattern: only pdf.js sees the 3,000 pages.
    const pdf = await pdfs.renderPdf(Array.from({ length: 3_000 }, (_, i) => [`Page ${i + 1}`]));
    const hidden = Buffer.from(pdf.toString('latin1').replace('/Type /Pages', '/Type\u0000/Pages'), 'latin1');
    expect(declaredPdfPages(hidden)).toBe(0);
    const r = await guardedFoiReaders(defaults).foi_pdf!(hidden, ctx);
    expect(r.issues.map((i) => i.code)).toEqual(['too_many_pages']);
    expect(r.needsManualCoding).toBe(true);
  }, 60_000);
});

describe('a PDF whose cross-reference table is broken', () => {
  it('is told apart from a sound one: startxref missing or pointing nowhere, or entries off their objects', async () => {
    const pdf = await pdfs.makeLetterPdf();
    for (const sound of [pdf, await pdfs.makeByTeamPdf(), await pdfs.makeScannedPdf()])
      expect(pdfXrefProblem(sound)).toBeNull();
    const s = pdf.toString('latin1');
    const table = s.lastIndexOf('\nxref');
    const edit = (text: string) => Buffer.from(text, 'latin1');
    expect(pdfXrefProblem(pdf.subarray(0, pdf.length >> 1))).toMatch(/no "startxref"/);
    expect(pdfXrefProblem(edit(`${s.slice(0, s.lastIndexOf('startxref'))}startxref\n123\n%%EOF\n`))).toMatch(
      /points at byte 123, where there is no cross-reference table/,
    );
    const shifted = s
      .slice(table)
      .replace(/(\d{10}) 00000 n/g, (_m, d: string) => `${String(Number(d) + 7).padStart(10, '0')} 00000 n`);
    expect(pdfXrefProblem(edit(s.slice(0, table) + shifted))).toMatch(
      /entry for object 1 points at byte \d+, where that object is not/,
    );
  });
});
