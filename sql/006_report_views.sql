-- Report marts of the questionnaire (spec/report.md sections 1-5, 7, 8). Every figure of the annual
-- report is read from these views; the report code only adds interval arithmetic and formatting.
-- All views count loaded returns only (team_wave, sql/002): a superseded, conflicting or rejected
-- return never feeds a figure.

-- The views of this migration moved to sql/views/ (one file per view, applied by every migrate):
-- report_team, report_answer, report_question_coverage, report_option_count, report_team_status,
-- report_established_by_year, report_network, report_team_flow, report_harmonised_count,
-- report_return_state, report_issue_count, report_source_file.
