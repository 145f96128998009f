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

-- The views of this migration moved to sql/views/ (one file per view, applied by every migrate):
-- correction_in_force, foi_value_corrected, and the final report_foi_value and report_correction.
