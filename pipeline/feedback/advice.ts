import type { Question } from '../../schemas/question-list.ts';

/**
 * What a good answer looks like, per question type, for the team's sentence (schemas/team-wording.ts),
 * and the guard that keeps personal data out of feedback.
 */
export function answerHint(q: Pick<Question, 'type' | 'bands' | 'options'> | undefined): string {
  if (!q) return '';
  switch (q.type) {
    case 'count':
      return 'Please give a number or a range, e.g. 40 or 40-50.';
    case 'band':
      return `Please choose one of: ${(q.bands ?? []).map((b) => b.label).join('; ')}.`;
    case 'single':
      return `Please choose one of: ${(q.options ?? []).map((o) => o.label).join('; ')}.`;
    case 'multi':
      return 'Please answer Yes on each row that applies, or leave it blank.';
    case 'yes_no':
      return 'Please answer Yes or No.';
    case 'decimal':
      return 'Please give a number, e.g. 1.5.';
    case 'days':
      return 'Please give a whole number of days, e.g. 28.';
    case 'year':
      return 'Please give a 4-digit year, e.g. 2016.';
    case 'date':
      return 'Please type the date day first, e.g. 31/03/2025.';
    default:
      return '';
  }
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
