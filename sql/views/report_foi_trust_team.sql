-- grain: one row per FOI request per questionnaire wave: the teams of that wave whose host is the
-- trust (by ODS code, or the trust's successor after a merger), linking trusts to parent-infant teams
create view report_foi_trust_team as
with hosts as (
  select rt.wave as team_wave, rt.host_ods_code, count(*)::integer as teams
  from report_team rt
  where rt.host_ods_code is not null and rt.host_ods_code <> ''
  group by rt.wave, rt.host_ods_code
),
linked as (
  select q.wave, q.request_id, q.trust_ods, h.team_wave, sum(h.teams)::integer as teams_hosted
  from report_foi_request q
  join hosts h on h.host_ods_code = q.trust_ods or h.host_ods_code = q.successor_ods_code
  group by q.wave, q.request_id, q.trust_ods, h.team_wave
)
select wave, request_id, trust_ods, team_wave, teams_hosted
from linked;
