import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { fillReturn } from '../../../sources/questionnaire/fill-return.ts';
import { ABOUT_LABELS, REQUIRED_MARK } from '../../../sources/questionnaire/layout.ts';
import { buildTemplate } from '../../../sources/questionnaire/template.ts';
import { readTemplateReturn } from '../../../sources/questionnaire/template-reader.ts';
import { FULL_2025 } from '../../support/returns-fixture.ts';
import { RUN_LIBREOFFICE, SOFFICE, resaveWithLibreOffice } from '../../support/libreoffice.ts';

/** The template as a form a team manager fills without help (issue 19 item 3). */
const list = loadQuestionList(2025);
const CREATED = new Date('2025-04-01T00:00:00Z');
const HASH = 'f'.repeat(64);
const run = RUN_LIBREOFFICE ? it : it.skip;

async function roundTrip(wb: ExcelJS.Workbook): Promise<ExcelJS.Workbook> {
  const back = new ExcelJS.Workbook();
  await back.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  return back;
}

function rowOf(ws: ExcelJS.Worksheet, id: string): ExcelJS.Row {
  let hit: ExcelJS.Row | undefined;
  ws.eachRow((r) => {
    if (r.getCell(1).value === id) hit = r;
  });
  if (!hit) throw new Error(`no row ${id}`);
  return hit;
}

function labelCell(ws: ExcelJS.Worksheet, label: string): ExcelJS.Cell {
  let hit: ExcelJS.Cell | undefined;
  ws.eachRow((r) => {
    if (r.getCell(1).value === label) hit = r.getCell(2);
  });
  if (!hit) throw new Error(`no ${label} on ${ws.name}`);
  return hit;
}

