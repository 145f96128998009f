import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiSpreadsheet } from '../../../sources/foi/spreadsheet.ts';

/**
 * A workbook reply with a table of counts on one sheet and the other questions answered on another,
 * one row per question ("Question | Response"): every answer is read, located at its own cell, and the
 * trust named in the table sheet's title row is found (v6 corpus: the answers sheet was never read).
 */
const wave = loadFoiWave(2024);

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const t = wb.addWorksheet('Referrals');
  t.addRows([
    ['Nottinghamshire Healthcare NHS Foundation Trust'],
    ['Referrals received for children aged under 2 (0-23 months)'],
    ['Financial year', 'Referrals received'],
    ['2021/22', 20],
    ['2022/23', 19],
  ]);
  wb.addWorksheet('Responses').addRows([
    ['Question', 'Response'],
    ['1. Does the Trust accept referrals for children aged under two?', 'Yes'],
    ['2. Number of referrals received by financial year', 'See sheet "Referrals".'],
    [
      '3. Number of referrals accepted',
      'Not held. Whether a referral was accepted is not recorded in a reportable field on our system.',
    ],
    ['4. Specialist parent-infant relationship team', 'No'],
    ['5. Services receiving the referrals', 'CAMHS and Perinatal Mental Health Service'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('a workbook with an answers sheet beside its table', () => {
  it("reads each question's answer from the cell beside it, once, and the trust from the title row", async () => {
    const r = await readFoiSpreadsheet(await workbook(), {
      fileHash: 'f00d',
      originalName: 'reply.xlsx',
      wave,
      sentDate: '2024-03-11',
    });
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo, a.text])).toEqual([
      ['q1_accepts_under2', true, 'Yes'],
      ['q4_parent_infant_service', false, 'No'],
      ['q5_receiving_service', null, 'CAMHS and Perinatal Mental Health Service'],
    ]);
    const q3 = r.values.filter((v) => v.questionId === 'q3_accepted_under2');
    expect(q3.map((v) => v.missingReason)).toEqual(['not_held', 'not_held', 'not_held']);
    expect(q3[0]!.location).toMatchObject({ sheet: 'Responses', cell: 'B4' });
    expect(r.values.filter((v) => v.questionId === 'q2_referrals_under2').map((v) => v.interval?.low)).toEqual([
      20, 19,
    ]);
    expect(r.trustHint.name).toMatch(/Nottinghamshire Healthcare/);
  });

  it('reads the answers given in rows beside a table on the same sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Response').addRows([
      ['Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust'],
      ['Response date', '08/04/2024'],
      ['Referrals of infants aged under 2 years'],
      ['Period', 'Received', 'Accepted'],
      ['2021-22', 36, 28],
      ['2022-23', 41, 30],
      [],
      ['Does the Trust accept referrals for under twos?', 'Yes'],
      ['Q4 Parent-infant relationship service', 'No'],
      ['Question 5: CAMHS. '],
    ]);
    const r = await readFoiSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), {
      fileHash: 'f00d',
      originalName: 'reply.xlsx',
      wave,
      sentDate: '2024-03-11',
    });
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo])).toEqual([
      ['q1_accepts_under2', true],
      ['q4_parent_infant_service', false],
      ['q5_receiving_service', null],
    ]);
    expect(r.values.filter((v) => v.interval !== null)).toHaveLength(4);
    expect(r.replyDate).toBe('2024-04-08');
  });

  it('reads two tables of one sheet each under its own title: received, then accepted', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('FOI response').addRows([
      ['East London NHS Foundation Trust - FOI ELFT-2024-311'],
      ['Referrals received by age band at referral'],
      [],
      ['Age band', '2021/22', '2022/23', '2023/24'],
      ['0-11 months', 3, 4, 6],
      ['12-23 months', 7, 8, 9],
      [],
      ['Referrals accepted by age band'],
      ['Age band', '2021/22', '2022/23', '2023/24'],
      ['0-11 months', 2, 4, 5],
      ['12-23 months', 6, 7, 9],
    ]);
    const r = await readFoiSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), {
      fileHash: 'f00d',
      originalName: 'data.xlsx',
      wave,
      sentDate: '2024-03-11',
    });
    const of = (q: string) => r.values.filter((v) => v.questionId === q && !v.suggestion).map((v) => v.interval?.low);
    expect(of('q2_referrals_under2')).toEqual([10, 12, 15]);
    expect(of('q3_accepted_under2')).toEqual([8, 11, 14]);
    expect(r.values.filter((v) => v.suggestion)).toEqual([]);
  });
});
