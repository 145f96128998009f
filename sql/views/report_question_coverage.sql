-- grain: one row per wave per question: the question's denominator (teams that answered) and the
-- number of teams with a loaded return that did not answer it
create view report_question_coverage as
with counted as (
  select wave, question_id,
         count(*)::integer as teams,
         count(*) filter (where answered)::integer as answered
  from report_answer
  group by wave, question_id
)
select wave, question_id, teams, answered, teams - answered as not_answered
from counted;
