import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiSpreadsheet } from '../../../sources/foi/spreadsheet.ts';

/**
 * A reply workbook with one sheet per question and a sheet of notes (v14 corpus): the sheet's title and
 * name say which count its "Period | Count" table holds, and the notes sheet answers nothing.
 */
const wave = loadFoiWave(2024);

async function workbook(sheets: Record<string, (string | number)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('a workbook with a sheet per question', () => {
  it('reads the "Q3 Accepted" sheet\'s counts as accepted, and a "Notes" sheet as notes, not the end of q5', async () => {
    const bytes = await workbook({
      Cover: [
        ['Nottinghamshire Healthcare NHS Foundation Trust'],
        ['Q1', 'Yes'],
        ['Q4', 'No'],
        ['Q5', 'Perinatal Mental Health Service; CAMHS Community'],
      ],
      'Q2 Referrals': [
        ['Referrals received, children aged under 2 at referral'],
        ['Period', 'Count'],
        ['2021/22', 16],
        ['2022/23', 21],
      ],
      'Q3 Accepted': [
        ['Referrals accepted (assessed or treated)'],
        ['Period', 'Count'],
        ['2021/22', 12],
        ['2022/23', '<5'],
      ],
      Notes: [['Small numbers (fewer than 5, including zero) are suppressed to protect patient confidentiality.']],
    });
    const r = await readFoiSpreadsheet(bytes, { fileHash: 'f', originalName: 'r.xlsx', wave, sentDate: '2024-03-11' });
    expect(
      r.values.map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval?.low, v.suggestion === undefined]),
    ).toEqual([
      ['q2', 'fy2021_22', 16, true],
      ['q2', 'fy2022_23', 21, true],
      ['q3', 'fy2021_22', 12, true],
      ['q3', 'fy2022_23', 0, true],
    ]);
    expect(r.textAnswers.find((a) => a.questionId.startsWith('q5'))?.text).toBe(
      'Perinatal Mental Health Service; CAMHS Community',
    );
  });

  it('never takes the basis from an answer above the table ("Q1: Yes - referrals ... are accepted by CAMHS.") (v13 corpus)', async () => {
    const bytes = await workbook({
      FOI: [
        ['Kent and Medway Mental Health NHS Trust'],
        ['Q1: Yes - referrals of children under two are accepted by CAMHS.'],
        [],
        ['Year', 'Referrals'],
        ['2021/22', 6],
        ['2022/23', 8],
      ],
    });
    const r = await readFoiSpreadsheet(bytes, { fileHash: 'f', originalName: 'r.xlsx', wave, sentDate: '2024-03-11' });
    expect(r.values.map((v) => [v.questionId.slice(0, 2), v.interval?.low])).toEqual([
      ['q2', 6],
      ['q2', 8],
    ]);
  });

  it('copies the received counts to accepted where a row beside the table says "All referrals listed were accepted" (v14 corpus)', async () => {
    const bytes = await workbook({
      Response: [
        ['Referrals received, children aged under 2'],
        ['Period', 'Count'],
        ['2021/22', 9],
        ['2022/23', 11],
        [],
        ['Q1', 'Yes'],
        ['Q3', 'All referrals listed were accepted for assessment.'],
      ],
    });
    const r = await readFoiSpreadsheet(bytes, { fileHash: 'f', originalName: 'r.xlsx', wave, sentDate: '2024-03-11' });
    expect(r.values.map((v) => [v.questionId.slice(0, 2), v.interval?.low])).toEqual([
      ['q2', 9],
      ['q2', 11],
      ['q3', 9],
      ['q3', 11],
    ]);
  });

  it('reads answers headed by their questions at the end of a note cell ("... Q1 yes, Q4 no, Q5 CAMHS."), never quarters ("Q1 and Q2")', async () => {
    const sheet = (note: string) =>
      workbook({
        Response: [['Locality', '2021-22', '2022-23'], ['East Dorset', 4, 6], ['Total', 4, 6], [], [note]],
      });
    const read = async (note: string) =>
      (
        await readFoiSpreadsheet(await sheet(note), {
          fileHash: 'f',
          originalName: 'r.xlsx',
          wave,
          sentDate: '2024-03-11',
        })
      ).textAnswers.map((a) => [a.questionId.slice(0, 2), a.yesNo]);
    expect(await read('Referrals received, aged 0-23 months. Q1 yes, Q4 no, Q5 CAMHS.')).toEqual([
      ['q1', true],
      ['q4', false],
      ['q5', null],
    ]);
    expect(await read('Figures for Q1 and Q2 2022/23 are provisional.')).toEqual([]);
  });
});
