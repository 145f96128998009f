-- grain: one row per FOI request (one trust asked in one wave), with its replies
create view report_foi_request as
with replies as (
  select request_id, count(*)::integer as replies, min(reply_date) as first_reply_date
  from foi_response
  where state = 'matched'
    -- a clarification request or holding e-mail is not a reply, unless a person coded it as one (sql/021)
    and (reply_kind is null
         or exists (select 1 from foi_value v where v.response_id = foi_response.id and v.method = 'coded'))
  group by request_id
)
select q.wave, q.id as request_id, q.trust_ods, t.name as trust_name, t.successor_ods_code,
       q.sent_date, q.received_date, q.due_date,
       coalesce(r.replies, 0) as replies, r.first_reply_date
from foi_request q
join trust t on t.ods_code = q.trust_ods
left join replies r on r.request_id = q.id;
