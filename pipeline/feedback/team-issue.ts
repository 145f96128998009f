import { compareIssues } from '../../schemas/issue-order.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { STAFF_ONLY, teamLocation, teamSentence } from '../../schemas/team-wording.ts';
import { PERSONAL_MESSAGE, answerHint, redactor } from './advice.ts';

/**
 * The one way an issue is worded for the team that sent the return: the feedback workbook (summary
 * sheet and cell notes), its covering e-mail and the teams' self-check page all show these rows, so
 * a team reads the same sentence, place and "Please correct / Please check" for the same problem
 * wherever it sees it. Pure and browser-safe (the self-check page bundles it): no Node API, no exceljs.
 */
export interface FeedbackIssue {
  severity: string;
  sheet: string | null;
  cell: string | null;
  /** The question's label as the team saw it, or "" for the file as a whole. */
  question: string;
  /** Where the team finds it: "Questionnaire!C14", "'Staff and roles'!C3", "row 7", "the whole file" (teamLocation). */
  where: string;
  message: string;
}

/** An issue as census records it (a data_issue row) or reports it (an Issue's location, flattened). */
export interface RecordedIssue {
  code: string;
  severity: string;
  questionId?: string | null;
  raw?: string | null;
  sheet?: string | null;
  cell?: string | null;
  row?: number | null;
  column?: string | null;
}

const NEED: Record<string, string> = {
  error: 'Please correct',
  warning: 'Please check',
  info: 'For information',
};

/** How much an issue matters, as the team reads it. */
export function teamNeed(severity: string): string {
  return NEED[severity] ?? NEED.info!;
}

/**
 * The issues a team reads, in the order a person works through them (errors first, then sheet and
 * row in number order: C7 before C29), each in the team's words. Notes meant for census staff (a copy
 * in the same batch, a check not run, ...) are left out: a team would read "Please check your file."
 * with nothing to check. `personal` holds the respondent's own name and e-mail, removed from every
 * sentence (any other e-mail address is removed too); an issue on a personal question says only that
 * an answer in the respondent section needs checking.
 */
export function teamIssues(
  issues: readonly RecordedIssue[],
  list: QuestionList,
  personal: readonly (string | null)[] = [],
): FeedbackIssue[] {
  const byId = new Map(list.questions.map((q) => [q.id, q]));
  const personalIds = new Set(list.questions.filter((q) => q.personal).map((q) => q.id));
  const redact = redactor([...personal]);
  const where = (i: RecordedIssue) => ({
    sheet: i.sheet ?? undefined,
    cell: i.cell ?? undefined,
    row: i.row ?? undefined,
  });
  return issues
    .filter((i) => !STAFF_ONLY.has(i.code))
    .map((i, n) => ({ i, n }))
    .sort(
      (a, b) =>
        compareIssues(
          { severity: a.i.severity, file: '', where: where(a.i), code: a.i.code },
          { severity: b.i.severity, file: '', where: where(b.i), code: b.i.code },
        ) || a.n - b.n,
    )
    .map(({ i }) => {
      const id = i.questionId ?? null;
      const q = id !== null ? byId.get(id) : undefined;
      // "Date completed" is on the Instructions sheet, checked by validate but in no wave's question list:
      // its name and a date's hint, as for any date question.
      const dateCompleted = q === undefined && id === 'date_completed';
      const label = q?.label ?? (dateCompleted ? 'Date completed' : null);
      const raw = i.raw !== null && i.raw !== undefined && i.raw !== '' ? i.raw : null;
      const message =
        id !== null && personalIds.has(id)
          ? PERSONAL_MESSAGE
          : redact(
              teamSentence(i.code, { question: label, raw, hint: answerHint(dateCompleted ? { type: 'date' } : q) }),
            );
      return {
        severity: i.severity,
        sheet: i.sheet ?? null,
        cell: i.cell ?? null,
        question: label ?? '',
        where: teamLocation(i),
        message,
      };
    });
}
