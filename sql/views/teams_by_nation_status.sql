-- grain: one row per wave x nation x status; teams with a loaded return
create view teams_by_nation_status as
with coded as (
  select tw.wave, tw.team_id,
         max(a.text_value) filter (where a.question_id = 'nation' and a.value_kind = 'code') as nation,
         max(a.text_value) filter (where a.question_id = 'status' and a.value_kind = 'code') as status
  from team_wave tw
  join answer a on a.return_id = tw.return_id
  group by tw.wave, tw.team_id
)
select wave,
       coalesce(nation, 'not_answered') as nation,
       coalesce(status, 'not_answered') as status,
       count(*)::integer as teams
from coded
group by wave, coalesce(nation, 'not_answered'), coalesce(status, 'not_answered');
