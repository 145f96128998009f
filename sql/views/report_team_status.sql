-- grain: one row per wave per status code ('not_answered' when the team did not say)
create view report_team_status as
with coded as (
  select wave, coalesce(status, 'not_answered') as status
  from report_team
)
select wave, status, count(*)::integer as teams
from coded
group by wave, status;
