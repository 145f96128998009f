-- grain: one row per file received for a wave: the content hashes a report build records as inputs
create view report_source_file as
select f.wave, f.sha256, f.original_name, f.source_kind, f.received_at, f.parent_sha256, r.size_bytes
from file_receipt f
join raw_file r on r.sha256 = f.sha256;
