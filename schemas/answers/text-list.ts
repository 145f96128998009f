import type { ParsedAnswer } from '../answer.ts';
import { ok, unreadable, type ParseContext } from './common.ts';
import { cellAsText } from './text.ts';

/**
 * Items of a list cell. Commas split only when there is no ';' or line break, because some names
 * hold a comma themselves ("Bournemouth, Christchurch and Poole"): writing them one per line or
 * separated by ';' keeps them whole.
 */
function splitList(text: string): string[] {
  const separator = /[;\n\r]/.test(text) ? /[;\n\r]+/ : /,/;
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseTextList(ctx: ParseContext): ParsedAnswer {
  const text = cellAsText(ctx.raw);
  if (text === null) return unreadable(ctx, 'text_list_unreadable', 'a list of names separated by ";" or one per line');
  const items = splitList(text);
  if (items.length === 0) return ok({ kind: 'missing', reason: 'blank' });
  return ok({ kind: 'text_list', items });
}
