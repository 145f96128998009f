import type { ParsedAnswer } from '../answer.ts';
import type { Issue } from '../issue.ts';
import type { Option } from '../question-list.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';
import { findOption, inListOrder, listOptions } from './options.ts';

interface Segmentation {
  codes: string[];
  unknown: string[];
  pieces: number;
}

/**
 * Splits a comma-separated piece into option labels. Labels may themselves hold commas
 * ("Watch, Wait and Wonder"), so pieces are re-joined where together they form a label: of all
 * segmentations, the one with fewest unrecognised pieces, then fewest (so longest) labels, wins.
 */
function segmentOnCommas(piece: string, options: readonly Option[]): Segmentation {
  // Hand-typed lists also use " / ", " and " and " & " ("NHS / Local authority", "NHS and Other");
  // labels holding one of them ("Watch, Wait and Wonder") are re-joined like those holding commas.
  const split = piece.split(/(,|\s+\/\s+|\s+and\s+|\s+&\s+)/i);
  const parts = split.filter((_, k) => k % 2 === 0);
  const seps = split.filter((_, k) => k % 2 === 1);
  const join = (i: number, j: number): string =>
    parts
      .slice(i, j)
      .map((p, k) => (k === 0 ? p : `${seps[i + k - 1]}${p}`))
      .join('');
  const n = parts.length;
  const best: Segmentation[] = new Array<Segmentation>(n + 1);
  best[n] = { codes: [], unknown: [], pieces: 0 };
  for (let i = n - 1; i >= 0; i--) {
    let choice: Segmentation | undefined;
    for (let j = n; j > i; j--) {
      const text = join(i, j).trim();
      const rest = best[j]!;
      let cand: Segmentation | undefined;
      if (text === '' && j === i + 1) cand = rest;
      else {
        const hit = findOption(options, text);
        if (hit) cand = { codes: [hit.code, ...rest.codes], unknown: rest.unknown, pieces: rest.pieces + 1 };
        else if (j === i + 1) cand = { codes: rest.codes, unknown: [text, ...rest.unknown], pieces: rest.pieces + 1 };
      }
      if (
        cand &&
        (!choice ||
          cand.unknown.length < choice.unknown.length ||
          (cand.unknown.length === choice.unknown.length && cand.pieces < choice.pieces))
      )
        choice = cand;
    }
    best[i] = choice!;
  }
  return best[0]!;
}

/** The whole cell first, then ';' or line breaks, then commas within each piece. */
function splitOptions(text: string, options: readonly Option[]): { codes: string[]; unknown: string[] } {
  const whole = findOption(options, text);
  if (whole) return { codes: [whole.code], unknown: [] };
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const piece of text.split(/[;\n\r]+/)) {
    if (piece.trim() === '') continue;
    const hit = findOption(options, piece);
    const seg = hit ? { codes: [hit.code], unknown: [] } : segmentOnCommas(piece, options);
    codes.push(...seg.codes);
    unknown.push(...seg.unknown);
  }
  return { codes, unknown };
}

export function parseMulti(ctx: ParseContext): ParsedAnswer {
  const options = ctx.question.options ?? [];
  const { raw } = ctx;
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
  const split = splitOptions(text, options);
  const { unknown } = split;
  let codes = split.codes;
  const issues: Issue[] = [];
  // Issue 14: options the list does not have never drop the whole answer: the listed ones are kept and
  // the others count under "Other" (the raw text stays on the answer and the issue), with a warning.
  const other = options.find((o) => o.code === 'other');
  // Only words that name something go to "Other": "Yes", "x", "TRUE" or a number name no option.
  const namesSomething = (u: string): boolean =>
    (u.match(/\p{L}/gu) ?? []).length >= 3 && !/^(yes|no|true|false|tick(ed)?|checked|n\/?a)$/i.test(u.trim());
  if (typeof raw === 'string' && unknown.length > 0 && other && unknown.every(namesSomething)) {
    codes = [...new Set([...codes, other.code])];
    issues.push(
      answerIssue(
        ctx,
        'option_as_other',
        'warning',
        `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a listed option; counted under "${other.label}"${
          split.codes.length ? `, with ${inListOrder(options, split.codes).join(', ')}` : ''
        }. Record a correction if another option was meant.`,
      ),
    );
  } else if (text.trim() === '' || unknown.length > 0) {
    const found = unknown.length > 0 ? unknown.map((u) => `"${u}"`).join(', ') : undefined;
    const known = codes.length > 0 ? ` (recognised: ${inListOrder(options, codes).join(', ')})` : '';
    return unreadable(ctx, 'option_unknown', `options from ${listOptions(options)}, separated by ";"${known}`, {
      ...(found ? { found: `${found}, which is not a listed option` } : {}),
      advice:
        'Nothing of this answer was loaded. Record a correction naming the options meant (or add the wording as a synonym in the question list).',
    });
  }
  const sorted = inListOrder(options, codes);
  // "None" ticked with something else contradicts itself; both are kept for a person to settle.
  if (sorted.includes('none') && sorted.length > 1) {
    issues.push(
      answerIssue(
        ctx,
        'multi_none_with_others',
        'warning',
        `"None" was given together with other options (${sorted.join(', ')}); all are kept. Check which is right.`,
      ),
    );
  }
  return ok({ kind: 'codes', codes: sorted }, issues);
}
