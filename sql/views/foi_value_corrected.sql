-- grain: one row per value in force (as foi_value_current), with the latest correction in force of its
-- slot applied; raw_* keep what the reply said
create view foi_value_corrected as
with current as (
  -- A joint reply's part for another trust (sql/022) has slots of its own: a correction is one trust's.
  select v.*, foi_value_slot(r.sha256 || coalesce('@' || r.joint_ods, ''), v) as slot
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
       c.id as correction_id, v.low as raw_low, v.high as raw_high, v.flags as raw_flags, v.slot,
       v.rule, v.evidence, v.suggestion
from current v
left join latest c on c.slot = v.slot;
