-- FOI (issue 15): a trust's mail that is not its reply: it asks us to clarify the request (the status is
-- clarification and the statutory clock restarts when we answer), or it says the reply will be late (a
-- holding e-mail). Stored with the file like any reply, so it is matched and kept; pipeline/foi/register-status.ts
-- reads its event as a clarification request or as nothing, never as the reply, unless a person coded it.
alter table foi_response add column reply_kind text check (reply_kind in ('clarification', 'holding'));
