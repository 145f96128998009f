-- The audit chain keyed (issue 17): each row also carries a seal, HMAC-SHA256 of its row_hash under
-- the workspace's own key (<workspace>/.census/audit.key, 0600, outside the database). The key
-- reaches the database only as session settings that the pipeline's connections set at start-up
-- (census.audit_ikey / census.audit_okey: HMAC's inner and outer padded keys), never stored in it.
-- A superuser who rewrites a row and recomputes every later row_hash (the unkeyed chain, sql/013)
-- cannot recompute the seals: `census verify --history` and restore name every row whose seal does
-- not match. A session without the key writes rows unsealed, which verify names too.

alter table audit_log add column seal text;

-- HMAC-SHA256(key, row_hash) from the session's padded keys; null in a session without them.
create function audit_log_seal(row_hash text) returns text language sql stable parallel safe as $$
  select case
    when coalesce(current_setting('census.audit_ikey', true), '') = ''
      or coalesce(current_setting('census.audit_okey', true), '') = '' then null
    else encode(sha256(decode(current_setting('census.audit_okey', true), 'hex')
      || sha256(decode(current_setting('census.audit_ikey', true), 'hex') || convert_to(row_hash, 'UTF8'))), 'hex')
  end
$$;

-- As sql/013, and the seal: a new row is sealed with the session's key; a row arriving with its
-- hashes (a restore) keeps its seal only if it is this key's seal of that row, and is sealed now
-- if it came without one (a backup made before this migration).
create or replace function audit_log_chain() returns trigger language plpgsql security definer
set search_path = public, pg_temp as $$
declare
  last text;
  expected text;
begin
  perform pg_advisory_xact_lock(7261002, 8);
  select a.row_hash into last from audit_log a order by a.id desc limit 1;
  last := coalesce(last, '');
  if new.row_hash is null then
    new.id := nextval(pg_get_serial_sequence('public.audit_log', 'id'));
    new.prev_hash := last;
    new.row_hash := audit_log_row_hash(last, new.id, new.at, new.actor, new.action, new.wave, new.detail);
    new.seal := audit_log_seal(new.row_hash);
  elsif new.prev_hash is distinct from last
     or new.row_hash <> audit_log_row_hash(new.prev_hash, new.id, new.at, new.actor, new.action, new.wave, new.detail) then
    raise exception 'audit_log row % does not match the hash chain (altered, removed or inserted out of order)', new.id
      using errcode = 'data_exception';
  else
    expected := audit_log_seal(new.row_hash);
    if new.seal is null then
      new.seal := expected;
    elsif expected is not null and new.seal <> expected then
      raise exception 'audit_log row % does not match the hash chain''s seal (rewritten without the workspace''s audit key)', new.id
        using errcode = 'data_exception';
    end if;
  end if;
  return new;
end;
$$;

-- Rows already there are sealed as they stand, once, when the migration runs with the key (the
-- append-only trigger is off for this only, inside the migration's transaction).
alter table audit_log disable trigger audit_log_no_update;
update audit_log set seal = audit_log_seal(row_hash) where seal is null and audit_log_seal(row_hash) is not null;
alter table audit_log enable trigger audit_log_no_update;
