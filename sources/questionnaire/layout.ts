/**
 * The 2025 template's layout, shared by the writer and the reader so they cannot drift. The reader
 * does not trust these positions (teams insert rows and columns): it finds columns by header and
 * content, and only falls back to these names.
 */
export const QUESTIONNAIRE_SHEET = 'Questionnaire';
export const STAFFING_SHEET = 'Staffing';
export const ABOUT_SHEET = 'About';
export const LISTS_SHEET = 'Lists';

export const HEADERS = { id: 'id', label: 'Question', answer: 'Answer', notes: 'Notes' } as const;
export const STAFFING_HEADERS = { id: 'id', label: 'Discipline', answer: 'WTE' } as const;

export const ABOUT_LABELS = {
  wave: 'Wave',
  period: 'Reporting period',
  version: 'Template version',
  dateCompleted: 'Date completed',
} as const;

/** Row id of a multi question's option row, and its label: the survey tool's per-option convention. */
export function optionRowId(questionId: string, optionCode: string): string {
  return `${questionId}:${optionCode}`;
}
export function optionRowLabel(questionLabel: string, optionLabel: string): string {
  return `${questionLabel}: ${optionLabel}`;
}
