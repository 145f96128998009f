import { describe, expect, it } from 'vitest';
import { codes, parse, synthetic, UNREADABLE } from './helpers.ts';

const Q = 'def_dyadic';
const withExtras = synthetic({ type: 'yes_no', extraCodes: ['dont_know', 'planned'] });

describe('yes_no answers', () => {
  it.each(['Yes', 'yes', 'YES', 'Y', 'y', 'true', 'TRUE', '1', 'Yes.', ' yes '])('reads "%s" as yes', (raw) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'code', code: 'yes' }, issues: [] });
  });

  it.each(['No', 'no', 'N', 'n', 'false', 'FALSE', '0', 'No.'])('reads "%s" as no', (raw) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'code', code: 'no' }, issues: [] });
  });

  it.each([
    [true, 'yes'],
    [false, 'no'],
    [1, 'yes'],
    [0, 'no'],
  ])('reads the cell value %j as %s', (raw, code) => {
    expect(parse(Q, raw).value).toEqual({ kind: 'code', code });
  });

  it.each(["Don't know", 'don’t know', 'Not known', 'unknown', 'not sure'])(
    'reads "%s" as dont_know where "Don\'t know" is listed',
    (raw) => {
      expect(parse(withExtras, raw).value).toEqual({ kind: 'code', code: 'dont_know' });
    },
  );

  it.each(["Don't know", 'not known'])('reads "%s" as missing (not known) where "Don\'t know" is not listed', (raw) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'missing', reason: 'not_known' }, issues: [] });
  });

  it('reads "Planned" as planned where it is listed', () => {
    expect(parse(withExtras, 'Planned').value).toEqual({ kind: 'code', code: 'planned' });
  });

  it('rejects "Planned" where it is not listed, naming the allowed answers', () => {
    const p = parse(Q, 'Planned');
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual(['error:yes_no_code_not_listed']);
    expect(p.issues[0]!.message).toContain('"Yes" or "No"');
  });

  it('reads "Yes, weekly" as yes and keeps the comment on an info note', () => {
    const p = parse(Q, 'Yes, weekly');
    expect(p.value).toEqual({ kind: 'code', code: 'yes' });
    expect(codes(p)).toEqual(['info:yes_no_with_comment']);
    expect(p.issues[0]!.raw).toBe('Yes, weekly');
  });

  it.each(['maybe', 'Yess', 'yes and no', 2, -1, new Date(Date.UTC(2025, 0, 1))])('rejects %j as unreadable', (raw) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual(['error:yes_no_unreadable']);
  });
});
