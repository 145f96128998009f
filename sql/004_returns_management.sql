-- Returns management: decisions people take on returns, and the teams registered in the network.

-- one row per decision a person took on one return. A return is named by (sha256, wave, part), not by
-- questionnaire_return.id: re-ingesting a file replaces its return rows and their ids, and the decision
-- must outlive that. The latest decision of a return (highest id) is the one that applies.
--   keep      this return is the team's return for the wave; the others then present are superseded
--   as_team   this return belongs to team_id, not to the team its name matched
--   new_team  as as_team, for a team created by the decision
create table return_decision (
  id bigint generated always as identity primary key,
  sha256 text not null references raw_file (sha256),
  wave integer not null,
  part integer not null default 0,
  decision text not null check (decision in ('keep', 'as_team', 'new_team')),
  -- keep: the team the return was kept for; as_team / new_team: the team it belongs to
  team_id bigint not null references team (id),
  decided_by text not null check (btrim(decided_by) <> ''),
  reason text not null check (btrim(reason) <> ''),
  decided_at timestamptz not null
);
create index return_decision_return on return_decision (sha256, wave, part);

-- one row per period a team is known to belong to the network (census teams add), whether or not it
-- has sent a return; to_wave null = still a member. A period that ended takes the team out of later
-- waves' network even when it sent returns before.
create table network_member (
  id bigint generated always as identity primary key,
  team_id bigint not null references team (id),
  from_wave integer not null,
  to_wave integer,
  note text,
  created_at timestamptz not null,
  check (to_wave is null or to_wave >= from_wave)
);
create index network_member_team on network_member (team_id);

-- who confirmed an alias ('confirmed' aliases are a person's word that a name is this team)
alter table team_alias add column confirmed_by text, add column reason text;
