-- grain: one row per value in force (a value corrected by a later one is left out)
create view foi_value_current as
select v.*
from foi_value v
where not exists (select 1 from foi_value c where c.correction_of = v.id);
