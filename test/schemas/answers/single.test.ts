import { describe, expect, it } from 'vitest';
import { codes, parse, synthetic, UNREADABLE } from './helpers.ts';

describe('single answers', () => {
  it.each([
    ['NHS mental health trust', 'nhs_mental_health_trust'],
    ['nhs mental  health trust', 'nhs_mental_health_trust'],
    ['  NHS Mental Health Trust. ', 'nhs_mental_health_trust'],
    ['Mental health trust', 'nhs_mental_health_trust'],
    ['nhs_mental_health_trust', 'nhs_mental_health_trust'],
    ['Council', 'local_authority'],
    ['Voluntary sector', 'voluntary_sector'],
    ['VCSE', 'voluntary_sector'],
    ['Other', 'other'],
  ])('reads "%s" as the option %s (label, synonym or code; case and spacing tolerated)', (raw, code) => {
    expect(parse('host_type', raw)).toEqual({ value: { kind: 'code', code }, issues: [] });
  });

  it.each([
    ['Northern Ireland', 'northern_ireland'],
    ['NI', 'northern_ireland'],
    ['E92000001', 'england'],
  ])('reads the nation "%s" as %s', (raw, code) => {
    expect(parse('nation', raw).value).toEqual({ kind: 'code', code });
  });

  it('reads curly apostrophes the same as straight ones ("Children’s services")', () => {
    expect(parse('main_funding_source', 'Local authority children’s services').value).toEqual({
      kind: 'code',
      code: 'local_authority_childrens_services',
    });
  });

  it.each([
    ['Yes', 'yes'],
    ['Y', 'yes'],
    [true, 'yes'],
    [false, 'no'],
    ['Sometimes', 'sometimes'],
  ])('reads %j on a Yes/No/Sometimes list as %s', (raw, code) => {
    expect(parse('accepts_child_protection', raw).value).toEqual({ kind: 'code', code });
  });

  it.each(['NHS', 'trust', 'Local authority; Other', 3, new Date(Date.UTC(2025, 0, 1))])(
    'rejects %j as an unknown option, listing the options',
    (raw) => {
      const p = parse('host_type', raw);
      expect(p.value).toEqual(UNREADABLE);
      expect(codes(p)).toEqual(['error:option_unknown']);
      expect(p.issues[0]!.message).toContain('"NHS mental health trust"');
    },
  );
});

describe('single answers whose options look like missing answers', () => {
  const withNotKnown = synthetic({
    type: 'single',
    options: [
      { code: 'yes', label: 'Yes' },
      { code: 'not_known', label: 'Not known' },
    ],
  });

  it('reads "Not known" as the listed option, not as a missing answer', () => {
    expect(parse(withNotKnown, 'not known').value).toEqual({ kind: 'code', code: 'not_known' });
  });

  it('still reads "n/a" as missing when it is not an option', () => {
    expect(parse(withNotKnown, 'n/a').value).toEqual({ kind: 'missing', reason: 'not_applicable' });
  });
});
