-- Append-only audit log and wave locks.

-- grain: one row per action a person or the pipeline took (ingest, correction, coding sheet load,
-- resolve, report build, lock, unlock); never updated or deleted
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor text not null,
  action text not null check (action ~ '^[a-z][a-z0-9_]*$'),
  wave integer,
  detail jsonb not null default '{}'::jsonb
);
create index audit_log_wave on audit_log (wave, id);

-- The log is append-only for everyone, the pipeline's own role included (a trigger binds
-- superusers too, which GRANTs alone would not).
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
revoke update, delete, truncate on audit_log from public;

-- grain: one row per locked wave; unlocking deletes the row and logs who and why
create table wave_lock (
  wave integer primary key,
  locked_at timestamptz not null,
  locked_by text not null,
  reason text not null
);
