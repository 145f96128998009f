-- The audit log chained by hash: each row carries the hash of the row before it (prev_hash) and
-- its own (row_hash = sha256 over prev_hash and the row's fields), so a row changed, removed or
-- slipped in afterwards (by a superuser with the append-only trigger off, or in a forged backup)
-- breaks the chain; `census verify --history` and restore recompute it and name the first row
-- that does not match.

alter table audit_log add column prev_hash text, add column row_hash text;

-- The row's hash: fields joined by the unit separator, the time in UTC with microseconds, the
-- detail as jsonb's canonical text; immutable, so verify recomputes exactly what insert wrote. Not
-- strict: a row with no wave or no detail (a team alias) is hashed with '' in their place.
create function audit_log_row_hash(prev text, id bigint, at timestamptz, actor text, action text, wave integer, detail jsonb)
returns text language sql immutable parallel safe as $$
  select encode(sha256(convert_to(concat_ws(chr(31),
    prev, id::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action,
    coalesce(wave::text, ''), coalesce(detail::text, '')), 'UTF8')), 'hex')
$$;

-- Chains a new row to the last one. The lock serialises appends until commit, and the id is
-- drawn after it, so id order is chain order. A row arriving with its hashes (a restore) must
-- fit the chain as it stands, or the insert fails naming it.
create function audit_log_chain() returns trigger language plpgsql security definer
set search_path = public, pg_temp as $$
declare
  last text;
begin
  perform pg_advisory_xact_lock(7261002, 8);
  select a.row_hash into last from audit_log a order by a.id desc limit 1;
  last := coalesce(last, '');
  if new.row_hash is null then
    new.id := nextval(pg_get_serial_sequence('public.audit_log', 'id'));
    new.prev_hash := last;
    new.row_hash := audit_log_row_hash(last, new.id, new.at, new.actor, new.action, new.wave, new.detail);
  elsif new.prev_hash is distinct from last
     or new.row_hash <> audit_log_row_hash(new.prev_hash, new.id, new.at, new.actor, new.action, new.wave, new.detail) then
    raise exception 'audit_log row % does not match the hash chain (altered, removed or inserted out of order)', new.id
      using errcode = 'data_exception';
  end if;
  return new;
end;
$$;

-- Rows already there are chained in id order, once (the append-only trigger is off for this
-- backfill only, inside the migration's transaction).
alter table audit_log disable trigger audit_log_no_update;
do $$
declare
  r record;
  last text := '';
  h text;
begin
  for r in select * from audit_log order by id loop
    h := audit_log_row_hash(last, r.id, r.at, r.actor, r.action, r.wave, r.detail);
    update audit_log set prev_hash = last, row_hash = h where id = r.id;
    last := h;
  end loop;
end $$;
alter table audit_log enable trigger audit_log_no_update;

alter table audit_log alter column prev_hash set not null, alter column row_hash set not null;

create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();
