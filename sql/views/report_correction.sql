-- grain: one row per wave per kind of correction: changes people made to the data after loading
-- (decisions on returns, corrected FOI values, and the corrections in force: a reverted correction no
-- longer counts, so a revert restores the earlier build byte for byte)
create view report_correction as
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
