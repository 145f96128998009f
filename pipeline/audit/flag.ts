/** A review flag (spec/foi.md "Audit of under-two referral counts"), as stored and shown. */
export type FlagKind =
  | 'jump_3'
  | 'jump_10'
  | 'under2_above_wider_band'
  | 'not_accepted_but_reported'
  | 'duplicate_response'
  | 'two_responses';

export interface ReviewFlag {
  /** Stable across reprocessing: built from trust, question, periods and band, never from row ids. */
  id: string;
  wave: number;
  trustOds: string | null;
  kind: FlagKind;
  message: string;
  valueIds: string[];
  status: 'open' | 'corrected' | 'reviewed';
  closedBy: string | null;
}

export type RawFlag = Omit<ReviewFlag, 'status' | 'closedBy'>;
