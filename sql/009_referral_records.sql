-- Record-level FOI replies (one row per referral) too large to hold in memory: their rows are
-- copied as text into a staging table (pipeline/foi/record-copy.ts, COPY FROM STDIN) and counted
-- here in SQL with the rules of sources/foi/records.ts aggregateRecords, which reads the small ones.
-- The functions below mirror that file cell for cell; test/pipeline/record-copy.test.ts holds the
-- two to the same answers.

-- grain: one row per record-level file per wave; a reload of the file replaces it and its rows
create table foi_referral_load (
  id bigint generated always as identity primary key,
  sha256 text not null references raw_file (sha256),
  wave integer not null,
  -- 1-based row of the header in the file, and its cells (the quote of every count made from it)
  header_row integer not null check (header_row >= 1),
  header text[] not null,
  -- the unit of the age column, from its header ("Age (months)"); null when the header does not say
  age_unit text check (age_unit in ('years', 'months')),
  has_team boolean not null,
  has_outcome boolean not null,
  encoding text not null,
  delimiter text not null,
  rows_copied bigint not null default 0,
  loaded_at timestamptz not null,
  unique (sha256, wave)
);

-- grain: one row per non-blank data row of a loaded file, cells as the file has them (trimmed).
-- No primary or foreign key: a million-row COPY would pay a per-row index insert and RI check for
-- them; rows are only ever written in bulk by one load and removed with it. BRIN on load_id because
-- a load's rows are appended together: a tiny index that still finds them without a full scan.
create table foi_referral_row (
  load_id bigint not null,
  row_no integer not null,
  referral_date text,
  age text,
  team text,
  outcome text
);
create index foi_referral_row_load on foi_referral_row using brin (load_id);

-- normalise() of sources/foi/coded.ts: lower case, Unicode dashes and quotes folded, runs of
-- JavaScript's \s to one space, trimmed
create function foi_normalise(t text) returns text language sql immutable strict parallel safe as $f$
  select btrim(regexp_replace(
    replace(replace(
      translate(lower(t), E'\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2018\u2019\u201b\u201c\u201d', E'-------\'\'\'""'),
      E'\u2264', '<='), E'\u2265', '>='),
    '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g'), ' ')
$f$;

