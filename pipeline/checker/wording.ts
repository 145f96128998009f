import type { Issue } from '../../schemas/issue.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { teamIssues as feedbackIssues, teamNeed } from '../feedback/team-issue.ts';

/**
 * An issue as the self-check page shows it to a team: the row the feedback workbook gives for the
 * same problem (pipeline/feedback/team-issue.ts, one wording for both): where (the sheet reference
 * of the summary sheet, e.g. `Questionnaire!C40`, `'Staff and roles'!C3`, "the whole file"), how much
 * it matters ("Please correct" / "Please check"), the question's label and the plain sentence. No
 * code, id or staff advice; notes meant for census staff are left out as in feedback.
 */
export interface TeamIssue {
  severity: Issue['severity'];
  need: string;
  at: string;
  question: string;
  sentence: string;
}

/** The issues of one file as `census check` reports them, in the order and words of the feedback workbook. */
export function teamIssues(issues: readonly Issue[], list: QuestionList): TeamIssue[] {
  return feedbackIssues(
    issues.map((i) => ({
      code: i.code,
      severity: i.severity,
      questionId: i.questionId,
      raw: i.raw,
      sheet: i.location.sheet,
      cell: i.location.cell,
      row: i.location.row,
      column: i.location.column,
    })),
    list,
  ).map((f) => ({
    severity: f.severity as Issue['severity'],
    need: teamNeed(f.severity),
    at: f.where,
    question: f.question,
    sentence: f.message,
  }));
}
