import { describe, expect, it } from 'vitest';
import { codes, parse } from './helpers.ts';

describe('text answers', () => {
  it.each([
    ['Leeds Parent Infant Team', 'Leeds Parent Infant Team'],
    ['  padded  ', 'padded'],
    ['two\nlines', 'two\nlines'],
    ['None', 'None'],
  ])('keeps "%s" as trimmed text', (raw, text) => {
    expect(parse('team_name', raw)).toEqual({ value: { kind: 'text', text }, issues: [] });
  });

  it.each([
    [12345, '12345'],
    [true, 'true'],
  ])('keeps the cell value %j as its text', (raw, text) => {
    expect(parse('host_ods_code', raw).value).toEqual({ kind: 'text', text });
  });

  it('keeps a date where text was asked for as its ISO text, with a warning that a spreadsheet may have converted it', () => {
    const p = parse('team_name', new Date(Date.UTC(2025, 0, 2)));
    expect(p.value).toEqual({ kind: 'text', text: '2025-01-02' });
    expect(codes(p)).toEqual(['warning:text_was_date']);
  });

  it('rejects an invalid date object as unreadable', () => {
    expect(codes(parse('team_name', new Date(Number.NaN)))).toEqual(['error:text_unreadable']);
  });
});
