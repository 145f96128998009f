-- The FOI confidence gate (issue 15): each automatic value records the rule that read it and its
-- evidence; a value read by a weak rule, or where two readings of the reply disagree, is stored as a
-- suggestion (why in `suggestion`) that feeds no figure until a person confirms it on the coding sheet.
alter table foi_value add column rule text;
alter table foi_value add column evidence text;
alter table foi_value add column suggestion text;
alter table foi_value add constraint foi_value_suggestion_automatic check (suggestion is null or method = 'automatic');

-- outcomeOf() of records.ts, as changed with it: advice only, no further action and the like are not
-- "accepted (assessed or treated)"; "assessed" or "treated" alone is.
create or replace function foi_referral_accepted(raw text) returns boolean language plpgsql immutable parallel safe as $f$
declare
  t text := foi_normalise(coalesce(raw, ''));
begin
  if t ~ '(^|[^A-Za-z0-9_])(not accepted|rejected|declined|signposted|redirected|refused|advice only|advice given|advice|no further action|nfa|inappropriate|not appropriate|withdrawn)($|[^A-Za-z0-9_])' or t ~ '^(n|no|false|0)$' then
    return false;
  end if;
  if t ~ '(^|[^A-Za-z0-9_])accepted($|[^A-Za-z0-9_])' or t ~ '^(y|yes|true|1|accept|assessed|treated)$' then return true; end if;
  return null;
end
$f$;
