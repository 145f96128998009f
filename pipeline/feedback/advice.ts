/**
 * What a team should do about each issue, in words for the team (the issue message is written for
 * the census staff as much as for them), and the guard that keeps personal data out of feedback.
 */
const BY_CODE: Record<string, string> = {
  required_missing: 'Fill in the marked answer; this question must be answered.',
  year_on_year_change:
    'Check the marked answer against last time; if it is right, no change is needed (you may add a note).',
  template_version_mismatch:
    'No change needed if your answers are complete; next time please start from the current template.',
  label_unmatched:
    'This row is not one of our questions, so its answer was not read. Move the answer to the right question, or delete the row.',
  duplicate_question_row: 'The question appears twice; keep one row and delete the other.',
  sum_mismatch: 'Check that the staffing rows add up to the total.',
  exceeds_other_answer: 'Check both answers: one is larger than the other allows.',
  less_than_other_answer: 'Check both answers: one should be at least as large as the other.',
  should_be_blank: 'This question does not apply to your team; clear the answer if it was entered by mistake.',
};

export function whatToDo(code: string, severity: string): string {
  const known = BY_CODE[code];
  if (known) return known;
  if (severity === 'error')
    return 'Correct the marked answer and send the workbook back; the return cannot be counted until it is fixed.';
  if (severity === 'warning') return 'Check the marked answer; change it only if it is wrong.';
  return 'For information; no action needed.';
}

export const PERSONAL_MESSAGE = 'An answer in the respondent section needs checking.';

/**
 * Replaces the respondent's own details, and any e-mail address, with "[removed]": an issue message
 * quotes raw input, and a name typed into the wrong cell must not travel into the summary sheet.
 */
export function redactor(personal: (string | null)[]): (text: string) => string {
  const needles = personal
    .flatMap((p) => (p ? [p, ...p.split(/\s*\n\s*/)] : []))
    .map((p) => p.trim())
    .filter((p) => p.length >= 3)
    .sort((a, b) => b.length - a.length);
  const patterns = needles.map((n) => new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'));
  return (text) => {
    let out = text;
    for (const p of patterns) out = out.replace(p, '[removed]');
    // Any other e-mail address too: it can only be someone's.
    return out.replace(/[^\s@"'<>()]+@[^\s@"'<>()]+\.[a-z]{2,}/gi, '[removed]');
  };
}
