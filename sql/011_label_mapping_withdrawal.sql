-- Label mappings for hand-made returns, and withdrawn returns (issue 14).

-- one row per label of a wave that matched no question and that a person mapped once
-- (`census questions map`): to a question id, or to nothing (question_id null: the label is ignored).
-- Labels are compared by their normalised form (label_key); label keeps the text as first written.
-- Every file of the wave is read with its wave's mappings; changes are recorded in audit_log.
create table label_mapping (
  wave integer not null,
  label_key text not null check (label_key <> ''),
  label text not null,
  question_id text check (question_id ~ '^[a-z][a-z0-9_]*$'),
  mapped_by text not null check (btrim(mapped_by) <> ''),
  mapped_at timestamptz not null,
  primary key (wave, label_key)
);

-- one row per withdrawal of a return, or undo of one (`census returns withdraw [--undo]`). A return is
-- named by (sha256, wave, part), as in return_decision, so the withdrawal outlives a re-ingest that
-- replaces the return rows. The latest row of a return (highest id) applies.
create table return_withdrawal (
  id bigint generated always as identity primary key,
  sha256 text not null references raw_file (sha256),
  wave integer not null,
  part integer not null default 0,
  withdrawn boolean not null,
  decided_by text not null check (btrim(decided_by) <> ''),
  reason text not null check (btrim(reason) <> ''),
  decided_at timestamptz not null
);
create index return_withdrawal_return on return_withdrawal (sha256, wave, part);
