-- grain: one row per wave per question per option code chosen by at least one team (single, yes_no
-- and multi answers); a multi-choice question counts each team once per option
create view report_option_count as
with chosen as (
  select wave, question_id, return_id, text_value as option_code
  from report_answer
  where value_kind = 'code'
  union
  select wave, question_id, return_id, unnest(codes) as option_code
  from report_answer
  where value_kind = 'codes'
),
counted as (
  select wave, question_id, option_code, count(distinct return_id)::integer as teams
  from chosen
  group by wave, question_id, option_code
)
select c.wave, c.question_id, c.option_code, c.teams, q.answered, q.not_answered
from counted c
join report_question_coverage q on q.wave = c.wave and q.question_id = c.question_id;
