import { describe, expect, it } from 'vitest';
import { LIST_2025, parse } from './helpers.ts';

describe('missing answers, for every question type', () => {
  const cases: [unknown, string][] = [
    [null, 'blank'],
    ['', 'blank'],
    ['   ', 'blank'],
    ['\u00a0', 'blank'],
    ['\u200b', 'blank'],
    ['n/a', 'not_applicable'],
    ['N/A', 'not_applicable'],
    ['na', 'not_applicable'],
    ['NA', 'not_applicable'],
    ['not applicable', 'not_applicable'],
    ['N/A.', 'not_applicable'],
    ['not known', 'not_known'],
    ['Unknown', 'not_known'],
    ["don't know", 'not_known'],
    ['Don’t know', 'not_known'],
    ['prefer not to say', 'prefer_not_to_say'],
    ['Prefer not to say', 'prefer_not_to_say'],
  ];
  it.each(LIST_2025.questions.map((q) => [q.id, q.type, q] as const))(
    'reads blank, n/a, not known and prefer not to say for %s (%s) as missing, with no issue',
    (_id, _type, q) => {
      for (const [raw, reason] of cases) {
        expect(parse(q, raw as null), JSON.stringify(raw)).toEqual({ value: { kind: 'missing', reason }, issues: [] });
      }
    },
  );
});
