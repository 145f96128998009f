import type { ParsedAnswer } from '../answer.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';
import { normaliseText } from './normalise-text.ts';
import { looksNegative, stripApprox, toDecimal } from './numbers.ts';

const EXPECTED = 'a number of 0 or more, e.g. 1.5 (a decimal comma as in "1,5" is read too)';
// "1.5 WTE", "0.6 FTE": the unit is what was asked for.
const UNIT_SUFFIX = /\s*(?:wte|fte|whole[- ]time equivalents?|full[- ]time equivalents?)$/;

export function parseDecimal(ctx: ParseContext): ParsedAnswer {
  const { raw } = ctx;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return unreadable(ctx, 'decimal_unreadable', EXPECTED);
    if (raw < 0) return unreadable(ctx, 'decimal_negative', 'a number of 0 or more');
    return ok({ kind: 'number', value: raw + 0 });
  }
  if (typeof raw !== 'string') return unreadable(ctx, 'decimal_unreadable', EXPECTED);
  const { rest, approximate } = stripApprox(normaliseText(raw));
  const body = rest.replace(UNIT_SUFFIX, '');
  const n = toDecimal(body);
  if (n === 'ambiguous') {
    return unreadable(
      ctx,
      'decimal_ambiguous',
      'a number written without a thousands separator: "1,500" may mean 1.5 or 1500',
      {
        advice: 'Ask the team which was meant, then record a correction.',
      },
    );
  }
  if (n === null || !Number.isFinite(n)) {
    return unreadable(ctx, looksNegative(body) ? 'decimal_negative' : 'decimal_unreadable', EXPECTED);
  }
  const issues = approximate
    ? [
        answerIssue(
          ctx,
          'decimal_approximate',
          'warning',
          `read "${raw.trim()}" as ${n}, marked by the team as approximate; stored as ${n}.`,
        ),
      ]
    : [];
  return ok({ kind: 'number', value: n }, issues);
}
