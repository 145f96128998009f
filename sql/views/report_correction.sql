-- grain: one row per wave per kind of correction: changes people made to the data after loading
-- (decisions on returns, corrected FOI values, and the corrections in force: a reverted correction no
-- longer counts, so a revert restores the earlier build byte for byte). A cell corrected again counts
-- once: of FOI values coded by hand, only the one in force (a later coding replaces the earlier), and of
-- census correct's corrections only the latest in force of each value's slot (the one applied).
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
    and not exists (select 1 from foi_value later where later.correction_of = v.id)
),
audit_corrections as (
  select distinct on (wave, slot) wave, 'foi_correction'::text as kind, id, made_at
  from correction_in_force
  order by wave, slot, id desc
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
