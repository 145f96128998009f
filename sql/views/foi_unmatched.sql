-- grain: one row per reply file per wave matched to no request, waiting for a person
create view foi_unmatched as
with receipt as (
  select sha256, wave, original_name, received_at from file_receipt
)
select r.id as response_id, r.wave, r.sha256, f.original_name, r.source_kind, r.parent_sha256,
       r.trust_ods, r.match_method, r.match_detail, r.trust_hint, r.needs_manual_coding, f.received_at
from foi_response r
join receipt f on f.sha256 = r.sha256 and f.wave = r.wave
where r.request_id is null;
