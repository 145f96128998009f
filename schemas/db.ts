import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in sql/ migrations. One interface per table. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Numeric = ColumnType<string, number | string, number | string>;
type DateCol = ColumnType<string, string, string>;

export interface RawFileTable {
  sha256: string;
  size_bytes: ColumnType<string, number, number>;
  media_type: string;
  first_name: string;
  first_received_at: Timestamp;
}

export interface IngestRunTable {
  id: Generated<string>;
  wave: number;
  command: string;
  code_version: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: ColumnType<'running' | 'done' | 'done_with_errors' | 'failed', string | undefined, string>;
  counts: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface FileReceiptTable {
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

export interface StageOutcomeTable {
  run_id: string;
  sha256: string;
  stage: 'receive' | 'extract' | 'validate' | 'normalise' | 'load';
  status: 'ok' | 'issues' | 'failed' | 'skipped';
  issue_count: number;
  detail: string | null;
}

export interface DataIssueTable {
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

export interface TeamTable {
  id: Generated<string>;
  name: string;
  host_organisation: string | null;
  created_at: Timestamp;
}

export interface TeamAliasTable {
  id: Generated<string>;
  team_id: string;
  name_key: string;
  host_key: string;
  method: 'exact' | 'alias' | 'confirmed';
  created_at: Timestamp;
}

export type ReturnState = 'loaded' | 'superseded' | 'conflict' | 'rejected';

export interface QuestionnaireReturnTable {
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

export interface AnswerTable {
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

export interface RespondentTable {
  return_id: string;
  name: string | null;
  email: string | null;
  comments: string | null;
}

export interface SchemaMigrationTable {
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
  team_wave: TeamWaveView;
  teams_by_nation_status: TeamsByNationStatusView;
}

export interface TeamWaveView { wave: number; team_id: string; return_id: string; team_name: string }
export interface TeamsByNationStatusView { wave: number; nation: string; status: string; teams: number }
