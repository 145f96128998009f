import type { ExtractedAnswer, AnswerValue, RawValue } from './answer.ts';
import type { Issue, Location } from './issue.ts';
import type { MediaType } from './media-type.ts';

/** receive -> StoredFile: the bytes are safe in the store and recorded in raw_file / file_receipt. */
export interface StoredFile {
  hash: string;
  originalName: string;
  size: number;
  mediaType: MediaType;
  wave: number;
  sourceKind: string;
  /** These bytes had been received for this wave before: a no-op receipt. */
  alreadyReceived: boolean;
  /** The rule version the earlier receipt was processed with (null: never processed); absent for a new receipt. */
  processedRuleVersion?: string | null;
  /** When the receipt was made (this run's, or the earlier one's): saves the load reading it again. */
  receivedAt?: Date;
  parentHash?: string;
}

/** One return found in a file: a team workbook holds one, a survey export one per row. */
export interface ExtractedReturn {
  part: number;
  answers: ExtractedAnswer[];
  meta: {
    templateVersion?: string;
    templateVersionLocation?: Location;
    dateCompleted?: RawValue;
    dateCompletedLocation?: Location;
    /** The wave the file says it belongs to (a template's About "Wave" cell), as typed. */
    waveStamp?: string;
    waveStampLocation?: Location;
  };
  issues: Issue[];
}

/** extract -> Extraction: every answer with its location, and the file-level problems. */
export interface Extraction {
  file: StoredFile;
  returns: ExtractedReturn[];
  issues: Issue[];
}

export interface ValidatedAnswer {
  questionId: string;
  value: AnswerValue;
  rawText: string | null;
  location: Location;
  match: ExtractedAnswer['match'] | null;
}

/** validate -> ValidatedReturn: stored-form answers plus all the issues, errors blocking the load. */
export interface ValidatedReturn {
  part: number;
  answers: ValidatedAnswer[];
  issues: Issue[];
  templateVersion: string | null;
  dateCompleted: string | null;
}

export interface Validation {
  file: StoredFile;
  returns: ValidatedReturn[];
  issues: Issue[];
}
