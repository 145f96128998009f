import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import ExcelJS from 'exceljs';
import { describe, expect } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { issueSchema, type Issue } from '../../schemas/issue.ts';
import { fillReturn } from '../../sources/questionnaire/fill-return.ts';
import { readTemplateReturn } from '../../sources/questionnaire/template-reader.ts';
import { validate } from '../../pipeline/ingest/questionnaire/validate.ts';
import { normalise } from '../../pipeline/ingest/questionnaire/normalise.ts';
import { extract } from '../../pipeline/ingest/questionnaire/extract.ts';
import { sniffMediaType } from '../../sources/shared/sniff.ts';
import { putBytes } from '../../pipeline/runtime/store.ts';
import { createWorkspace } from '../../pipeline/runtime/workspace.ts';
import { fixedClock, memoryLogger, silentProgress, type Ctx } from '../../pipeline/runtime/ctx.ts';
import { chooseSourceKind } from '../../sources/index.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import { guardZip } from '../../sources/shared/zip-guard.ts';
import { oleKind } from '../../sources/shared/cfb.ts';
import { readZipParts, writeZip } from './zip-writer.ts';

/**
 * Readers on input nobody designed: random workbooks (errors, formulas, dates in both systems,
 * huge strings, merges, renamed sheets) through the template reader, validate and normalise, and
 * random or mangled bytes through sniff and extract. Nothing may throw; every file ends with
 * answers or with an issue. `FUZZ_RUNS` sets the runs (npm run fuzz: 20,000).
 */
