-- FOI replies matched by reference (issue 15): our reference (PIP-FOI-2024-017) or the trust's own
-- reference from the register, and attachments sent as files of their own linked to their covering
-- e-mail by a shared reference or name stem ('email').
alter table foi_response drop constraint foi_response_match_method_check;
alter table foi_response add constraint foi_response_match_method_check
  check (match_method in ('ods', 'domain', 'name', 'successor', 'manual', 'our_ref', 'their_ref', 'email'));
