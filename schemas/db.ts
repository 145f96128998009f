import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in sql/ migrations. One interface per table. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Numeric = ColumnType<string, number | string, number | string>;
type DateCol = ColumnType<string, string, string>;

interface RawFileTable {
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
  media_type: string;
  first_name: string;
  first_received_at: Timestamp;
}

interface IngestRunTable {
  id: Generated<string>;
  wave: number;
  command: string;
  code_version: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: ColumnType<'running' | 'done' | 'done_with_errors' | 'failed', string | undefined, string>;
  counts: ColumnType<Record<string, unknown>, string | undefined, string>;
}

interface FileReceiptTable {
  id: Generated<string>;
  sha256: string;
  wave: number;
  original_name: string;
  source_kind: string;
  received_at: Timestamp;
  run_id: string | null;
  parent_sha256: string | null;
  processed_rule_version: ColumnType<string | null, string | null | undefined, string | null>;
}

interface StageOutcomeTable {
  run_id: string;
  sha256: string;
  stage: 'receive' | 'extract' | 'validate' | 'normalise' | 'load';
  status: 'ok' | 'issues' | 'failed' | 'skipped';
  issue_count: number;
  detail: string | null;
}

interface DataIssueTable {
  id: Generated<string>;
  sha256: string | null;
  file_name: string;
  run_id: string | null;
  wave: number;
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  question_id: string | null;
  sheet: string | null;
  cell: string | null;
  page: number | null;
  line: number | null;
  row_no: number | null;
  column_name: string | null;
  raw: string | null;
}

interface TeamTable {
  id: Generated<string>;
  name: string;
  host_organisation: string | null;
  created_at: Timestamp;
}

