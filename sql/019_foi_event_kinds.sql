-- FOI request events (issues 15 and 19): a retraction of an event, with its reason (events stay append-only:
-- a mistaken event is retracted by a new one naming it, never deleted); a public-interest extension
-- (FOIA s10(3)) with its new date; a complaint to the ICO (or the Scottish Information Commissioner) and
-- the regulator's decision.
alter table foi_status_event drop constraint foi_status_event_kind_check;
alter table foi_status_event add constraint foi_status_event_kind_check check (kind in ('reply', 'clarification_asked',
  'clarification_answered', 'internal_review_requested', 'internal_review_outcome', 'due_date_recomputed',
  'retraction', 'pi_extension', 'ico_complaint', 'ico_decision'));
