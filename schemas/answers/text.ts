import type { ParsedAnswer, RawValue } from '../answer.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';

/** The text a cell shows, or null for an invalid date. Dates print as ISO: Excel turns "1/2" into one. */
export function cellAsText(raw: RawValue): string | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString().slice(0, 10);
  return raw === null || raw === undefined ? '' : String(raw);
}

export function parseText(ctx: ParseContext): ParsedAnswer {
  const text = cellAsText(ctx.raw);
  if (text === null) return unreadable(ctx, 'text_unreadable', 'text');
  const issues =
    ctx.raw instanceof Date
      ? [
          answerIssue(
            ctx,
            'text_was_date',
            'warning',
            `the spreadsheet holds a date (${text}) where text was asked for; kept as "${text}". Check that the spreadsheet did not turn the typed text into a date.`,
          ),
        ]
      : [];
  return ok({ kind: 'text', text: text.trim() }, issues);
}
