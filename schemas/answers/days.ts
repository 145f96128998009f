import type { ParsedAnswer } from '../answer.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';
import { normaliseText } from './normalise-text.ts';
import { INT, looksNegative, stripApprox, toInt } from './numbers.ts';

const EXPECTED = 'a whole number of days of 0 or more, e.g. 21 or "3 weeks"';
const NUM = String.raw`(\d+(?:[.,]\d+)?|${INT})`;
const DAYS = new RegExp(`^${NUM}(?:\\s*(?:days?|d))?$`);
const WEEKS = new RegExp(`^${NUM}\\s*(?:weeks?|wks?|w)$`);
// Months and years have no fixed number of days, working days no fixed calendar span, and a range
// is not a median: each is kept for a person to settle, never converted by a guess.
const AMBIGUOUS =
  /^(?:\d+(?:[.,]\d+)?\s*(?:-|to)\s*)?\d+(?:[.,]\d+)?\s*(?:months?|mths?|mos?|years?|yrs?|working days?|business days?|weekdays?)$|^\d+\s*(?:-|to)\s*\d+(?:\s*(?:days?|weeks?|wks?))?$/;

function amount(token: string): number | null {
  if (/^\d{1,3}(?:,\d{3})+$/.test(token)) return toInt(token);
  const n = Number(token.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

function whole(ctx: ParseContext, n: number, approximate: boolean): ParsedAnswer {
  if (!Number.isInteger(n) || !Number.isSafeInteger(n)) {
    return unreadable(ctx, 'days_not_whole', `${EXPECTED}; ${n} days is not a whole number of days`);
  }
  const issues = approximate
    ? [
        answerIssue(
          ctx,
          'days_approximate',
          'info',
          `read ${typeof ctx.raw === 'string' ? `"${ctx.raw.trim()}"` : ctx.raw} as ${n} days, given by the team as approximate.`,
        ),
      ]
    : [];
  return ok({ kind: 'integer', value: n + 0 }, issues);
}

export function parseDays(ctx: ParseContext): ParsedAnswer {
  const { raw } = ctx;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return unreadable(ctx, 'days_unreadable', EXPECTED);
    if (raw < 0) return unreadable(ctx, 'days_negative', EXPECTED);
    return whole(ctx, raw, false);
  }
  if (typeof raw !== 'string') return unreadable(ctx, 'days_unreadable', EXPECTED);
  const { rest, approximate } = stripApprox(normaliseText(raw));
  const d = DAYS.exec(rest);
  const w = d ? null : WEEKS.exec(rest);
  const m = d ?? w;
  if (m) {
    const n = amount(m[1]!);
    if (n !== null) return whole(ctx, w ? Math.round(n * 7 * 1e9) / 1e9 : n, approximate);
  }
  if (AMBIGUOUS.test(rest)) {
    return unreadable(ctx, 'days_ambiguous', `${EXPECTED}; this has no single number of days`, {
      severity: 'warning',
      advice: 'The answer is kept in this issue as typed; ask the team for the number of days, or record a correction.',
    });
  }
  return unreadable(ctx, looksNegative(rest) ? 'days_negative' : 'days_unreadable', EXPECTED);
}
