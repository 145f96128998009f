-- Corrections of coded FOI values, and reviews of the audit's flags (spec/foi.md "Audit of under-two
-- referral counts"). A correction is data: it never overwrites the raw extraction in foi_value, it is
-- applied on read (foi_value_corrected) on every build, and a revert is a new row, never an edit.

-- The identity of a value that survives reprocessing: storeResponse deletes and re-inserts a reply's
-- automatic values, so their ids change, while the file, the question, the period, the band and the
-- place in the file do not. A correction names a value by id and is applied by this slot.
create function foi_value_slot(sha text, v foi_value) returns text language sql immutable parallel safe as $f$
  select md5(format('%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L',
    sha, v.question_id, v.period_id, v.period_start, v.period_end, v.basis, v.age_band_label, v.service,
    v.page, v.line, v.sheet, v.cell, v.row_no, v.method, v.coding_key, v.derived_from is not null))
$f$;

-- grain: one row per correction or revert a person recorded, in the order recorded. No foreign key to
-- foi_value: a reprocessed reply must neither be blocked by nor delete the corrections of its values.
create table correction (
  id bigint generated always as identity primary key,
  wave integer not null,
  -- the value named when the correction was made, and its reply file (for the audit trail)
  value_id bigint not null,
  response_sha256 text not null references raw_file (sha256),
  slot text not null,
  -- the interval in force from now on: high null = open above; flags null = keep the value's flags
  low numeric,
  high numeric,
  flags text[],
  -- a revert row names the correction it withdraws and carries no interval
  reverts bigint unique references correction (id),
  made_by text not null check (btrim(made_by) <> ''),
  reason text not null check (btrim(reason) <> ''),
  made_at timestamptz not null,
  -- a corrections file (census correct --file): its sha256 and row, for the audit trail
  file_sha256 text,
  file_row integer,
  check ((reverts is null) = (low is not null)),
  check (reverts is null or (high is null and flags is null)),
  check (high is null or high >= low),
  check (low is null or low >= 0)
);
create index correction_slot on correction (slot, id);

-- grain: one row per flag a person marked "reviewed, no change" (flag ids: pipeline/audit/flags.ts)
create table flag_review (
  id bigint generated always as identity primary key,
  wave integer not null,
  flag_id text not null,
  reviewed_by text not null check (btrim(reviewed_by) <> ''),
  reason text not null check (btrim(reason) <> ''),
  reviewed_at timestamptz not null
);
create index flag_review_flag on flag_review (wave, flag_id);

-- Both are the audit trail itself: append-only for everyone, like audit_log (sql/008).
create function correction_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed; record a revert or a new row instead', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger correction_no_change before update or delete on correction
  for each row execute function correction_append_only();
create trigger flag_review_no_change before update or delete on flag_review
  for each row execute function correction_append_only();

-- grain: one row per correction not reverted (reverts themselves are not listed)
create view correction_in_force as
select c.*
from correction c
where c.reverts is null
  and not exists (select 1 from correction r where r.reverts = c.id);

-- grain: one row per value in force (as foi_value_current), with the latest correction in force of its
-- slot applied; raw_* keep what the reply said
create view foi_value_corrected as
with current as (
  select v.*, foi_value_slot(r.sha256, v) as slot
  from foi_value v
  join foi_response r on r.id = v.response_id
  where not exists (select 1 from foi_value c where c.correction_of = v.id)
),
latest as (
  select distinct on (slot) slot, id, low, high, flags
  from correction_in_force
  order by slot, id desc
)
select v.id, v.response_id, v.question_id, v.period_id, v.period_start, v.period_end, v.period_label, v.period_type,
       case when c.id is null then v.low else c.low end as low,
       case when c.id is null then v.high else c.high end as high,
       coalesce(c.flags, v.flags) as flags,
       v.age_band_label, v.age_months_low, v.age_months_high, v.age_band_exact, v.band_accepted, v.basis, v.service,
       v.yes_no, v.text_value, v.exemptions,
       case when c.id is null then v.missing_reason end as missing_reason,
       v.page, v.line, v.sheet, v.cell, v.row_no, v.column_name, v.quote, v.derived_from, v.method, v.coded_by,
       v.coded_at, v.coding_key, v.correction_of, v.correction_reason,
       c.id as correction_id, v.low as raw_low, v.high as raw_high, v.flags as raw_flags, v.slot
from current v
left join latest c on c.slot = v.slot;

-- report_foi_value of sql/007, unchanged but for reading the corrected values: every build applies
-- the corrections in force (same columns, so create or replace keeps its dependants).
create or replace view report_foi_value as
with candidates as (
  select q.wave, q.id as request_id, q.trust_ods, r.id as response_id, v.id as value_id,
         v.question_id, v.period_id, v.period_type, v.period_start, v.period_end, v.period_label,
         v.flags, v.age_band_label, v.age_band_exact, v.band_accepted, v.basis, v.service,
         v.yes_no, v.text_value, v.missing_reason, v.exemptions, v.low, v.high, v.quote,
         coalesce(v.derived_from -> 0 -> 'period' ->> 'type' = 'month', false) as from_months
  from foi_request q
  join foi_response r on r.request_id = q.id and r.state = 'matched'
  join foi_value_corrected v on v.response_id = r.id
  where v.period_type is distinct from 'month'
),
ranked as (
  select c.*,
         row_number() over w as pick,
         count(*) over w as candidates,
         min(c.low) over w as min_low, max(c.low) over w as max_low,
         bool_or(c.high is null) over w as any_open, min(c.high) over w as min_high, max(c.high) over w as max_high
  from candidates c
  window w as (partition by c.request_id, c.question_id, c.period_id, c.basis, c.age_band_label
               order by c.from_months desc, c.response_id desc, c.value_id)
),
chosen as (
  select r.*
  from ranked r
  where r.pick = 1
)
select wave, request_id, trust_ods, response_id, value_id, question_id, period_id, period_type, period_start,
       period_end, period_label, flags, age_band_label, age_band_exact, band_accepted, basis, service, yes_no,
       text_value, missing_reason, exemptions, low, high, quote, from_months,
       'suppressed' = any (flags) as suppressed,
       candidates > 1 and (min_low <> max_low or any_open and max_high is not null or min_high <> max_high) as stated_total_differs
from chosen;

-- report_correction of sql/007 plus the corrections in force (a reverted correction no longer counts,
-- so a revert restores the earlier build byte for byte)
create or replace view report_correction as
with decisions as (
  select wave, 'return_decision'::text as kind, id, decided_at as made_at
  from return_decision
),
foi_corrections as (
  select r.wave, 'foi_value_correction'::text as kind, v.id, v.coded_at as made_at
  from foi_value v
  join foi_response r on r.id = v.response_id
  where v.correction_of is not null
),
audit_corrections as (
  select wave, 'foi_correction'::text as kind, id, made_at
  from correction_in_force
),
all_corrections as (
  select * from decisions
  union all
  select * from foi_corrections
  union all
  select * from audit_corrections
)
select wave, kind, count(*)::integer as corrections, max(made_at) as latest
from all_corrections
group by wave, kind;
