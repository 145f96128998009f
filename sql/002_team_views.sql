-- Staging views of the questionnaire.

-- The views of this migration moved to sql/views/ (one file per view, applied by every migrate):
-- team_wave, teams_by_nation_status.
