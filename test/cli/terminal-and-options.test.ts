import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dateValue } from '../../pipeline/cli/options.ts';
import { databaseStatus } from '../../pipeline/runtime/progress.ts';
import { terminalWidth, textTable, wrapCell } from '../../pipeline/runtime/terminal.ts';

describe('text tables fitted to the terminal', () => {
  const rows = [
    [
      'error',
      'band_unknown',
      'returns/north-star_2025.xlsx',
      'Questionnaire!C29',
      'We could not read "lots" as a number of families; give a number or a range.',
    ],
    ['info', 'x', 'b.xlsx', 'C7', 'short'],
  ];

  it('stays within the width, wrapping cells by column at word boundaries, every word kept', () => {
    const t = textTable(['severity', 'code', 'file', 'location', 'message'], rows, 80);
    const lines = t.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    // Codes and cell references are not broken when the other columns can give way.
    expect(t).toContain('band_unknown');
    expect(t).toContain('Questionnaire!C29');
    for (const word of rows[0]![4]!.split(' ')) expect(t).toContain(word);
  });

  it('is unchanged when it fits, and unlimited when piped with no $COLUMNS', () => {
    const wide = textTable(['a', 'b'], [['x'.repeat(200), 'y']], Infinity);
    expect(wide.split('\n')[2]).toBe(`${'x'.repeat(200)}  y`);
    const out = new PassThrough() as unknown as NodeJS.WriteStream;
    expect(terminalWidth({}, out)).toBe(Infinity);
    expect(terminalWidth({ COLUMNS: '60' }, out)).toBe(60);
  });

  it('cuts a single word longer than its column with an ellipsis rather than mid-word wrapping', () => {
    expect(wrapCell('supercalifragilistic', 8)).toEqual(['superca…']);
    expect(wrapCell('a b c d', 3)).toEqual(['a b', 'c d']);
  });
});

describe('option values', () => {
  it('a date must be a real YYYY-MM-DD day', () => {
    expect(dateValue('2025-03-31')).toBe('2025-03-31');
    expect(() => dateValue('2025-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => dateValue('31/03/2025')).toThrow(/not "31\/03\/2025"/);
  });
});

describe('the database status line', () => {
  it('writes nothing when stderr is not a terminal', () => {
    let written = '';
    const s = new PassThrough() as unknown as NodeJS.WriteStream;
    (s as unknown as PassThrough).on('data', (d: Buffer) => (written += d.toString()));
    databaseStatus(s).done();
    expect(written).toBe('');
  });

  it('on a terminal says the database is starting, then clears the line', () => {
    const chunks: string[] = [];
    const tty = { isTTY: true, write: (c: string) => chunks.push(c) } as unknown as NodeJS.WriteStream;
    const status = databaseStatus(tty);
    expect(chunks.join('')).toBe('Starting the database…');
    status.done();
    status.done();
    expect(chunks.slice(1)).toEqual(['\r\x1b[K']);
  });
});
