import type { AnswerValue, ParsedAnswer, RawValue } from '../answer.ts';
import type { AnswerType, Question } from '../question-list.ts';
import type { Location } from '../issue.ts';
import { answerIssue, missingReason, type ParseContext, type TypeParser } from './common.ts';
import { parseBand } from './band.ts';
import { parseCount } from './count.ts';
import { parseDate } from './date.ts';
import { parseDays } from './days.ts';
import { parseDecimal } from './decimal.ts';
import { parseMulti } from './multi.ts';
import { findOption } from './options.ts';
import { parseSingle } from './single.ts';
import { parseTextList } from './text-list.ts';
import { parseText } from './text.ts';
import { parseYear } from './year.ts';
import { parseYesNo } from './yes-no.ts';

export { formatAnswer } from './format.ts';
export { parseOptionFlag } from './option-flag.ts';
export { missingReason } from './common.ts';
export { findOption } from './options.ts';
const PARSERS: Record<AnswerType, TypeParser> = {
  text: parseText,
  text_list: parseTextList,
  single: parseSingle,
  multi: parseMulti,
  yes_no: parseYesNo,
  count: parseCount,
  band: parseBand,
  decimal: parseDecimal,
  year: parseYear,
  days: parseDays,
  date: parseDate,
};

/**
 * Reads one raw answer into its stored form (questionnaire.md "Answer types"). Never throws: an
 * answer that cannot be read is stored as missing (unreadable) with an issue that keeps its raw text.
 */
export function parseAnswer(
  question: Question,
  raw: RawValue,
  location: Location,
  opts: { wave: number },
): ParsedAnswer {
  const ctx: ParseContext = { question, raw, location, wave: opts.wave };
  try {
    // Where "Don't know" (or any other missing spelling) is a listed answer, it is the answer.
    const knownIsAnswer = question.type === 'yes_no' && question.extraCodes.includes('dont_know');
    const reason = missingReason(raw, knownIsAnswer);
    const listed =
      question.type === 'single' && typeof raw === 'string' && findOption(question.options ?? [], raw) !== undefined;
    if (reason !== null && !listed) return { value: { kind: 'missing', reason }, issues: [] };
    const parser = PARSERS[question.type] as TypeParser | undefined;
    if (parser === undefined) {
      return unreadableFault(ctx, `the question list gives the unknown answer type "${String(question.type)}"`);
    }
    return parser(ctx);
  } catch (err) {
    // A bug must not stop a batch: the answer is held back as unreadable and the fault reported.
    return unreadableFault(
      ctx,
      `reading the answer failed inside the program (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

function unreadableFault(ctx: ParseContext, what: string): ParsedAnswer {
  const value: AnswerValue = { kind: 'missing', reason: 'unreadable' };
  return {
    value,
    issues: [
      answerIssue(
        ctx,
        'answer_parse_fault',
        'error',
        `${what}. This is a program fault, not the team's: report it with the file.`,
      ),
    ],
  };
}
