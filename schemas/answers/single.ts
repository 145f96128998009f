import type { ParsedAnswer } from '../answer.ts';
import { ok, unreadable, type ParseContext } from './common.ts';
import { findOption, listOptions } from './options.ts';

export function parseSingle(ctx: ParseContext): ParsedAnswer {
  const options = ctx.question.options ?? [];
  // TRUE/FALSE cells answer a Yes/No option list; numbers are read as their text.
  const { raw } = ctx;
  const text =
    typeof raw === 'boolean'
      ? raw
        ? 'yes'
        : 'no'
      : typeof raw === 'string' || typeof raw === 'number'
        ? String(raw)
        : '';
  const hit = findOption(options, text);
  if (hit) return ok({ kind: 'code', code: hit.code });
  return unreadable(ctx, 'option_unknown', `exactly one of ${listOptions(options)}`, {
    advice:
      'If the answer means one of these, record a correction (or add the wording as a synonym in the question list); otherwise correct the return.',
  });
}
