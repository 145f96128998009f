-- grain: one row per team per wave with a loaded return, with the team's coded attributes
create view report_team as
with loaded as (
  select tw.wave, tw.team_id, tw.return_id, tw.team_name
  from team_wave tw
),
coded as (
  select l.wave, l.team_id, l.return_id, l.team_name,
         max(a.text_value) filter (where a.question_id = 'status' and a.value_kind = 'code') as status,
         max(a.text_value) filter (where a.question_id = 'nation' and a.value_kind = 'code') as nation,
         max(a.text_value) filter (where a.question_id = 'region' and a.value_kind = 'code') as region,
         max(a.text_value) filter (where a.question_id = 'host_type' and a.value_kind = 'code') as host_type,
         max(a.text_value) filter (where a.question_id = 'host_ods_code' and a.value_kind = 'text') as host_ods_code,
         max(a.num_value) filter (where a.question_id = 'year_established' and a.value_kind = 'integer') as year_established
  from loaded l
  left join answer a on a.return_id = l.return_id
  group by l.wave, l.team_id, l.return_id, l.team_name
)
select wave, team_id, return_id, team_name, status, nation, region, host_type,
       upper(btrim(host_ods_code)) as host_ods_code, year_established::integer as year_established
from coded;
