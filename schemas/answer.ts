import type { Location } from './issue.ts';
import type { Issue } from './issue.ts';

/** A cell value as a reader found it, before any interpretation. */
export type RawValue = string | number | boolean | Date | null;

/** One answer as a source reader found it, with where it came from. Extract emits these. */
export interface ExtractedAnswer {
  /** Question id of the wave's list; for a per-option row or column of a multi question also `optionCode`. */
  questionId: string;
  optionCode?: string;
  raw: RawValue;
  location: Location;
  /** How the reader tied this cell to the question. */
  match: { method: 'id' | 'label' | 'fuzzy' | 'header'; score: number };
}

export type MissingReason = 'blank' | 'not_applicable' | 'not_known' | 'prefer_not_to_say' | 'unreadable';

/** An answer in its stored form (questionnaire.md "Answer types"). */
export type AnswerValue =
  | { kind: 'text'; text: string }
  | { kind: 'text_list'; items: string[] }
  | { kind: 'code'; code: string }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'interval'; low: number; high: number | null; approximate: boolean; openHigh: boolean; bandCode?: string }
  | { kind: 'number'; value: number }
  | { kind: 'integer'; value: number }
  | { kind: 'date'; iso: string }
  | { kind: 'missing'; reason: MissingReason };

export interface ParsedAnswer {
  value: AnswerValue;
  issues: Issue[];
}
