import type { AnswerValue, ParsedAnswer, RawValue } from '../../../schemas/answer.ts';
import { parseAnswer } from '../../../schemas/answers/index.ts';
import { questionSchema, type Question } from '../../../schemas/question-list.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';

export const LIST_2025 = loadQuestionList(2025);
export const LOCATION = { fileHash: 'abc123', sheet: 'Questionnaire', cell: 'C7' };

/** A question of the 2025 list by id (throws in the test when the list lost it). */
export function q(id: string): Question {
  const found = LIST_2025.questions.find((x) => x.id === id);
  if (!found) throw new Error(`2025 list has no question ${id}`);
  return found;
}

/** A made-up question for cases the shipped lists do not have (e.g. yes_no with "Don't know"). */
export function synthetic(fields: Record<string, unknown>): Question {
  return questionSchema.parse({ id: 'synthetic', label: 'Synthetic question', section: 'Test', ...fields });
}

export function parse(question: Question | string, raw: RawValue, wave = 2025): ParsedAnswer {
  return parseAnswer(typeof question === 'string' ? q(question) : question, raw, LOCATION, { wave });
}

export const UNREADABLE: AnswerValue = { kind: 'missing', reason: 'unreadable' };

export function interval(low: number, high: number | null, approximate = false, bandCode?: string): AnswerValue {
  return { kind: 'interval', low, high, approximate, openHigh: high === null, ...(bandCode ? { bandCode } : {}) };
}

/** The codes of a parse's issues, as "severity:code". */
export function codes(p: ParsedAnswer): string[] {
  return p.issues.map((i) => `${i.severity}:${i.code}`);
}
