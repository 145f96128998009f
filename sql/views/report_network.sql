-- grain: one row per wave per team in the wave's network: teams expected to return (registered for
-- the wave, or loaded in an earlier wave and not registered as left before it) and teams that returned
create view report_network as
with waves as (
  select distinct wave from questionnaire_return
  union
  select distinct from_wave as wave from network_member
),
registered as (
  select w.wave, m.team_id
  from waves w
  join network_member m on m.from_wave <= w.wave and (m.to_wave is null or m.to_wave >= w.wave)
),
left_before as (
  select w.wave, m.team_id
  from waves w
  join network_member m on m.to_wave < w.wave
),
earlier as (
  select w.wave, tw.team_id, max(tw.wave) as last_wave
  from waves w
  join team_wave tw on tw.wave < w.wave
  group by w.wave, tw.team_id
),
expected as (
  select wave, team_id from registered
  union
  select e.wave, e.team_id from earlier e
  where not exists (select 1 from left_before l where l.wave = e.wave and l.team_id = e.team_id)
),
network as (
  select wave, team_id from expected
  union
  select wave, team_id from team_wave
)
select n.wave, n.team_id,
       exists (select 1 from team_wave tw where tw.wave = n.wave and tw.team_id = n.team_id) as returned,
       exists (select 1 from registered r where r.wave = n.wave and r.team_id = n.team_id) as registered,
       e.last_wave as last_loaded_wave
from network n
left join earlier e on e.wave = n.wave and e.team_id = n.team_id;
