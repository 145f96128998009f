import { formatLocation, type Issue } from '../../schemas/issue.ts';
import { compareIssues } from '../../schemas/issue-order.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { teamSentence } from '../../schemas/team-wording.ts';
import { answerHint } from '../feedback/advice.ts';

/**
 * An issue as the self-check page shows it to a team: where (the cell, as `census check` prints
 * it), how much it matters ("Please correct" / "Please check", as in the feedback workbook), the
 * question's label, and the plain sentence of schemas/team-wording.ts with the same question label,
 * typed text and hint the feedback workbook uses. No code, id or staff advice.
 */
export interface TeamIssue {
  severity: Issue['severity'];
  need: string;
  /** "Questionnaire!C40", or "(whole file)". */
  at: string;
  question: string;
  sentence: string;
}

const NEED: Record<Issue['severity'], string> = {
  error: 'Please correct',
  warning: 'Please check',
  info: 'For information',
};

/** The issues of one file in the order `census check` lists them, each in the team's words. */
export function teamIssues(issues: readonly Issue[], list: QuestionList, fileName: string): TeamIssue[] {
  const byId = new Map(list.questions.map((q) => [q.id, q]));
  return [...issues]
    .sort((a, b) =>
      compareIssues({ ...a, file: fileName, where: a.location }, { ...b, file: fileName, where: b.location }),
    )
    .map((i) => {
      const q = i.questionId !== undefined ? byId.get(i.questionId) : undefined;
      return {
        severity: i.severity,
        need: NEED[i.severity],
        at: formatLocation(i.location),
        question: q?.label ?? '',
        sentence: teamSentence(i.code, {
          question: q?.label ?? null,
          raw: i.raw !== undefined && i.raw !== '' ? i.raw : null,
          hint: answerHint(q),
        }),
      };
    });
}
