import { describe, expect, it } from 'vitest';
import { codes, parse, UNREADABLE } from './helpers.ts';

const codesOf = (raw: string, id = 'interventions') => parse(id, raw).value;

describe('multi answers in one cell', () => {
  it.each([
    ['Circle of Security', ['circle_of_security']],
    ['Circle of Security; Group work', ['circle_of_security', 'group_work']],
    ['Circle of Security, Group work', ['circle_of_security', 'group_work']],
    ['Group work; Circle of Security', ['circle_of_security', 'group_work']],
    ['Group work\nCircle of Security', ['circle_of_security', 'group_work']],
    ['VIG; VIPP; Video feedback (VIG or VIPP)', ['video_feedback']],
    ['Watch, Wait and Wonder', ['watch_wait_wonder']],
    ['Watch, Wait and Wonder, Circle of Security', ['circle_of_security', 'watch_wait_wonder']],
    [
      'Mellow, Watch, Wait and Wonder; NBO',
      ['watch_wait_wonder', 'mellow_programmes', 'newborn_behavioural_observations'],
    ],
    ['circle of security ;group work;', ['circle_of_security', 'group_work']],
    ['Circle of Security / Group work', ['circle_of_security', 'group_work']],
    ['Group work and Circle of Security', ['circle_of_security', 'group_work']],
    ['Mellow & Watch, Wait and Wonder', ['watch_wait_wonder', 'mellow_programmes']],
  ])('reads "%s" as %j (option-list order, each once)', (raw, expected) => {
    expect(codesOf(raw)).toEqual({ kind: 'codes', codes: expected });
  });

  it('reads labels with apostrophes and commas-free names: "Local authority children\'s services, CAMHS"', () => {
    expect(codesOf("Local authority children's services, CAMHS", 'funding_sources')).toEqual({
      kind: 'codes',
      codes: ['camhs', 'local_authority_childrens_services'],
    });
  });

  it('reads outcome measures with punctuation in their labels', () => {
    expect(codesOf('PHQ-9; ASQ:SE; CORE-10', 'outcome_measures')).toEqual({
      kind: 'codes',
      codes: ['phq9_gad7', 'core10', 'asq_se'],
    });
  });

  it('warns when "None" is ticked with other options, keeping all', () => {
    const p = parse('outcome_measures', 'None; CORE-10');
    expect(p.value).toEqual({ kind: 'codes', codes: ['core10', 'none'] });
    expect(codes(p)).toEqual(['warning:multi_none_with_others']);
  });

  it('keeps the listed options and counts a named option the list lacks under "Other", with a warning (issue 14)', () => {
    const p = parse('interventions', 'Circle of Security; Solihull approach');
    expect(p.value).toEqual({ kind: 'codes', codes: ['circle_of_security', 'other'] });
    expect(codes(p)).toEqual(['warning:option_as_other']);
    expect(p.issues[0]!.message).toContain('"Solihull approach"');
    expect(p.issues[0]!.raw).toBe('Circle of Security; Solihull approach');
  });

  it('still rejects a piece that names nothing ("Yes", "x") rather than counting it as "Other"', () => {
    const p = parse('interventions', 'Circle of Security; Yes');
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual(['error:option_unknown']);
    expect(p.issues[0]!.message).toContain('recognised: circle_of_security');
  });

  it.each([['Yes'], [true], [1]])('rejects %j as no option', (raw) => {
    expect(parse('interventions', raw).value).toEqual(UNREADABLE);
  });
});
