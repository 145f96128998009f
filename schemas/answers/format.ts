import type { AnswerValue } from '../answer.ts';
import type { Question } from '../question-list.ts';
import { MISSING_TEXT } from './common.ts';
import { YES_NO_LABELS, type YesNoCode } from './yes-no.ts';

type IntervalValue = Extract<AnswerValue, { kind: 'interval' }>;

/** A count in a spelling parseCountText reads back to the same interval. */
function formatInterval(question: Question, v: IntervalValue): string {
  const band = question.bands?.find((b) => b.code === v.bandCode);
  if (band && !v.approximate && band.low === v.low && band.high === v.high) return band.label;
  const body = v.high === null ? `${v.low}+` : v.low === v.high ? `${v.low}` : `${v.low}-${v.high}`;
  return v.approximate ? `approx ${body}` : body;
}

function optionLabel(question: Question, code: string): string {
  if (question.type === 'yes_no' && code in YES_NO_LABELS) return YES_NO_LABELS[code as YesNoCode];
  return question.options?.find((o) => o.code === code)?.label ?? code;
}

/**
 * The printed form of a stored answer, as a person would type it; parseAnswer reads it back to the
 * same value (unreadable answers excepted: their raw text lives on the issue, not in the value).
 */
export function formatAnswer(question: Question, value: AnswerValue): string {
  switch (value.kind) {
    case 'text':
      return value.text;
    // A single item with a comma gets a trailing ';' so that it is not split on the comma.
    case 'text_list':
      return value.items.join('; ') + (value.items.length === 1 && value.items[0]!.includes(',') ? ';' : '');
    case 'code':
      return optionLabel(question, value.code);
    case 'codes':
      return value.codes.map((c) => optionLabel(question, c)).join('; ');
    case 'interval':
      return formatInterval(question, value);
    case 'number':
      return String(value.value);
    case 'integer':
      return String(value.value);
    case 'date':
      return value.iso;
    case 'missing':
      return MISSING_TEXT[value.reason];
  }
}