const numRuns = Number(process.env.FUZZ_RUNS ?? 100);
/** Each run writes or reads a workbook (tens of ms, more on a busy machine): the test's own time limit scales. */
const testMs = Math.max(120_000, numRuns * 1_500);
const list = loadQuestionList(2025);
const CREATED = new Date('2025-04-01T00:00:00Z');

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    'Yes',
    'No',
    'n/a',
    'approx 40',
    '100-199',
    'England',
    '31/03/2025',
    '=1+1',
    '<script>',
    "'; drop table answer; --",
  ),
);
const error = fc
  .constantFrom('#REF!', '#N/A', '#DIV/0!', '#VALUE!', '#NAME?', '#NUM!', '#NULL!')
  .map((e) => ({ error: e }) as ExcelJS.CellErrorValue);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.date({ min: new Date('1900-03-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
);
const cell: fc.Arbitrary<{ value: ExcelJS.CellValue; dateFormat: boolean }> = fc.record({
  value: fc.oneof(
    { weight: 6, arbitrary: scalar as fc.Arbitrary<ExcelJS.CellValue> },
    { weight: 2, arbitrary: error as fc.Arbitrary<ExcelJS.CellValue> },
    {
      weight: 2,
      arbitrary: fc.record({
        formula: fc.constantFrom('A1+1', 'SUM(C1:C9)', 'NOW()', '"a"&"b"'),
        result: fc.option(fc.oneof(scalar, error), { nil: undefined }),
      }) as fc.Arbitrary<ExcelJS.CellValue>,
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.record({ text: fc.string() }), { maxLength: 3 })
        .map((richText) => ({ richText })) as fc.Arbitrary<ExcelJS.CellValue>,
    },
    {
      weight: 1,
      arbitrary: fc.record({ text: fc.string(), hyperlink: fc.webUrl() }) as fc.Arbitrary<ExcelJS.CellValue>,
    },
    { weight: 1, arbitrary: fc.nat({ max: 300_000 }).map((n) => 'y'.repeat(n)) as fc.Arbitrary<ExcelJS.CellValue> },
  ),
  // A number shown as a date: big ones are no date at all.
  dateFormat: fc.boolean(),
});

const edit = fc.record({
  sheet: fc.nat({ max: 3 }),
  row: fc.integer({ min: 1, max: 90 }),
  col: fc.integer({ min: 1, max: 6 }),
  cell,
});
const workbookPlan = fc.record({
  edits: fc.array(edit, { maxLength: 25 }),
  merges: fc.array(
    fc.record({
      row: fc.integer({ min: 1, max: 90 }),
      col: fc.integer({ min: 1, max: 5 }),
      h: fc.integer({ min: 0, max: 2 }),
      w: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 3 },
  ),
  insertRows: fc.array(fc.integer({ min: 1, max: 90 }), { maxLength: 3 }),
  date1904: fc.boolean(),
  renameSheet: fc.option(
    fc.string({ minLength: 1, maxLength: 31 }).filter((s) => !/[\\/?*[\]:]/.test(s)),
    { nil: undefined },
  ),
  fromTemplate: fc.boolean(),
});

type Plan = typeof workbookPlan extends fc.Arbitrary<infer T> ? T : never;

async function planned(plan: Plan): Promise<Buffer> {
  const wb = plan.fromTemplate
    ? fillReturn(
        list,
        { team_name: 'Fuzz Team', host_organisation: 'Fuzz Host', nation: 'England' },
        { created: CREATED },
      )
    : new ExcelJS.Workbook();
  if (wb.worksheets.length === 0) wb.addWorksheet('Sheet1');
  wb.properties.date1904 = plan.date1904;
  const sheets = wb.worksheets;
  for (const r of plan.insertRows) sheets[0]!.insertRow(r, []);
  for (const e of plan.edits) {
    const c = sheets[e.sheet % sheets.length]!.getCell(e.row, e.col);
    c.value = e.cell.value;
    if (e.cell.dateFormat && typeof e.cell.value === 'number') c.numFmt = 'dd/mm/yyyy';
  }
  for (const m of plan.merges) {
    // exceljs refuses a merge over an existing one; the plan simply skips it then.
    try {
      sheets[0]!.mergeCells(m.row, m.col, m.row + m.h, m.col + m.w);
    } catch {
      /* overlapping merge */
    }
  }
  // A renamed answers sheet; exceljs itself refuses some names (quotes at either end), skipped then.
  if (plan.renameSheet !== undefined && !wb.worksheets.some((w) => w.name === plan.renameSheet)) {
    try {
      sheets[0]!.name = plan.renameSheet;
    } catch {
      /* a name Excel would refuse too */
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function validIssues(issues: Issue[]): void {
  for (const i of issues) expect(issueSchema.safeParse(i).success, JSON.stringify(i).slice(0, 300)).toBe(true);
}

const file = (hash: string, name: string, mediaType: StoredFile['mediaType'], sourceKind: string): StoredFile => ({
  hash,
  originalName: name,
  size: 0,
  mediaType,
  wave: 2025,
  sourceKind,
  alreadyReceived: false,
});

describe('random workbooks through the template reader, validate and normalise', () => {
  test.prop([workbookPlan], { numRuns, timeout: 60_000 })(
    'never throw, and give a return or an issue',
    async (plan) => {
      const bytes = await planned(plan);
      // exceljs occasionally cannot read back what it wrote (control characters); extract reports that.
      const probe = new ExcelJS.Workbook();
      const loadable = await probe.xlsx.load(bytes as unknown as ArrayBuffer).then(
        () => true,
        () => false,
      );
      fc.pre(loadable);
      const { ret, issues } = await readTemplateReturn(bytes, 'f'.repeat(64), list);
      validIssues(issues);
      if (ret === null) expect(issues.map((i) => i.code)).toContain('template_not_recognised');
      const stored = file(
        'f'.repeat(64),
        'fuzz.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'team_workbook',
      );
      const v = validate({ file: stored, returns: ret ? [ret] : [], issues }, list);
      const n = normalise(v, list);
      for (const r of n.returns) {
        validIssues(r.issues);
        expect(r.answers.length).toBe(list.questions.filter((q) => !q.personal).length);
        for (const a of r.answers) if (a.raw_text !== null) expect(a.raw_text).not.toContain('\u0000');
      }
    },
    testMs,
  );
});

describe('random and mangled bytes through sniff and extract', () => {
  const { workspace } = createWorkspace(mkdtempSync(join(tmpdir(), 'census-fuzz-')), 'url');
  workspace.config.limits = { ...workspace.config.limits, maxUnzippedBytes: 20_000_000, parseTimeoutMs: 30_000 };
  const ctx: Ctx = {
    db: undefined as never,
    clock: fixedClock('2025-06-30T09:00:00Z'),
    log: memoryLogger(),
    progress: silentProgress,
    workspace,
    codeVersion: 'fuzz',
  };
  let template: Buffer | null = null;
  const templateBytes = async (): Promise<Buffer> =>
    (template ??= Buffer.from(await fillReturn(list, { team_name: 'Seed' }, { created: CREATED }).xlsx.writeBuffer()));

  const mangle = fc.record({
    kind: fc.constantFrom('random', 'flip', 'truncate', 'xml', 'zip-header', 'cfb-header'),
    bytes: fc.uint8Array({ maxLength: 4096 }),
    at: fc.nat(),
    xmlEdits: fc.array(
      fc.record({
        at: fc.nat(),
        cut: fc.nat({ max: 40 }),
        insert: fc.constantFrom('', '<', '>', '&', '"', '<row', '</sheetData>', '<c r="ZZZ9999999">', '\u0000', 'é'),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    name: fc.constantFrom(
      'return.xlsx',
      'return.xlsm',
      'export.csv',
      'reply.txt',
      'scan.pdf',
      'old.xls',
      'mail.eml',
      'noext',
    ),
  });

  type Mangle = typeof mangle extends fc.Arbitrary<infer T> ? T : never;
  async function bytesFor(m: Mangle): Promise<Buffer> {
    const base = await templateBytes();
    const raw = Buffer.from(m.bytes);
    switch (m.kind) {
      case 'random':
        return raw;
      case 'flip': {
        const b = Buffer.from(base);
        for (let i = 0; i < raw.length && i < 16; i++) {
          const at = (m.at + i * 997) % b.length;
          b.writeUInt8(b.readUInt8(at) ^ (raw[i]! | 1), at);
        }
        return b;
      }
      case 'truncate':
        return base.subarray(0, m.at % base.length);
      case 'zip-header':
        return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), raw]);
      case 'cfb-header':
        return Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), raw]);
      default: {
        const parts = readZipParts(base);
        const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
        let xml = sheet.data.toString('utf8');
        for (const e of m.xmlEdits) {
          const at = e.at % (xml.length + 1);
          xml = xml.slice(0, at) + e.insert + xml.slice(at + e.cut);
        }
        sheet.data = Buffer.from(xml);
        return writeZip(parts);
      }
    }
  }

  test.prop([mangle], { numRuns, timeout: 60_000 })(
    'give returns or an issue, never an exception',
    async (m) => {
      const bytes = await bytesFor(m);
      expect(() => guardZip(bytes, workspace.config.limits)).not.toThrow();
      expect(() => oleKind(bytes)).not.toThrow();
      const { hash } = await putBytes(workspace.storeDir, bytes);
      const mediaType = sniffMediaType(bytes, m.name);
      const sourceKind = chooseSourceKind({
        mediaType,
        originalName: m.name,
        wave: 2025,
        kinds: { questionnaire: list, foi: false },
      });
      const ex = await extract(file(hash, m.name, mediaType, sourceKind), list, ctx);
      validIssues(ex.issues);
      expect(ex.returns.length + ex.issues.length).toBeGreaterThan(0);
      expect(ex.issues.map((i) => i.code)).not.toContain('parse_failed');
    },
    testMs,
  );
});