interface TeamAliasTable {
  id: Generated<string>;
  team_id: string;
  name_key: string;
  host_key: string;
  method: 'exact' | 'alias' | 'confirmed';
  created_at: Timestamp;
  /** sql/004: who confirmed a 'confirmed' alias, and why. */
  confirmed_by: ColumnType<string | null, string | null | undefined, string | null>;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ReturnState = 'loaded' | 'superseded' | 'conflict' | 'rejected';

interface QuestionnaireReturnTable {
  id: Generated<string>;
  sha256: string;
  wave: number;
  source_kind: string;
  part: number;
  team_id: string | null;
  team_match: 'exact' | 'alias' | 'confirmed' | 'new' | null;
  state: ReturnState;
  state_reason: string | null;
  template_version: string | null;
  date_completed: DateCol | null;
  received_at: Timestamp;
  rule_version: string;
  run_id: string | null;
}

interface AnswerTable {
  return_id: string;
  question_id: string;
  value_kind: string;
  text_value: string | null;
  codes: string[] | null;
  low: Numeric | null;
  high: Numeric | null;
  approximate: boolean;
  open_high: boolean;
  band_code: string | null;
  num_value: Numeric | null;
  date_value: DateCol | null;
  missing_reason: string | null;
  raw_text: string | null;
  sheet: string | null;
  cell: string | null;
  row_no: number | null;
  column_name: string | null;
  match_method: string | null;
  match_score: Numeric | null;
}

interface RespondentTable {
  return_id: string;
  name: string | null;
  email: string | null;
  comments: string | null;
}

interface SchemaMigrationTable {
  version: number;
  name: string;
  sha256: string;
  applied_at: Timestamp;
}

export interface Database {
  schema_migrations: SchemaMigrationTable;
  raw_file: RawFileTable;
  ingest_run: IngestRunTable;
  file_receipt: FileReceiptTable;
  stage_outcome: StageOutcomeTable;
  data_issue: DataIssueTable;
  team: TeamTable;
  team_alias: TeamAliasTable;
  questionnaire_return: QuestionnaireReturnTable;
  answer: AnswerTable;
  respondent: RespondentTable;
  audit_log: AuditLogTable;
  wave_lock: WaveLockTable;
  trust: TrustTable;
  foi_request: FoiRequestTable;
  foi_response: FoiResponseTable;
  foi_status_event: FoiStatusEventTable;
  foi_value: FoiValueTable;
  foi_value_current: FoiValueTable;
  foi_unmatched: FoiUnmatchedView;
  return_decision: ReturnDecisionTable;
  network_member: NetworkMemberTable;
  team_distinct: TeamDistinctTable;
  option_harmonised: OptionHarmonisedTable;
  answer_harmonised: AnswerHarmonisedView;
  team_wave: TeamWaveView;
  teams_by_nation_status: TeamsByNationStatusView;
}

interface TeamWaveView {
  wave: number;
  team_id: string;
  return_id: string;
  team_name: string;
}
interface TeamsByNationStatusView {
  wave: number;
  nation: string;
  status: string;
  teams: number;
}

/** sql/004: a person's decision on one return, named by (sha256, wave, part) so it survives re-ingest. */
export type ReturnDecisionKind = 'keep' | 'as_team' | 'new_team';
interface ReturnDecisionTable {
  id: Generated<string>;
  sha256: string;
  wave: number;
  part: number;
  decision: ReturnDecisionKind;
  team_id: string;
  decided_by: string;
  reason: string;
  decided_at: Timestamp;
}

/** sql/020: pairs of teams a person said are two teams (census teams distinct). */
interface TeamDistinctTable {
  id: Generated<string>;
  team_a: string;
  team_b: string;
  decided_by: string;
  reason: string | null;
  created_at: Timestamp;
}

/** sql/004: a team registered in the network from one wave (to another, or still). */
interface NetworkMemberTable {
  id: Generated<string>;
  team_id: string;
  from_wave: number;
  to_wave: number | null;
  note: string | null;
  created_at: Timestamp;
}

/** sql/005: FOI requests to mental health trusts, their dated events and the coded replies. */
type Jsonb<T> = ColumnType<T, string, string>;
interface TrustTable {
  ods_code: string;
  name: string;
  region: string;
  postcode: string | null;
  mh_confidence: string;
  opened: DateCol | null;
  closed: DateCol | null;
  successor_ods_code: string | null;
  reference_sha256: string;
  loaded_at: Timestamp;
}
interface FoiRequestTable {
  id: Generated<string>;
  wave: number;
  trust_ods: string;
  sent_date: DateCol;
  received_date: DateCol;
  our_ref: string | null;
  their_ref: string | null;
  due_date: DateCol;
  due_explanation: Jsonb<unknown>;
  calendar_version: string;
  trust_list_sha256: string;
  register_note: string | null;
  created_at: Timestamp;
}
export type FoiMatchMethod = 'ods' | 'domain' | 'name' | 'successor' | 'manual' | 'our_ref' | 'their_ref' | 'email';
interface FoiResponseTable {
  id: Generated<string>;
  sha256: string;
  wave: number;
  source_kind: string;
  parent_sha256: string | null;
  request_id: string | null;
  trust_ods: string | null;
  matched_ods: string | null;
  match_method: FoiMatchMethod | null;
  match_score: Numeric | null;
  match_detail: string | null;
  matched_by: string | null;
  matched_at: Timestamp | null;
  trust_hint: Jsonb<Record<string, string>>;
  reply_date: DateCol | null;
  basis: Jsonb<unknown> | null;
  records: Jsonb<unknown> | null;
  needs_manual_coding: boolean;
  /** sql/021: a clarification request or holding e-mail, not the reply; null for a reply. */
  reply_kind: Generated<'clarification' | 'holding' | null>;
  /** sql/022: a joint reply's part for another trust (the file's own row answers the first); null otherwise. */
  joint_ods: Generated<string | null>;
  state: 'matched' | 'unmatched';
  rule_version: string;
  run_id: string | null;
  processed_at: Timestamp;
}
type FoiEventKind =
  | 'reply'
  | 'clarification_asked'
  | 'clarification_answered'
  | 'internal_review_requested'
  | 'internal_review_outcome'
  | 'due_date_recomputed'
  | 'retraction'
  | 'pi_extension'
  | 'ico_complaint'
  | 'ico_decision';
interface FoiStatusEventTable {
  id: Generated<string>;
  request_id: string;
  event_date: DateCol;
  kind: FoiEventKind;
  source: 'command' | 'register' | 'response';
  response_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  note: string | null;
  recorded_at: Timestamp;
}
export interface FoiValueTable {
  id: Generated<string>;
  response_id: string;
  question_id: string;
  period_id: string | null;
  period_start: DateCol | null;
  period_end: DateCol | null;
  period_label: string | null;
  period_type: string | null;
  low: Numeric | null;
  high: Numeric | null;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  age_band_label: string | null;
  age_months_low: number | null;
  age_months_high: number | null;
  age_band_exact: boolean | null;
  band_accepted: boolean | null;
  basis: 'received' | 'accepted' | null;
  service: string | null;
  yes_no: boolean | null;
  text_value: string | null;
  exemptions: ColumnType<string[], string[] | undefined, string[]>;
  missing_reason: 'not_held' | 'withheld' | 'refused' | 'ncnd' | null;
  page: number | null;
  line: number | null;
  sheet: string | null;
  cell: string | null;
  row_no: number | null;
  column_name: string | null;
  quote: string;
  derived_from: Jsonb<unknown> | null;
  method: 'automatic' | 'coded';
  coded_by: string | null;
  coded_at: Timestamp | null;
  coding_key: string | null;
  correction_of: string | null;
  correction_reason: string | null;
  /** sql/014: the confidence gate (rule and evidence of an automatic value; why it is only a suggestion). */
  rule: string | null;
  evidence: string | null;
  suggestion: string | null;
}
interface FoiUnmatchedView {
  response_id: string;
  wave: number;
  sha256: string;
  original_name: string;
  source_kind: string;
  parent_sha256: string | null;
  trust_ods: string | null;
  match_method: FoiMatchMethod | null;
  match_detail: string | null;
  trust_hint: Record<string, string>;
  needs_manual_coding: boolean;
  received_at: Date;
}

/** sql/003: a wave's option code -> its harmonised category, written from the question list on ingest. */
interface OptionHarmonisedTable {
  wave: number;
  question_id: string;
  option_code: string;
  harmonised: string;
}
/** sql/views/answer_harmonised.sql: one row per return x question x harmonised category. */
interface AnswerHarmonisedView {
  return_id: string;
  wave: number;
  question_id: string;
  harmonised: string;
}

interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  wave: number | null;
  detail: ColumnType<Record<string, unknown>, string, string>;
}

