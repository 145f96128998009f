-- grain: one row per wave per return state (loaded, superseded, conflict, rejected)
create view report_return_state as
select wave, state, count(*)::integer as returns
from questionnaire_return
group by wave, state;
