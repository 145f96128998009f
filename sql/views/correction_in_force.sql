-- grain: one row per correction not reverted (reverts themselves are not listed)
create view correction_in_force as
select c.*
from correction c
where c.reverts is null
  and not exists (select 1 from correction r where r.reverts = c.id);