-- iso() of records.ts: a real calendar date or null (31/13/2023, 29/02/2023); years below 100 are
-- null there too (JavaScript's Date.UTC reads them as 19xx)
create function foi_ymd(y integer, m integer, d integer) returns date language sql immutable parallel safe as $f$
  select case when y between 100 and 9999 and m between 1 and 12 and d >= 1 and d <= case
      when m = 2 then case when (y % 4 = 0 and y % 100 <> 0) or y % 400 = 0 then 29 else 28 end
      when m in (4, 6, 9, 11) then 30 else 31 end
    then make_date(y, m, d) end
$f$;

-- parseDateCell() of records.ts for a text cell: ISO, UK day-first, "3 Mar 2023"; two-digit years are
-- 20xx. Fields are cut with split_part once a pattern matched: regexp_match with several capture
-- groups costs ~1 ms a call on PostgreSQL 18 (measured), a plain ~ a few microseconds.
create function foi_referral_date(raw text) returns date language plpgsql immutable parallel safe as $f$
declare
  t text := foi_normalise(coalesce(raw, ''));
  p text[];
begin
  if t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[t ][0-9:.z+-]*)?$' then
    return foi_ymd(substr(t, 1, 4)::integer, substr(t, 6, 2)::integer, substr(t, 9, 2)::integer);
  end if;
  if t ~ '^[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})(?: [0-9:]+)?$' then
    p := string_to_array(translate(split_part(t, ' ', 1), '.-', '//'), '/');
  elsif t ~ '^[0-9]{1,2}[ -][a-z]{3}[a-z]*\.?[ -](?:[0-9]{4}|[0-9]{2})$' then
    p := string_to_array(translate(t, ' ', '-'), '-');
    p[2] := array_position(array['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], left(p[2], 3))::text;
  else
    return null;
  end if;
  return foi_ymd(case when length(p[3]) = 2 then 2000 + p[3]::integer else p[3]::integer end, p[2]::integer, p[1]::integer);
end
$f$;

-- parseAgeCell() of records.ts: months, or null when unreadable; a bare number of 2 or more with no
-- unit in header or cell is null too, and foi_age_unit_unknown tells that case apart
create function foi_age_months(raw text, unit text) returns numeric language plpgsql immutable parallel safe as $f$
declare
  t text := foi_normalise(coalesce(raw, ''));
  -- the numbers of the cell in order: units are letters and commas, never digits or dots
  n text[] := string_to_array(btrim(regexp_replace(t, '[^0-9.]+', ' ', 'g')), ' ');
begin
  if t ~ '^[0-9]+(?:\.[0-9]+)? *(?:y|yrs?|years?)(?:,? *[0-9]+ *(?:m|mths?|months?))?$' then
    return n[1]::numeric * 12 + coalesce(n[2]::numeric, 0);
  end if;
  if t ~ '^[0-9]+(?:\.[0-9]+)? *(?:m|mths?|months?)$' then return n[1]::numeric; end if;
  if t !~ '^[0-9]+(?:\.[0-9]+)?$' then return null; end if;
  if t::numeric > 1500 then return null; end if;
  if unit = 'months' then return t::numeric; end if;
  if unit = 'years' then return t::numeric * 12; end if;
  return case when t::numeric < 2 then t::numeric end;
end
$f$;

create function foi_age_unit_unknown(raw text, unit text) returns boolean language plpgsql immutable parallel safe as $f$
declare
  t text := foi_normalise(coalesce(raw, ''));
begin
  if unit is not null or t !~ '^[0-9]+(\.[0-9]+)?$' then return false; end if;
  return t::numeric between 2 and 1500;
end
$f$;

-- outcomeOf() of records.ts: true accepted, false not, null unreadable; JavaScript's \b is an ASCII
-- word boundary, spelt out because PostgreSQL's word characters include non-ASCII letters
create function foi_referral_accepted(raw text) returns boolean language plpgsql immutable parallel safe as $f$
declare
  t text := foi_normalise(coalesce(raw, ''));
begin
  if t ~ '(^|[^A-Za-z0-9_])(not accepted|rejected|declined|signposted|redirected|refused)($|[^A-Za-z0-9_])' or t ~ '^(n|no|false|0)$' then
    return false;
  end if;
  if t ~ '(^|[^A-Za-z0-9_])accepted($|[^A-Za-z0-9_])' or t ~ '^(y|yes|true|1|accept)$' then return true; end if;
  return null;
end
$f$;

-- grain: one row per staged row of a load, with the asked period it counts in or the reason it is
-- left out, as aggregateRecords decides: unreadable date, then unreadable age ('unknown_unit': a bare
-- number of 2 or more with no unit), then age of 24 months or more, then outside every period; the
-- first period in the wave's order that holds the date wins. `asked`: [{"ord", "start", "end"}].
-- Each distinct cell is parsed once (a million rows hold a few thousand dates and ages); the
-- parsed CTEs are materialized, else the planner pulls the parse up into the million-row join.
create function foi_referral_classified(one_load bigint, asked jsonb)
returns table (row_no integer, reason text, period_ord integer, team text, accepted boolean, raw_date text, raw_age text)
language sql stable parallel safe as $f$
  with r as not materialized (
    select x.row_no, coalesce(x.referral_date, '') as d, coalesce(x.age, '') as a, nullif(x.team, '') as team, coalesce(x.outcome, '') as o
    from foi_referral_row x where x.load_id = one_load
  ),
  unit as (select l.age_unit from foi_referral_load l where l.id = one_load),
  periods as (select p.ord, p.start, p."end" from jsonb_to_recordset(asked) as p(ord integer, start date, "end" date)),
  dates as materialized (
    select y.d, y.v, (select min(p.ord) from periods p where y.v between p.start and p."end") as ord
    from (select z.d, foi_referral_date(z.d) as v from (select distinct r.d from r) z) y
  ),
  ages as materialized (
    select y.a, y.v, y.v is null and foi_age_unit_unknown(y.a, (select age_unit from unit)) as unknown_unit
    from (select z.a, foi_age_months(z.a, (select age_unit from unit)) as v from (select distinct r.a from r) z) y
  ),
  outcomes as materialized (select z.o, foi_referral_accepted(z.o) as v from (select distinct r.o from r) z)
  select r.row_no,
    case when dates.v is null then 'unreadable_date'
      when ages.v is null then case when ages.unknown_unit then 'unknown_unit' else 'unreadable_age' end
      when ages.v >= 24 then 'age_24_months_or_more'
      when dates.ord is null then 'outside_period' end,
    case when dates.v is not null and ages.v < 24 then dates.ord end,
    r.team, outcomes.v, r.d, r.a
  from r join dates on dates.d = r.d join ages on ages.a = r.a join outcomes on outcomes.o = r.o
$f$;
