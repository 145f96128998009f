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

-- The views of this migration moved to sql/views/ (one file per view, applied by every migrate):
-- answer_harmonised.
