import { describe, expect, it } from 'vitest';
import { textTable } from '../../../pipeline/runtime/terminal.ts';

describe('tables narrowed to the terminal', () => {
  const headers = ['trust', 'name', 'status', 'sent', 'due', 'replied', 'days taken', 'in time', 'to code'];
  const rows = [
    [
      'R1A',
      'Herefordshire and Worcestershire Health and Care NHS Trust',
      'long_overdue',
      '2024-03-11',
      '2024-04-11',
      '2024-04-04',
      15,
      'yes',
      '',
    ],
    [
      'RXT',
      'Birmingham and Solihull Mental Health NHS Foundation Trust',
      'answered',
      '2024-03-11',
      '2024-04-11',
      '',
      '',
      '',
      1,
    ],
  ];

  it('wraps the names (prose) and the headers of short columns before a date or a status breaks', () => {
    const t = textTable(headers, rows, 100);
    for (const l of t.split('\n')) expect(l.length, l).toBeLessThanOrEqual(100);
    for (const word of ['long_overdue', '2024-03-11', '2024-04-11', '2024-04-04']) expect(t).toContain(word);
    // "days taken" narrows to its longest word, as its cells are short.
    expect(t.split('\n')[0]).toMatch(/\bdays\s/);
    expect(t.split('\n')[1]).toMatch(/\btaken\b/);
  });

  it('on a terminal too narrow for every column, lists each row as header: value lines, every value whole', () => {
    const t = textTable(headers, rows, 60);
    for (const l of t.split('\n')) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(t).toMatch(/^status: +long_overdue$/m);
    expect(t).toMatch(/^days taken: +15$/m);
    // The name wraps at spaces under its value column.
    expect(t).toMatch(/^name: +Herefordshire and Worcestershire Health and Care\n +NHS Trust$/m);
    // One record per row, a blank line between.
    expect(t.split('\n\n')).toHaveLength(2);
  });

  it('wraps a file name after its dashes before a date-time breaks at its space or a name is cut', () => {
    const t = textTable(
      ['id', 'file', 'team', 'state', 'reason / decision', 'completed', 'received', 'match'],
      [
        [
          4,
          'meadow-parent-infant-partnership.xlsx',
          'Meadow Parent Infant Partnership',
          'loaded',
          '',
          '2025-05-21',
          '2026-12-07 20:02',
          'new',
        ],
        [
          3,
          'north-star-parent-infant-team.xlsx',
          'North Star Parent-Infant Team',
          'loaded',
          '',
          '2025-05-02',
          '2026-12-07 20:02',
          'new',
        ],
      ],
      100,
    );
    for (const l of t.split('\n')) expect(l.length, l).toBeLessThanOrEqual(100);
    expect(t).not.toContain('…');
    expect(t.match(/2026-12-07 20:02/g)).toHaveLength(2);
    expect(t).toMatch(/\bPartnership\b/);
    // The file name wraps after a dash, its parts whole.
    expect(t).toMatch(/^4 +meadow-parent-infant-/m);
    expect(t).toMatch(/^ +partnership\.xlsx\b/m);
  });
  it('keeps every word of a trust name whole (foi letters at 60 and 80 columns): wrapped, never cut', () => {
    const names = [
      'Herefordshire and Worcestershire Health and Care NHS Trust',
      'Essex Partnership University NHS Foundation Trust',
      'Nottinghamshire Healthcare NHS Foundation Trust',
    ];
    const letters = names.map((n, i) => [`R${i}A`, n, `PIP-FOI-2024-00${i + 1}`, 'FOIA', '2024-04-11', '(not known)']);
    for (const width of [60, 80]) {
      const t = textTable(['trust', 'name', 'our ref', 'law', 'due', 'to'], letters, width);
      for (const l of t.split('\n')) expect(l.length, l).toBeLessThanOrEqual(width);
      expect(t, String(width)).not.toContain('…');
      const shown = new Set(t.split(/\s+/));
      for (const word of names.flatMap((n) => n.split(' '))) expect(shown.has(word), `${word} at ${width}`).toBe(true);
    }
    // At 80 columns it stays a table, the names wrapped in their column.
    expect(textTable(['trust', 'name', 'our ref', 'law', 'due', 'to'], letters, 80)).toMatch(
      /^R0A +Herefordshire and +PIP-FOI/m,
    );
  });
});
