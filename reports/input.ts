import type { FoiQuestionList, FoiStatus } from '../schemas/foi.ts';
import type { QuestionList } from '../schemas/question-list.ts';
import type { Bounds } from './intervals.ts';

/**
 * What the report reads for one questionnaire wave, straight from the report views (sql/views/report_*.sql). Every
 * query has an explicit order so the rows never depend on a query plan; rows whose order reaches an
 * output are sorted again here by code unit, because `order by` on text follows the database's
 * collation, which differs between servers.
 */
export interface TeamRow {
  teamId: string;
  returnId: string;
  name: string;
  status: string | null;
  nation: string | null;
  region: string | null;
  hostType: string | null;
  hostOds: string | null;
  yearEstablished: number | null;
}
export interface AnswerRow {
  returnId: string;
  teamId: string;
  status: string | null;
  nation: string | null;
  questionId: string;
  answered: boolean;
  kind: string;
  text: string | null;
  codes: string[];
  interval: Bounds | null;
  band: string | null;
  num: number | null;
  /**
   * Why a question is not answered, where the report says so beside a figure: 'unreadable' (stored
   * missing, raw text kept) or 'left_out' (a flagged answer left out by the leaveOutFlagged parameter).
   */
  missingReason?: 'unreadable' | 'left_out';
}
export interface Coverage {
  teams: number;
  answered: number;
  notAnswered: number;
  /** Of the not answered: unreadable answers, and flagged answers left out (leaveOutFlagged). */
  unreadable?: number;
  leftOut?: number;
}

export interface WaveData {
  wave: number;
  list: QuestionList;
  teams: TeamRow[];
  /** By question id, in return order; unanswered questions are there with answered = false. */
  answers: Map<string, AnswerRow[]>;
  coverage: Map<string, Coverage>;
  /** question id -> option code -> teams choosing it. */
  options: Map<string, Map<string, number>>;
  /** question id -> harmonised category -> teams (sql/003 categories). */
  harmonised: Map<string, Map<string, number>>;
  statuses: Map<string, number>;
  established: { year: number; teams: number; cumulative: number }[];
  flow: { previousWave: number | null; newTeams: number; leftNetwork: number; previousNoReturn: number } | null;
  network: { teamId: string; returned: boolean }[];
  returnStates: Map<string, number>;
  issues: { code: string; severity: string; issues: number; files: number }[];
}

export const answerKey = (returnId: string, questionId: string): string => `answer:${returnId}/${questionId}`;
export const returnKey = (returnId: string): string => `return:${returnId}`;

/** A request's status as the report shows it (pipeline/foi/status.ts derives the whole of it). */
interface FoiRequestStatus {
  status: FoiStatus;
  exemptions: readonly string[];
  withinTime: boolean | null;
}

/** What the report reads for one FOI wave: the requests (view report_foi_request), the values in force, the status of each request as of the reference date. */
export interface FoiRequestRow {
  requestId: string;
  ods: string;
  name: string;
  sent: string;
  replies: number;
}
export interface FoiValue {
  id: string;
  requestId: string;
  ods: string;
  questionId: string;
  periodId: string | null;
  flags: string[];
  ageExact: boolean | null;
  bandAccepted: boolean | null;
  basis: string | null;
  yesNo: boolean | null;
  missing: string | null;
  value: Bounds | null;
  quote: string;
  fromMonths: boolean;
  suppressed: boolean;
  totalDiffers: boolean;
  ageLabel: string | null;
  /** The period as the trust wrote it ("2022", "2023/24 (to 1 March 2024)"), where it is not exactly the one asked. */
  periodLabel?: string | null;
  /** Coded or confirmed by a person (the coding sheet), not read automatically. */
  byPerson?: boolean;
}
export interface FoiData {
  wave: number;
  list: FoiQuestionList;
  referenceDate: string;
  requests: FoiRequestRow[];
  values: FoiValue[];
  /** Request id -> status as of the reference date (pipeline/foi/status.ts, from dated events and coded replies). */
  status: Map<string, FoiRequestStatus>;
  /** Request id -> teams of the questionnaire wave hosted by the trust (by ODS code or successor). */
  hosted: Map<string, number>;
  /** Automatic readings held back by the confidence gate, waiting for a person (they feed no figure). */
  awaitingPerson?: number;
}

export const foiValueKey = (id: string): string => `foi_value:${id}`;
