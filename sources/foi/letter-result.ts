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
  /**
   * Questions answered only by a sentence of the letter's own words (answers.ts statedAnswers): they answer
   * the question, but do not make a letter that holds or gives nothing ("does not hold the information you
   * have requested ... and the Trust does not provide a parent-infant service") less of a whole not-held one.
   */
  stated?: Set<string>;
  records?: RecordSummary;
}
