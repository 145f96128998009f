import type { ParsedAnswer } from '../answer.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';
import { parseDateText } from './date.ts';
import { normaliseText } from './normalise-text.ts';
import { stripApprox } from './numbers.ts';

const FIRST_YEAR = 1990;

function inRange(ctx: ParseContext, year: number, issues = [] as ReturnType<typeof answerIssue>[]): ParsedAnswer {
  if (year < FIRST_YEAR || year > ctx.wave) {
    return unreadable(ctx, 'year_out_of_range', `a year from ${FIRST_YEAR} to ${ctx.wave} (the wave year)`);
  }
  return ok({ kind: 'integer', value: year }, issues);
}

export function parseYear(ctx: ParseContext): ParsedAnswer {
  const { raw } = ctx;
  const expected = `a 4-digit year from ${FIRST_YEAR} to ${ctx.wave}, e.g. 2016`;
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return unreadable(ctx, 'year_unreadable', expected);
    const y = raw.getUTCFullYear();
    const note = answerIssue(
      ctx,
      'year_from_date',
      'warning',
      `found the date ${raw.toISOString().slice(0, 10)} where a year was asked for; kept the year ${y}. Check that the year is right.`,
    );
    return inRange(ctx, y, [note]);
  }
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw >= 1000 && raw <= 9999
      ? inRange(ctx, raw)
      : unreadable(ctx, 'year_unreadable', expected);
  }
  if (typeof raw !== 'string') return unreadable(ctx, 'year_unreadable', expected);
  const { rest, approximate } = stripApprox(normaliseText(raw));
  if (/^\d{4}$/.test(rest)) {
    // questionnaire.md "Answer types": a year is a 4-digit year; approximate forms are listed for
    // counts only. "around 2018" is therefore not read as 2018: it is stored missing (unreadable) with
    // its raw text and the team is asked for the year, never guessed.
    if (approximate)
      return unreadable(ctx, 'year_approximate', expected, {
        advice:
          'An approximate year cannot be counted as a year: ask the team which year they first saw families, or record a correction.',
      });
    return inRange(ctx, Number(rest));
  }
  // A full date typed for the year ("01/09/2015"): its year, with a note.
  const date = parseDateText(raw);
  if ('iso' in date) {
    const y = Number(date.iso.slice(0, 4));
    const note = answerIssue(
      ctx,
      'year_from_date',
      'warning',
      `found the date ${date.iso} where a year was asked for; kept the year ${y}.`,
    );
    return inRange(ctx, y, [note]);
  }
  return unreadable(
    ctx,
    'year_unreadable',
    expected,
    /^\d{4}\s*[/-]\s*\d{2,4}$/.test(rest)
      ? {
          advice:
            'A span such as "2015/16" names two years: ask the team which year they first saw families, or record a correction.',
        }
      : {},
  );
}
