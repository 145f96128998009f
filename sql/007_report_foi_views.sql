-- Report marts of the FOI request to mental health trusts (spec/report.md section 6 and the FOI lines
-- of section 8), over the tables of sql/005. Question ids and the headline year are wave data
-- (schemas/foi/<wave>.json), so the views keep every question and period and the report picks.

-- The views of this migration moved to sql/views/ (one file per view, applied by every migrate):
-- report_foi_request, report_foi_value, report_foi_trust_team, report_correction.
