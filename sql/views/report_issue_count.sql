-- grain: one row per wave per issue code per severity: issues found in the wave's files
create view report_issue_count as
with counted as (
  select wave, code, severity, count(*)::integer as issues, count(distinct sha256)::integer as files
  from data_issue
  group by wave, code, severity
)
select wave, code, severity, issues, files
from counted;