interface WaveLockTable {
  wave: number;
  locked_at: Timestamp;
  locked_by: string;
  reason: string;
}

/**
 * sql/views/report_*.sql: the report marts (spec/report.md). Declared as a second `Database` block, which
 * TypeScript merges with the one above, so additions here never touch the lines others edit.
 */
type Id = string | number;
export interface Database {
  report_team: ReportTeamView;
  report_answer: ReportAnswerView;
  report_question_coverage: ReportQuestionCoverageView;
  report_option_count: ReportOptionCountView;
  report_team_status: ReportTeamStatusView;
  report_established_by_year: ReportEstablishedByYearView;
  report_network: ReportNetworkView;
  report_team_flow: ReportTeamFlowView;
  report_harmonised_count: ReportHarmonisedCountView;
  report_return_state: ReportReturnStateView;
  report_issue_count: ReportIssueCountView;
  report_source_file: ReportSourceFileView;
  report_foi_request: ReportFoiRequestView;
  report_foi_value: ReportFoiValueView;
  report_foi_trust_team: ReportFoiTrustTeamView;
  report_correction: ReportCorrectionView;
}
interface ReportTeamView {
  wave: number;
  team_id: Id;
  return_id: Id;
  team_name: string;
  status: string | null;
  nation: string | null;
  region: string | null;
  host_type: string | null;
  host_ods_code: string | null;
  year_established: number | null;
}
interface ReportAnswerView {
  wave: number;
  team_id: Id;
  return_id: Id;
  status: string | null;
  nation: string | null;
  question_id: string;
  answered: boolean;
  value_kind: string;
  text_value: string | null;
  codes: string[] | null;
  low: string | null;
  high: string | null;
  open_high: boolean;
  approximate: boolean;
  band_code: string | null;
  num_value: string | null;
  missing_reason: string | null;
}
interface ReportQuestionCoverageView {
  wave: number;
  question_id: string;
  teams: number;
  answered: number;
  not_answered: number;
}
interface ReportOptionCountView {
  wave: number;
  question_id: string;
  option_code: string;
  teams: number;
  answered: number;
  not_answered: number;
}
interface ReportTeamStatusView {
  wave: number;
  status: string;
  teams: number;
}
interface ReportEstablishedByYearView {
  wave: number;
  year_established: number;
  teams: number;
  cumulative_teams: number;
}
interface ReportNetworkView {
  wave: number;
  team_id: Id;
  returned: boolean;
  registered: boolean;
  last_loaded_wave: number | null;
}
interface ReportTeamFlowView {
  wave: number;
  previous_wave: number | null;
  teams: number;
  new_teams: number;
  left_network: number;
  previous_no_return: number;
}
interface ReportHarmonisedCountView {
  wave: number;
  question_id: string;
  harmonised: string;
  teams: number;
  answered: number;
  not_answered: number;
}
interface ReportReturnStateView {
  wave: number;
  state: ReturnState;
  returns: number;
}
interface ReportIssueCountView {
  wave: number;
  code: string;
  severity: 'error' | 'warning' | 'info';
  issues: number;
  files: number;
}
interface ReportSourceFileView {
  wave: number;
  sha256: string;
  original_name: string;
  source_kind: string;
  received_at: Date;
  parent_sha256: string | null;
  size_bytes: Id;
}
interface ReportFoiRequestView {
  wave: number;
  request_id: Id;
  trust_ods: string;
  trust_name: string;
  successor_ods_code: string | null;
  sent_date: string;
  received_date: string;
  due_date: string;
  replies: number;
  first_reply_date: string | null;
}
interface ReportFoiValueView {
  wave: number;
  request_id: Id;
  trust_ods: string;
  response_id: Id;
  value_id: Id;
  question_id: string;
  period_id: string | null;
  period_type: string | null;
  period_start: string | null;
  period_end: string | null;
  period_label: string | null;
  flags: string[];
  age_band_label: string | null;
  age_band_exact: boolean | null;
  band_accepted: boolean | null;
  basis: 'received' | 'accepted' | null;
  service: string | null;
  yes_no: boolean | null;
  text_value: string | null;
  missing_reason: string | null;
  exemptions: string[];
  low: string | null;
  high: string | null;
  quote: string;
  from_months: boolean;
  suppressed: boolean;
  stated_total_differs: boolean;
}
interface ReportFoiTrustTeamView {
  wave: number;
  request_id: Id;
  trust_ods: string;
  team_wave: number;
  teams_hosted: number;
}
interface ReportCorrectionView {
  wave: number;
  kind: string;
  corrections: number;
  latest: Date | null;
}

