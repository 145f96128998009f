-- grain: one row per wave per question per harmonised category (sql/003): teams with a loaded return
-- choosing an option of the category, with the question's denominator
create view report_harmonised_count as
with chosen as (
  select h.wave, h.question_id, h.harmonised, h.return_id
  from answer_harmonised h
  join team_wave tw on tw.return_id = h.return_id
),
counted as (
  select wave, question_id, harmonised, count(distinct return_id)::integer as teams
  from chosen
  group by wave, question_id, harmonised
)
select c.wave, c.question_id, c.harmonised, c.teams, q.answered, q.not_answered
from counted c
join report_question_coverage q on q.wave = c.wave and q.question_id = c.question_id;
