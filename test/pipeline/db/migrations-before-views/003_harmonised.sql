-- Harmonised option categories for cross-wave tables (questionnaire.md "Question bank"): an older
-- wave's option that cannot be split (2019 "NHS") and the finer 2025 options meet in one category.

-- one row per wave x question x option code that the wave's question list maps to a harmonised category;
-- written from the question list whenever the wave is ingested, so it always matches the loaded codes
create table option_harmonised (
  wave integer not null,
  question_id text not null,
  option_code text not null,
  harmonised text not null,
  primary key (wave, question_id, option_code)
);

-- grain: one row per return x question x harmonised category (a category once, however many of its options were chosen)
create view answer_harmonised as
with chosen as (
  select a.return_id, r.wave, a.question_id, unnest(a.codes) as option_code
  from answer a
  join questionnaire_return r on r.id = a.return_id
  where a.value_kind = 'codes'
  union all
  select a.return_id, r.wave, a.question_id, a.text_value as option_code
  from answer a
  join questionnaire_return r on r.id = a.return_id
  where a.value_kind = 'code'
),
mapped as (
  select c.return_id, c.wave, c.question_id, h.harmonised
  from chosen c
  join option_harmonised h on h.wave = c.wave and h.question_id = c.question_id and h.option_code = c.option_code
)
select distinct return_id, wave, question_id, harmonised
from mapped;
