-- Core ledger: received files, ingest runs, stage outcomes, data issues.

create table raw_file (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint not null,
  media_type text not null,
  first_name text not null,
  first_received_at timestamptz not null
);

create table ingest_run (
  id bigint generated always as identity primary key,
  wave integer not null,
  command text not null,
  code_version text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null default 'running' check (status in ('running', 'done', 'done_with_errors', 'failed')),
  counts jsonb not null default '{}'::jsonb
);

-- one row per file received for a wave; the same bytes received again for the same wave are a no-op
create table file_receipt (
  id bigint generated always as identity primary key,
  sha256 text not null references raw_file (sha256),
  wave integer not null,
  original_name text not null,
  source_kind text not null,
  received_at timestamptz not null,
  run_id bigint references ingest_run (id),
  parent_sha256 text references raw_file (sha256),
  -- the rule version this file was last fully processed with; equal to the current one = skip on rerun
  processed_rule_version text,
  unique (sha256, wave)
);

create table stage_outcome (
  run_id bigint not null references ingest_run (id),
  sha256 text not null references raw_file (sha256),
  stage text not null check (stage in ('receive', 'extract', 'validate', 'normalise', 'load')),
  status text not null check (status in ('ok', 'issues', 'failed', 'skipped')),
  issue_count integer not null default 0,
  detail text,
  primary key (run_id, sha256, stage)
);

-- one row per data problem found in one file of one wave; replaced whenever that file is reprocessed
create table data_issue (
  id bigint generated always as identity primary key,
  -- null only for a file refused before it was stored (too large, unreadable path)
  sha256 text references raw_file (sha256),
  file_name text not null,
  run_id bigint references ingest_run (id),
  wave integer not null,
  code text not null check (code ~ '^[a-z][a-z0-9_]*$'),
  severity text not null check (severity in ('error', 'warning', 'info')),
  message text not null,
  question_id text,
  sheet text,
  cell text,
  page integer,
  line integer,
  row_no integer,
  column_name text,
  raw text
);
create index data_issue_file on data_issue (sha256, wave);

-- Teams and their identity across waves and renames.
create table team (
  id bigint generated always as identity primary key,
  name text not null,
  host_organisation text,
  created_at timestamptz not null
);

create table team_alias (
  id bigint generated always as identity primary key,
  team_id bigint not null references team (id),
  name_key text not null,
  host_key text not null default '',
  method text not null check (method in ('exact', 'alias', 'confirmed')),
  created_at timestamptz not null,
  unique (name_key, host_key)
);

-- one row per questionnaire file per wave
create table questionnaire_return (
  id bigint generated always as identity primary key,
  sha256 text not null references raw_file (sha256),
  wave integer not null,
  source_kind text not null,
  -- a survey export holds many returns: the row of the export this return came from (0 for a workbook)
  part integer not null default 0,
  team_id bigint references team (id),
  team_match text check (team_match in ('exact', 'alias', 'confirmed', 'new')),
  state text not null check (state in ('loaded', 'superseded', 'conflict', 'rejected')),
  state_reason text,
  template_version text,
  date_completed date,
  received_at timestamptz not null,
  rule_version text not null,
  run_id bigint references ingest_run (id),
  unique (sha256, wave, part)
);

-- one row per question per return, in its stored form (questionnaire.md "Answer types")
create table answer (
  return_id bigint not null references questionnaire_return (id) on delete cascade,
  question_id text not null,
  value_kind text not null check (value_kind in ('text', 'text_list', 'code', 'codes', 'interval', 'number', 'integer', 'date', 'missing')),
  text_value text,
  codes text[],
  low numeric,
  high numeric,
  approximate boolean not null default false,
  open_high boolean not null default false,
  band_code text,
  num_value numeric,
  date_value date,
  missing_reason text,
  raw_text text,
  sheet text,
  cell text,
  row_no integer,
  column_name text,
  match_method text,
  match_score numeric,
  primary key (return_id, question_id)
);

-- personal data: kept apart, never reported, exported or logged
create table respondent (
  return_id bigint primary key references questionnaire_return (id) on delete cascade,
  name text,
  email text,
  comments text
);
