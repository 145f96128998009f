import type { CodedValue, RecordSummary, TextAnswer, TrustHint } from '../../schemas/foi.ts';
import type { Issue } from '../../schemas/issue.ts';

/** What a letter's readers (sources/foi/letter.ts, refusal.ts) find in it. */
export interface LetterResult {
  values: CodedValue[];
  issues: Issue[];
  textAnswers: TextAnswer[];
  accepts?: boolean | null;
  serviceText?: string;
  trustHint: TrustHint;
  replyDate?: string;
  /** Answers that were found but could not be coded automatically. */
  uncoded: number;
  records?: RecordSummary;
}
