-- Report marts of the questionnaire (spec/report.md sections 1-5, 7, 8). Every figure of the annual
-- report is read from these views; the report code only adds interval arithmetic and formatting.
-- All views count loaded returns only (team_wave, sql/002): a superseded, conflicting or rejected
-- return never feeds a figure.

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

-- grain: one row per loaded return per question of its wave (validate keeps an unasked or blank
-- question as missing, so every question of the list has a row); answered = not missing
create view report_answer as
with loaded as (
  select rt.wave, rt.team_id, rt.return_id, rt.status, rt.nation
  from report_team rt
),
answers as (
  select l.wave, l.team_id, l.return_id, l.status, l.nation, a.question_id,
         a.value_kind <> 'missing' as answered,
         a.value_kind, a.text_value, a.codes, a.low, a.high, a.open_high, a.approximate, a.band_code,
         a.num_value, a.missing_reason
  from loaded l
  join answer a on a.return_id = l.return_id
)
select * from answers;

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

-- grain: one row per wave per question per option code chosen by at least one team (single, yes_no
-- and multi answers); a multi-choice question counts each team once per option
create view report_option_count as
with chosen as (
  select wave, question_id, return_id, text_value as option_code
  from report_answer
  where value_kind = 'code'
  union
  select wave, question_id, return_id, unnest(codes) as option_code
  from report_answer
  where value_kind = 'codes'
),
counted as (
  select wave, question_id, option_code, count(distinct return_id)::integer as teams
  from chosen
  group by wave, question_id, option_code
)
select c.wave, c.question_id, c.option_code, c.teams, q.answered, q.not_answered
from counted c
join report_question_coverage q on q.wave = c.wave and q.question_id = c.question_id;

-- grain: one row per wave per status code ('not_answered' when the team did not say)
create view report_team_status as
with coded as (
  select wave, coalesce(status, 'not_answered') as status
  from report_team
)
select wave, status, count(*)::integer as teams
from coded
group by wave, status;

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

-- grain: one row per wave per return state (loaded, superseded, conflict, rejected)
create view report_return_state as
select wave, state, count(*)::integer as returns
from questionnaire_return
group by wave, state;

-- grain: one row per wave per issue code per severity: issues found in the wave's files
create view report_issue_count as
with counted as (
  select wave, code, severity, count(*)::integer as issues, count(distinct sha256)::integer as files
  from data_issue
  group by wave, code, severity
)
select wave, code, severity, issues, files
from counted;

-- grain: one row per file received for a wave: the content hashes a report build records as inputs
create view report_source_file as
select f.wave, f.sha256, f.original_name, f.source_kind, f.received_at, f.parent_sha256, r.size_bytes
from file_receipt f
join raw_file r on r.sha256 = f.sha256;
