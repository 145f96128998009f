-- grain: one row per wave per year established: teams first seeing families that year, and the
-- cumulative number established by the end of it (teams that did not give a year are left out)
create view report_established_by_year as
with per_year as (
  select wave, year_established, count(*)::integer as teams
  from report_team
  where year_established is not null
  group by wave, year_established
)
select wave, year_established, teams,
       (sum(teams) over (partition by wave order by year_established))::integer as cumulative_teams
from per_year;
