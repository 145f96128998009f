/**
 * The template's layout, shared by the writer and the reader so they cannot drift. The reader
 * does not trust these positions (teams insert rows and columns): it finds columns by header and
 * content, and only falls back to these names.
 */
export const QUESTIONNAIRE_SHEET = 'Questionnaire';
export const STAFFING_SHEET = 'Staffing';
/**
 * The first sheet since issue 19: how to fill it in, the wave stamp and "Date completed". Templates
 * before it kept these on an "About" third sheet; the reader finds them by label on any sheet.
 */
export const INSTRUCTIONS_SHEET = 'Instructions';
export const LISTS_SHEET = 'Lists';

export const HEADERS = { id: 'id', label: 'Question', answer: 'Answer', notes: 'Notes' } as const;
export const STAFFING_HEADERS = { id: 'id', label: 'Discipline', answer: 'WTE' } as const;

/** Labels of the stamp cells, read wherever they are (label cell, value in the cell to its right). */
export const ABOUT_LABELS = {
  wave: 'Wave',
  period: 'Reporting period',
  version: 'Template version',
  dateCompleted: 'Date completed',
} as const;

/** The mark a required question carries in the Notes column (never in the label, which the reader matches). */
export const REQUIRED_MARK = '(required)';

/** Row id of a multi question's option row, and its label: the survey tool's per-option convention. */
export function optionRowId(questionId: string, optionCode: string): string {
  return `${questionId}:${optionCode}`;
}
export function optionRowLabel(questionLabel: string, optionLabel: string): string {
  return `${questionLabel}: ${optionLabel}`;
}
