import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { AnswerValue, RawValue } from '../../../schemas/answer.ts';
import { formatAnswer, missingReason, parseAnswer } from '../../../schemas/answers/index.ts';
import { issueSchema } from '../../../schemas/issue.ts';
import type { Question } from '../../../schemas/question-list.ts';
import { LIST_2025, LOCATION } from './helpers.ts';

const numRuns = Number(process.env.FUZZ_RUNS ?? 200);
const WAVE = LIST_2025.wave;

// Words and marks real returns are made of, so generated text reaches deep into every parser.
const fragment = fc.constantFrom(
  'approx',
  'c.',
  '~',
  'over',
  'under',
  'fewer than',
  'more than',
  '>',
  '<',
  '+',
  'or more',
  '-',
  '–',
  ' to ',
  ',',
  ';',
  '.',
  '/',
  ':',
  ' ',
  '\n',
  'weeks',
  'days',
  'months',
  'March',
  'Yes',
  'No',
  'n/a',
  'not known',
  'WTE',
  'between',
  'and',
  '2,150',
  '0',
  '1',
  '31',
  '12',
  '2025',
  '1990',
  '45747',
  'Circle of Security',
  'Watch, Wait and Wonder',
  'Other',
  'Fewer than 25',
  '301+',
  '1,5',
  'e',
  'ish',
  '(',
  ')',
);
const domainText = fc
  .array(fc.oneof(fragment, fc.nat({ max: 100_000 }).map(String)), { maxLength: 8 })
  .map((parts) => parts.join(''));

const anyRaw: fc.Arbitrary<RawValue> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  domainText,
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.nat({ max: 3_000_000 }),
  fc.date({ noInvalidDate: false }),
);

describe('parseAnswer on any input', () => {
  test.prop([fc.constantFrom(...LIST_2025.questions), anyRaw], { numRuns })(
    'gives a value or an issue for every 2025 question, and never throws',
    (question, raw) => {
      const p = parseAnswer(question, raw, LOCATION, { wave: WAVE });
      expect(p.value).toBeDefined();
      for (const i of p.issues) expect(issueSchema.safeParse(i).success).toBe(true);
      expect(p.issues.map((i) => i.code)).not.toContain('answer_parse_fault');
      if (p.value.kind === 'missing' && p.value.reason === 'unreadable') expect(p.issues.length).toBeGreaterThan(0);
    },
  );
});

const plainText = fc
  .string({ minLength: 1, maxLength: 40 })
  .map((s) => s.trim())
  .filter((s) => s !== '' && missingReason(s) === null);
const listItem = plainText.map((s) => s.replace(/[;\r\n]/g, ' ').trim()).filter((s) => s !== '' && s === s.trim());

function countValue(): fc.Arbitrary<AnswerValue> {
  const n = fc.nat({ max: 1_000_000 });
  return fc
    .record({ low: n, width: fc.option(fc.nat({ max: 5000 }), { nil: null }), approximate: fc.boolean() })
    .map(({ low, width, approximate }) => ({
      kind: 'interval',
      low,
      high: width === null ? null : low + width,
      approximate,
      openHigh: width === null,
    }));
}

function bandValue(q: Question): fc.Arbitrary<AnswerValue> {
  const bands = q.bands ?? [];
  const listed = fc.constantFrom(...bands).map((b): AnswerValue => ({
    kind: 'interval',
    low: b.low,
    high: b.high,
    approximate: false,
    openHigh: b.high === null,
    bandCode: b.code,
  }));
  const typed = fc
    .record({ n: fc.nat({ max: 2000 }), approximate: fc.boolean() })
    .map(({ n, approximate }): AnswerValue => {
      const band = bands.find((b) => b.low <= n && (b.high === null || n <= b.high));
      return {
        kind: 'interval',
        low: n,
        high: n,
        approximate,
        openHigh: false,
        ...(band ? { bandCode: band.code } : {}),
      };
    });
  return fc.oneof(listed, typed);
}

/** Values parseAnswer can produce for the question (unreadable excepted: its raw text lives on the issue). */
function valueFor(q: Question): fc.Arbitrary<AnswerValue> {
  const codes = (q.options ?? []).map((o) => o.code);
  const missing = fc.constantFrom<AnswerValue>(
    { kind: 'missing', reason: 'blank' },
    { kind: 'missing', reason: 'not_applicable' },
    { kind: 'missing', reason: 'prefer_not_to_say' },
    ...(q.type === 'yes_no' && q.extraCodes.includes('dont_know')
      ? []
      : [{ kind: 'missing', reason: 'not_known' } as const]),
  );
  const answer: fc.Arbitrary<AnswerValue> = (() => {
    switch (q.type) {
      case 'text':
        return plainText.map((text): AnswerValue => ({ kind: 'text', text }));
      case 'text_list':
        return fc
          .array(listItem, { minLength: 1, maxLength: 5 })
          .filter((items) => items.length > 1 || missingReason(items[0]!) === null)
          .map((items): AnswerValue => ({ kind: 'text_list', items }));
      case 'single':
        return fc.constantFrom(...codes).map((code): AnswerValue => ({ kind: 'code', code }));
      case 'multi':
        return fc.subarray(codes, { minLength: 1 }).map((cs): AnswerValue => ({ kind: 'codes', codes: cs }));
      case 'yes_no':
        return fc.constantFrom('yes', 'no', ...q.extraCodes).map((code): AnswerValue => ({ kind: 'code', code }));
      case 'count':
        return countValue();
      case 'band':
        return bandValue(q);
      case 'decimal':
        return fc
          .oneof(
            fc.nat({ max: 100_000 }).map((c) => c / 100),
            fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
          )
          .map((value): AnswerValue => ({ kind: 'number', value }));
      case 'year':
        return fc.integer({ min: 1990, max: WAVE }).map((value): AnswerValue => ({ kind: 'integer', value }));
      case 'days':
        return fc.nat({ max: 100_000 }).map((value): AnswerValue => ({ kind: 'integer', value }));
      case 'date':
        return fc
          .date({ min: new Date(Date.UTC(1900, 2, 1)), max: new Date(Date.UTC(2199, 11, 31)), noInvalidDate: true })
          .map((d): AnswerValue => ({ kind: 'date', iso: d.toISOString().slice(0, 10) }));
    }
  })();
  return fc.oneof({ arbitrary: answer, weight: 4 }, { arbitrary: missing, weight: 1 });
}

const questionAndValue = fc.constantFrom(...LIST_2025.questions).chain((q) => valueFor(q).map((v) => [q, v] as const));

describe('formatAnswer', () => {
  test.prop([questionAndValue], { numRuns })(
    'prints a value that parseAnswer reads back to the same value',
    ([question, value]) => {
      const printed = formatAnswer(question, value);
      const back = parseAnswer(question, printed, LOCATION, { wave: WAVE });
      expect(back.value).toEqual(value);
      expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
    },
  );
});
