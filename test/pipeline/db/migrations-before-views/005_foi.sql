-- FOI requests to mental health trusts (spec/foi.md): the trust list, the request register with its
-- dated events, and the replies coded to values.

-- one row per trust of reference/nhs_mental_health_trusts_england.csv. Filled by code
-- (pipeline/foi/trust-table.ts), not here: the list is versioned reference data that changes with
-- mergers, while a landed migration never changes; each row records the sha256 of the file it came from.
create table trust (
  ods_code text primary key check (ods_code ~ '^[A-Z0-9]{3,5}$'),
  name text not null,
  region text not null,
  postcode text,
  mh_confidence text not null,
  opened date,
  closed date,
  successor_ods_code text,
  reference_sha256 text not null check (reference_sha256 ~ '^[0-9a-f]{64}$'),
  loaded_at timestamptz not null
);

-- one row per trust asked per wave
create table foi_request (
  id bigint generated always as identity primary key,
  wave integer not null,
  -- the trust asked, as it was on the sent date (a later merger does not move the request)
  trust_ods text not null references trust (ods_code),
  sent_date date not null,
  received_date date not null,
  our_ref text,
  their_ref text,
  due_date date not null,
  -- pipeline/foi/calendar.ts DueDate: every day skipped and why, and a one-line summary
  due_explanation jsonb not null,
  calendar_version text not null,
  trust_list_sha256 text not null,
  -- a research team's register: its typed status and notes, kept as a note only (status is derived)
  register_note text,
  created_at timestamptz not null,
  unique (wave, trust_ods),
  check (received_date >= sent_date),
  check (due_date > received_date)
);

-- one row per reply file per wave, matched to a request or waiting in the unmatched queue
create table foi_response (
  id bigint generated always as identity primary key,
  sha256 text not null references raw_file (sha256),
  wave integer not null,
  source_kind text not null,
  -- an e-mail attachment: the e-mail it came in
  parent_sha256 text references raw_file (sha256),
  request_id bigint references foi_request (id),
  -- the trust the reply is attributed to (a successor after a merger) and the one it names itself
  trust_ods text references trust (ods_code),
  matched_ods text references trust (ods_code),
  match_method text check (match_method in ('ods', 'domain', 'name', 'successor', 'manual')),
  match_score numeric,
  match_detail text,
  matched_by text,
  matched_at timestamptz,
  trust_hint jsonb not null default '{}'::jsonb,
  reply_date date,
  basis jsonb,
  records jsonb,
  needs_manual_coding boolean not null,
  state text not null check (state in ('matched', 'unmatched')),
  rule_version text not null,
  run_id bigint references ingest_run (id),
  processed_at timestamptz not null,
  unique (sha256, wave),
  check ((state = 'matched') = (request_id is not null)),
  check ((match_method = 'manual') = (matched_by is not null))
);

-- one row per dated event of a request; the status history is derived from these (pipeline/foi/status.ts)
create table foi_status_event (
  id bigint generated always as identity primary key,
  request_id bigint not null references foi_request (id),
  event_date date not null,
  kind text not null check (kind in ('reply', 'clarification_asked', 'clarification_answered',
    'internal_review_requested', 'internal_review_outcome', 'due_date_recomputed')),
  -- command: typed by a person (never changed); register: from the team's register file (replaced by
  -- its next load); response: a reply file (replaced when that file is reprocessed)
  source text not null check (source in ('command', 'register', 'response')),
  response_id bigint references foi_response (id) on delete cascade,
  detail jsonb not null default '{}'::jsonb,
  note text,
  recorded_at timestamptz not null,
  check ((source = 'response') = (response_id is not null))
);
create unique index foi_status_event_once on foi_status_event (request_id, kind, event_date, source) where response_id is null;
create unique index foi_status_event_response on foi_status_event (response_id) where response_id is not null;
create index foi_status_event_request on foi_status_event (request_id, event_date);

-- History typed by a person is append-only: a correction is a new event, never an edit.
create function foi_status_event_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' or old.source = 'command' then
    raise exception 'foi_status_event % is append-only (source %): record a new event instead', old.id, old.source;
  end if;
  return old;
end
$$;
create trigger foi_status_event_append_only before update or delete on foi_status_event
  for each row execute function foi_status_event_append_only();

-- one row per coded value of a reply: a count per question x period x basis x age band, a yes/no or
-- text answer, or a missing answer with its reason
create table foi_value (
  id bigint generated always as identity primary key,
  response_id bigint not null references foi_response (id) on delete cascade,
  question_id text not null,
  -- the wave's asked period this value answers, when its dates match one
  period_id text,
  period_start date,
  period_end date,
  period_label text,
  period_type text check (period_type in ('financial_year', 'calendar_year', 'part_year', 'month')),
  low numeric,
  -- null with a low: open above
  high numeric,
  flags text[] not null default '{}',
  age_band_label text,
  age_months_low integer,
  age_months_high integer,
  age_band_exact boolean,
  -- a person's decision on a band_mismatch value: null undecided
  band_accepted boolean,
  basis text check (basis in ('received', 'accepted')),
  service text,
  yes_no boolean,
  text_value text,
  exemptions text[] not null default '{}',
  missing_reason text check (missing_reason in ('not_held', 'withheld', 'refused', 'ncnd')),
  page integer,
  line integer,
  sheet text,
  cell text,
  row_no integer,
  column_name text,
  quote text not null,
  derived_from jsonb,
  method text not null check (method in ('automatic', 'coded')),
  coded_by text,
  coded_at timestamptz,
  -- the coding-sheet row a coded value came from
  coding_key text,
  correction_of bigint references foi_value (id),
  correction_reason text,
  check ((method = 'coded') = (coded_by is not null and coded_at is not null and coding_key is not null)),
  check (missing_reason is null or (low is null and high is null)),
  check (high is null or (low is not null and high >= low)),
  check (period_end is null or period_end >= period_start)
);
create index foi_value_response on foi_value (response_id, question_id);
create unique index foi_value_correction on foi_value (correction_of) where correction_of is not null;

-- grain: one row per value in force (a value corrected by a later one is left out)
create view foi_value_current as
select v.*
from foi_value v
where not exists (select 1 from foi_value c where c.correction_of = v.id);

-- grain: one row per reply file per wave matched to no request, waiting for a person
create view foi_unmatched as
with receipt as (
  select sha256, wave, original_name, received_at from file_receipt
)
select r.id as response_id, r.wave, r.sha256, f.original_name, r.source_kind, r.parent_sha256,
       r.trust_ods, r.match_method, r.match_detail, r.trust_hint, r.needs_manual_coding, f.received_at
from foi_response r
join receipt f on f.sha256 = r.sha256 and f.wave = r.wave
where r.request_id is null;
