-- Two teams of the register a person has said are different teams (`census teams distinct`), so
-- `census teams candidates` no longer lists the pair as possibly one team and the network's count is
-- no longer said to be in doubt because of it. Kept with who said it, when and why; the lower team id
-- first, one row per pair.
create table team_distinct (
  id bigint generated always as identity primary key,
  team_a bigint not null references team (id),
  team_b bigint not null references team (id),
  decided_by text not null,
  reason text,
  created_at timestamptz not null,
  check (team_a < team_b),
  unique (team_a, team_b)
);
