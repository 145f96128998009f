-- grain: one row per wave with a loaded return: new teams, and teams of the latest earlier wave
-- that have no return now, split into those registered as having left and the rest
create view report_team_flow as
with waves as (
  select distinct wave from team_wave
),
previous as (
  select w.wave, (select max(tw.wave) from team_wave tw where tw.wave < w.wave) as previous_wave
  from waves w
),
first_seen as (
  select team_id, min(wave) as first_wave
  from team_wave
  group by team_id
),
counted as (
  select p.wave, p.previous_wave,
         (select count(*) from team_wave tw where tw.wave = p.wave)::integer as teams,
         (select count(*) from first_seen f where f.first_wave = p.wave)::integer as new_teams,
         (select count(*) from team_wave tp
           where tp.wave = p.previous_wave
             and not exists (select 1 from team_wave tn where tn.wave = p.wave and tn.team_id = tp.team_id)
             and exists (select 1 from network_member m where m.team_id = tp.team_id and m.to_wave < p.wave))::integer as left_network,
         (select count(*) from team_wave tp
           where tp.wave = p.previous_wave
             and not exists (select 1 from team_wave tn where tn.wave = p.wave and tn.team_id = tp.team_id))::integer as previous_not_returned
  from previous p
)
select wave, previous_wave, teams, new_teams, left_network,
       previous_not_returned - left_network as previous_no_return
from counted;
