-- grain: one row per loaded return per question of its wave (validate keeps an unasked or blank
-- question as missing, so every question of the list has a row); answered = not missing
create view report_answer as
with loaded as (
  select rt.wave, rt.team_id, rt.return_id, rt.status, rt.nation
  from report_team rt
),
answers as (
  select l.wave, l.team_id, l.return_id, l.status, l.nation, a.question_id,
         a.value_kind <> 'missing' as answered,
         a.value_kind, a.text_value, a.codes, a.low, a.high, a.open_high, a.approximate, a.band_code,
         a.num_value, a.missing_reason
  from loaded l
  join answer a on a.return_id = l.return_id
)
select * from answers;