describe('the template as a form', () => {
  it('opens on an Instructions sheet that says who, what period, ranges, unknowns, sending back and holds Date completed', async () => {
    const wb = await roundTrip(buildTemplate(list, { created: CREATED }));
    const first = wb.worksheets[0]!;
    expect(first.name).toBe('Instructions');
    const text = first.getColumn(2).values.join(' ') + first.getColumn(1).values.join(' ');
    for (const want of [
      'Who should fill it in',
      '1 April 2023 to 31 March 2024',
      '40-50',
      'not known',
      'e-mail it back',
    ])
      expect(text).toContain(want);
    const done = labelCell(first, ABOUT_LABELS.dateCompleted);
    expect(done.protection?.locked).toBe(false);
    expect(labelCell(first, ABOUT_LABELS.wave).value).toBe(2025);
    expect(labelCell(first, ABOUT_LABELS.version).value).toBe(list.templateVersion);
    expect(labelCell(first, ABOUT_LABELS.version).protection?.locked).not.toBe(false);
    expect(wb.title).toBe('Parent-infant team census 2025: questionnaire');
  });

  it('marks required questions in the Notes column and by style, leaving the label as the reader matches it', async () => {
    const wb = await roundTrip(buildTemplate(list, { created: CREATED }));
    const qs = wb.getWorksheet('Questionnaire')!;
    const required = list.questions.filter((q) => q.required && q.sheet === 'Questionnaire');
    expect(required.length).toBeGreaterThan(0);
    for (const q of required) {
      const r = rowOf(qs, q.id);
      expect(r.getCell(2).value).toBe(q.label);
      expect(String(r.getCell(4).value)).toContain(REQUIRED_MARK);
      expect(r.getCell(2).font?.bold).toBe(true);
    }
    const optional = list.questions.find((q) => !q.required && !q.requiredWhen && q.type === 'count')!;
    expect(String(rowOf(qs, optional.id).getCell(4).value ?? '')).not.toContain(REQUIRED_MARK);
  });

  it('protects every visible sheet without a password, with only answer cells unlocked', async () => {
    const wb = await roundTrip(buildTemplate(list, { created: CREATED }));
    for (const ws of wb.worksheets.filter((w) => w.state !== 'hidden')) {
      const p = (ws as unknown as { sheetProtection?: { sheet?: boolean; hashValue?: string } }).sheetProtection;
      expect(p?.sheet, ws.name).toBe(true);
      expect(p?.hashValue, ws.name).toBeUndefined();
    }
    const qs = wb.getWorksheet('Questionnaire')!;
    const r = rowOf(qs, 'referrals_received');
    expect(r.getCell(3).protection?.locked).toBe(false);
    expect(r.getCell(2).protection?.locked).not.toBe(false);
    expect(r.getCell(4).protection?.locked).not.toBe(false);
  });

  it('stops words typed into choice and number cells, with a prompt saying what to type', async () => {
    const wb = await roundTrip(buildTemplate(list, { created: CREATED }));
    const qs = wb.getWorksheet('Questionnaire')!;
    const nation = rowOf(qs, 'nation').getCell(3).dataValidation;
    expect([nation.type, nation.showErrorMessage, nation.errorStyle ?? 'stop']).toEqual(['list', true, 'stop']);
    expect(nation.prompt).toBeTruthy();
    const count = rowOf(qs, 'referrals_received').getCell(3);
    const dv = count.dataValidation;
    expect([dv.type, dv.showErrorMessage, dv.errorStyle ?? 'stop']).toEqual(['custom', true, 'stop']);
    expect(dv.prompt).toContain('40-50');
    expect(dv.formulae[0]).toContain(`ISNUMBER(${count.address})`);
    expect(rowOf(qs, 'team_name').getCell(3).dataValidation).toBeUndefined();
  });

  it('freezes the header row and prints fit to width with the header repeated', async () => {
    const wb = await roundTrip(buildTemplate(list, { created: CREATED }));
    for (const name of ['Questionnaire', 'Staffing']) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.pageSetup).toMatchObject({ fitToPage: true, fitToWidth: 1, printTitlesRow: '1:1' });
    }
  });

  it('is read back with Date completed and the wave stamp from the Instructions sheet', async () => {
    const wb = fillReturn(list, FULL_2025, { created: CREATED, dateCompleted: '02/05/2025' });
    const { ret } = await readTemplateReturn(Buffer.from(await wb.xlsx.writeBuffer()), HASH, list);
    const cell = labelCell(wb.getWorksheet('Instructions')!, ABOUT_LABELS.dateCompleted).address;
    expect(ret!.meta.dateCompleted).toBe('02/05/2025');
    expect(ret!.meta.dateCompletedLocation).toMatchObject({ sheet: 'Instructions', cell });
    expect([ret!.meta.waveStamp, ret!.meta.waveStampLocation?.sheet]).toEqual(['2025', 'Instructions']);
  });

  it('still reads a return made from the previous template (stamps on an About third sheet)', async () => {
    const wb = fillReturn(list, FULL_2025, { created: CREATED });
    wb.removeWorksheet(wb.getWorksheet('Instructions')!.id);
    const about = wb.addWorksheet('About');
    about.addRow(['How to fill in', 'Answer in the Answer column.']);
    about.addRow(['Wave', 2025]);
    about.addRow(['Template version', list.templateVersion]);
    about.addRow(['Date completed', '03/05/2025']);
    const { ret } = await readTemplateReturn(Buffer.from(await wb.xlsx.writeBuffer()), HASH, list);
    expect(ret!.meta.dateCompletedLocation).toMatchObject({ sheet: 'About', cell: 'B4' });
    expect(ret!.meta.dateCompleted).toBe('03/05/2025');
    expect(ret!.answers.length).toBeGreaterThan(40);
  });

  run(
    'prints in LibreOffice on few pages, one page wide, and a filled copy re-saved by LibreOffice reads the same',
    async () => {
      if (!SOFFICE) throw new Error('soffice missing');
      const dir = mkdtempSync(join(tmpdir(), 'template-form-'));
      const profile = mkdtempSync(join(tmpdir(), 'lo-'));
      try {
        const blank = join(dir, 'blank.xlsx');
        writeFileSync(blank, Buffer.from(await buildTemplate(list, { created: CREATED }).xlsx.writeBuffer()));
        await promisify(execFile)(
          'soffice',
          ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'pdf', '--outdir', dir, blank],
          { timeout: 120_000 },
        );
        const { stdout } = await promisify(execFile)('pdftotext', ['-layout', join(dir, 'blank.pdf'), '-']);
        const footers = stdout.match(/census 2025: (\w+) +Page (\d+) of (\d+)/g) ?? [];
        const sheets = footers.map((f) => f.split(':')[1]!.trim().split(/ +/)[0]);
        // One page per sheet-width: Instructions on one page, no sheet split across pages sideways.
        expect(sheets.filter((s) => s === 'Instructions')).toHaveLength(1);
        expect(sheets.length).toBeLessThanOrEqual(5);
        expect(stdout).toContain('Notes'); // the Notes column prints on the questions' page, not a page of its own
        expect(
          stdout
            .split('\f')
            .filter((p) => p.includes('Questionnaire'))
            .every((p) => p.includes('Answer')),
        ).toBe(true);

        const filled = join(dir, 'filled.xlsx');
        const wb = fillReturn(list, FULL_2025, { created: CREATED, dateCompleted: new Date('2025-05-02T00:00:00Z') });
        writeFileSync(filled, Buffer.from(await wb.xlsx.writeBuffer()));
        const lo = mkdtempSync(join(dir, 'lo-'));
        const resaved = await resaveWithLibreOffice(filled, lo);
        const a = await readTemplateReturn(Buffer.from(await wb.xlsx.writeBuffer()), HASH, list);
        const { readFileSync } = await import('node:fs');
        const b = await readTemplateReturn(readFileSync(resaved), HASH, list);
        expect(b.ret!.answers.length).toBe(a.ret!.answers.length);
        expect(b.ret!.meta.dateCompletedLocation?.sheet).toBe('Instructions');
        expect(b.ret!.meta.waveStamp).toBe('2025');
        expect(b.issues.filter((i) => i.severity === 'error')).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(profile, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
