import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiCsv } from '../../../sources/foi/csv.ts';

/** A csv reply names its trust or our reference above its table: that is what matches it (as for a workbook). */
const wave = loadFoiWave(2024);

describe('who a csv reply is from', () => {
  it('reads the trust name and our reference in the lines above the table', async () => {
    const csv = [
      'Leeds and York Partnership NHS Foundation Trust',
      'Our reference,PIP-FOI-2024-002',
      'Period,Received,Accepted',
      '2021/22,5,4',
    ].join('\n');
    const r = await readFoiCsv(Buffer.from(csv), {
      fileHash: 'f',
      originalName: 'x.csv',
      wave,
      sentDate: '2024-03-11',
    });
    expect(r.trustHint.name).toBe('Leeds and York Partnership NHS Foundation Trust');
    expect(r.trustHint.refText).toContain('PIP-FOI-2024-002');
    expect(r.values).toHaveLength(2);
  });
});
