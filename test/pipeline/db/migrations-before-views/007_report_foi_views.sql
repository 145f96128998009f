-- Report marts of the FOI request to mental health trusts (spec/report.md section 6 and the FOI lines
-- of section 8), over the tables of sql/005. Question ids and the headline year are wave data
-- (schemas/foi/<wave>.json), so the views keep every question and period and the report picks.

-- grain: one row per FOI request (one trust asked in one wave), with its replies
create view report_foi_request as
with replies as (
  select request_id, count(*)::integer as replies, min(reply_date) as first_reply_date
  from foi_response
  where state = 'matched'
  group by request_id
)
select q.wave, q.id as request_id, q.trust_ods, t.name as trust_name, t.successor_ods_code,
       q.sent_date, q.received_date, q.due_date,
       coalesce(r.replies, 0) as replies, r.first_reply_date
from foi_request q
join trust t on t.ods_code = q.trust_ods
left join replies r on r.request_id = q.id;

-- grain: one row per request x question x asked period x basis x age band as given: the value in force
-- that the report uses. Month values are parts, not rows. Where a reply gives both a stated total for
-- a period and its months, the sum of the months is used (spec/report.md) and stated_total_differs
-- says whether the stated total disagreed; a later reply's value wins over an earlier one.
create view report_foi_value as
with candidates as (
  select q.wave, q.id as request_id, q.trust_ods, r.id as response_id, v.id as value_id,
         v.question_id, v.period_id, v.period_type, v.period_start, v.period_end, v.period_label,
         v.flags, v.age_band_label, v.age_band_exact, v.band_accepted, v.basis, v.service,
         v.yes_no, v.text_value, v.missing_reason, v.exemptions, v.low, v.high, v.quote,
         coalesce(v.derived_from -> 0 -> 'period' ->> 'type' = 'month', false) as from_months
  from foi_request q
  join foi_response r on r.request_id = q.id and r.state = 'matched'
  join foi_value_current v on v.response_id = r.id
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

-- grain: one row per FOI request per questionnaire wave: the teams of that wave whose host is the
-- trust (by ODS code, or the trust's successor after a merger), linking trusts to parent-infant teams
create view report_foi_trust_team as
with hosts as (
  select rt.wave as team_wave, rt.host_ods_code, count(*)::integer as teams
  from report_team rt
  where rt.host_ods_code is not null and rt.host_ods_code <> ''
  group by rt.wave, rt.host_ods_code
),
linked as (
  select q.wave, q.request_id, q.trust_ods, h.team_wave, sum(h.teams)::integer as teams_hosted
  from report_foi_request q
  join hosts h on h.host_ods_code = q.trust_ods or h.host_ods_code = q.successor_ods_code
  group by q.wave, q.request_id, q.trust_ods, h.team_wave
)
select wave, request_id, trust_ods, team_wave, teams_hosted
from linked;

-- grain: one row per wave per kind of correction: changes people made to the data after loading
-- (decisions on returns, and corrected FOI values)
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
all_corrections as (
  select * from decisions
  union all
  select * from foi_corrections
)
select wave, kind, count(*)::integer as corrections, max(made_at) as latest
from all_corrections
group by wave, kind;
