-- FOI (issue 15, foi.md "Who replied": "replies from a shared FOI office answering for two trusts"): a
-- joint reply answers the requests of several trusts. The file's own row (joint_ods null) answers the
-- first of them; each other trust's part is a row of its own for the same file (joint_ods = that trust),
-- matched to its request, with that trust's values (sources/foi/joint.ts) and its own reply event.
alter table foi_response add column joint_ods text references trust (ods_code);
alter table foi_response drop constraint foi_response_sha256_wave_key;
create unique index foi_response_file on foi_response (sha256, wave) where joint_ods is null;
create unique index foi_response_joint_part on foi_response (sha256, wave, joint_ods) where joint_ods is not null;
alter table foi_response add constraint foi_response_joint_matched check (joint_ods is null or request_id is not null);
