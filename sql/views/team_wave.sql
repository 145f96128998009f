-- grain: one row per team per wave, the team's loaded return (superseded, conflict and rejected returns never count)
create view team_wave as
select r.wave, r.team_id, r.id as return_id, t.name as team_name
from questionnaire_return r
join team t on t.id = r.team_id
where r.state = 'loaded';
