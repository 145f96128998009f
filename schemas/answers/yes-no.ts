import type { ParsedAnswer } from '../answer.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';
import { normaliseText } from './normalise-text.ts';

export type YesNoCode = 'yes' | 'no' | 'dont_know' | 'planned';

const SPELLINGS: ReadonlyArray<[YesNoCode, readonly string[]]> = [
  ['yes', ['yes', 'y', 'true', '1']],
  ['no', ['no', 'n', 'false', '0']],
  ['dont_know', ["don't know", 'dont know', 'do not know', 'not known', 'unknown', 'not sure']],
  ['planned', ['planned', 'in planning', 'being planned']],
];
const CODE_BY_TEXT = new Map(SPELLINGS.flatMap(([code, ss]) => ss.map((s): [string, YesNoCode] => [s, code])));

export const YES_NO_LABELS: Record<YesNoCode, string> = {
  yes: 'Yes',
  no: 'No',
  dont_know: "Don't know",
  planned: 'Planned',
};

function allowed(ctx: ParseContext): YesNoCode[] {
  return ['yes', 'no', ...ctx.question.extraCodes];
}

function expected(ctx: ParseContext): string {
  return allowed(ctx)
    .map((c) => `"${YES_NO_LABELS[c]}"`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');
}

export function parseYesNo(ctx: ParseContext): ParsedAnswer {
  const { raw } = ctx;
  if (typeof raw === 'boolean') return ok({ kind: 'code', code: raw ? 'yes' : 'no' });
  if (typeof raw === 'number') {
    if (raw === 1 || raw === 0) return ok({ kind: 'code', code: raw === 1 ? 'yes' : 'no' });
    return unreadable(ctx, 'yes_no_unreadable', expected(ctx));
  }
  if (typeof raw !== 'string') return unreadable(ctx, 'yes_no_unreadable', expected(ctx));
  const t = normaliseText(raw);
  const code = CODE_BY_TEXT.get(t);
  if (code !== undefined) {
    if (allowed(ctx).includes(code)) return ok({ kind: 'code', code });
    return unreadable(
      ctx,
      'yes_no_code_not_listed',
      `${expected(ctx)}: "${YES_NO_LABELS[code]}" is not an answer to this question`,
    );
  }
  // "Yes, weekly" / "No - see notes": the answer is plain; the comment is kept on an info issue.
  const lead = /^(yes|no)\b\s*[,;:(-]/.exec(t);
  if (lead) {
    const c = lead[1] === 'yes' ? 'yes' : 'no';
    const msg = `read "${raw.trim()}" as "${YES_NO_LABELS[c]}"; the words after it are kept here only. Move them to the notes column if they matter.`;
    return ok({ kind: 'code', code: c }, [answerIssue(ctx, 'yes_no_with_comment', 'info', msg)]);
  }
  return unreadable(ctx, 'yes_no_unreadable', expected(ctx));
}