/**
 * sql/010: corrections of coded FOI values and reviews of the audit's flags (pipeline/audit). A third
 * `Database` block, merged with the others, so these lines never touch theirs.
 */
export interface Database {
  correction: CorrectionTable;
  flag_review: FlagReviewTable;
  correction_in_force: CorrectionTable;
  foi_value_corrected: FoiValueCorrectedView;
}
interface CorrectionTable {
  id: Generated<string>;
  wave: number;
  value_id: Id;
  response_sha256: string;
  slot: string;
  low: Numeric | null;
  high: Numeric | null;
  flags: string[] | null;
  reverts: Id | null;
  made_by: string;
  reason: string;
  made_at: Timestamp;
  file_sha256: string | null;
  file_row: number | null;
}
interface FlagReviewTable {
  id: Generated<string>;
  wave: number;
  flag_id: string;
  reviewed_by: string;
  reason: string;
  reviewed_at: Timestamp;
}
/** foi_value_current with the latest correction in force applied; raw_* as the reply said. */
interface FoiValueCorrectedView extends Omit<FoiValueTable, 'id'> {
  id: string;
  correction_id: string | null;
  raw_low: string | null;
  raw_high: string | null;
  raw_flags: string[];
  slot: string;
}

/** sql/009: a record-level csv reply staged for counting in SQL (pipeline/ingest/foi/record-copy.ts). */
interface FoiReferralLoadTable {
  id: Generated<string>;
  sha256: string;
  wave: number;
  header_row: number;
  header: string[];
  age_unit: 'years' | 'months' | null;
  has_team: boolean;
  has_outcome: boolean;
  encoding: string;
  delimiter: string;
  rows_copied: ColumnType<number, number | undefined, number>;
  loaded_at: Timestamp;
}
/** sql/009: one staged data row, cells as the file has them; written only by COPY. */
interface FoiReferralRowTable {
  load_id: string;
  row_no: number;
  referral_date: string | null;
  age: string | null;
  team: string | null;
  outcome: string | null;
}
// Declaration merging: the tables of sql/009 join the Database interface above without editing it.
export interface Database {
  foi_referral_load: FoiReferralLoadTable;
  foi_referral_row: FoiReferralRowTable;
}
