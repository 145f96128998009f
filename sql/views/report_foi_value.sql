-- grain: one row per request x question x asked period x basis x age band as given: the value in force
-- that the report uses, with the corrections in force applied (foi_value_corrected), so every build
-- applies them. Month values are parts, not rows. Where a reply gives both a stated total for a period
-- and its months, the sum of the months is used (spec/report.md) and stated_total_differs says whether
-- the stated total disagreed; a later reply's value wins over an earlier one (by the reply's date, so a
-- corrected reply that "supersedes our letter dated 2 April" wins whatever order the files were loaded in).
create view report_foi_value as
with candidates as (
  select q.wave, q.id as request_id, q.trust_ods, r.id as response_id, v.id as value_id,
         v.question_id, v.period_id, v.period_type, v.period_start, v.period_end, v.period_label,
         v.flags, v.age_band_label, v.age_band_exact, v.band_accepted, v.basis, v.service,
         v.yes_no, v.text_value, v.missing_reason, v.exemptions, v.low, v.high, v.quote,
         coalesce(v.derived_from -> 0 -> 'period' ->> 'type' = 'month', false) as from_months,
         r.reply_date, r.sha256
  from foi_request q
  join foi_response r on r.request_id = q.id and r.state = 'matched'
  join foi_value_corrected v on v.response_id = r.id
  where v.period_type is distinct from 'month'
    -- the confidence gate: a suggestion feeds no figure until a person confirms it (a coded value)
    and v.suggestion is null
    -- a person's coding of a reply's question and period replaces what was read from that reply automatically
    -- (an automatic value is no suggestion when its band was not the asked one: a person coding that row
    -- decides it, whatever band it keeps)
    and not (v.method = 'automatic' and exists (
      select 1 from foi_value_corrected p
      where p.response_id = v.response_id and p.question_id = v.question_id
        and p.period_id is not distinct from v.period_id and p.basis is not distinct from v.basis
        and p.method <> 'automatic'))
),
ranked as (
  select c.*,
         row_number() over w as pick,
         count(*) over w as candidates,
         min(c.low) over w as min_low, max(c.low) over w as max_low,
         bool_or(c.high is null) over w as any_open, min(c.high) over w as min_high, max(c.high) over w as max_high
  from candidates c
  -- the asked band however a reply labels it ("0-23 months", "under 2"): one slot, so a later reply replaces it
  window w as (partition by c.request_id, c.question_id, c.period_id, c.basis,
                            case when c.age_band_exact then '(asked band)' else c.age_band_label end
               order by c.from_months desc, c.reply_date desc nulls last, c.sha256, c.response_id desc, c.value_id)
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
