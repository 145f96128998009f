import type { Issue } from '../../../schemas/issue.ts';
import { ISSUE_CODES, type IssueCodeEntry } from '../../../schemas/issue-codes.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import type { AnswerValue } from '../../../schemas/answer.ts';
import type { Validation } from '../../../schemas/stage.ts';

/** normalise: validated answers -> the rows of the answer, respondent and return tables. */
interface AnswerRow {
  question_id: string;
  value_kind: AnswerValue['kind'];
  text_value: string | null;
  codes: string[] | null;
  low: number | null;
  high: number | null;
  approximate: boolean;
  open_high: boolean;
  band_code: string | null;
  num_value: number | null;
  date_value: string | null;
  missing_reason: string | null;
  raw_text: string | null;
  sheet: string | null;
  cell: string | null;
  row_no: number | null;
  column_name: string | null;
  match_method: string | null;
  match_score: number | null;
}

interface NormalisedReturn {
  part: number;
  /** Why the whole return is kept out (a file-level problem), or null: answer-level problems never block. */
  blocked: string | null;
  teamName: string | null;
  hostOrganisation: string | null;
  answers: AnswerRow[];
  /** Personal data, kept apart: never logged, never reported. */
  respondent: { name: string | null; email: string | null; comments: string | null };
  templateVersion: string | null;
  dateCompleted: string | null;
  issues: Issue[];
}

export interface NormalisedFile {
  file: Validation['file'];
  returns: NormalisedReturn[];
  issues: Issue[];
}

function columns(
  v: AnswerValue,
): Pick<
  AnswerRow,
  | 'value_kind'
  | 'text_value'
  | 'codes'
  | 'low'
  | 'high'
  | 'approximate'
  | 'open_high'
  | 'band_code'
  | 'num_value'
  | 'date_value'
  | 'missing_reason'
> {
  const base = {
    value_kind: v.kind,
    text_value: null,
    codes: null,
    low: null,
    high: null,
    approximate: false,
    open_high: false,
    band_code: null,
    num_value: null,
    date_value: null,
    missing_reason: null,
  };
  switch (v.kind) {
    case 'text':
      return { ...base, text_value: v.text };
    case 'text_list':
      return { ...base, codes: v.items };
    case 'code':
      return { ...base, text_value: v.code };
    case 'codes':
      return { ...base, codes: v.codes };
    case 'interval':
      return {
        ...base,
        low: v.low,
        high: v.high,
        approximate: v.approximate,
        open_high: v.openHigh,
        band_code: v.bandCode ?? null,
      };
    case 'number':
    case 'integer':
      return { ...base, num_value: v.value };
    case 'date':
      return { ...base, date_value: v.iso };
    case 'missing':
      return { ...base, missing_reason: v.reason };
  }
}

function textOf(v: AnswerValue | undefined): string | null {
  return v?.kind === 'text' ? v.text : null;
}

/** Which personal question fills which respondent column; any other personal question joins comments. */
const PERSONAL_COLUMN: Record<string, 'name' | 'email' | 'comments'> = {
  respondent_name: 'name',
  respondent_email: 'email',
  comments: 'comments',
};

/**
 * What keeps a return out (questionnaire.md "What a problem in a return does to it"): only an
 * error about the file as a whole (catalogue `touches: 'file'`). An error about one answer, a row's
 * cross-field check or a table's layout leaves the answer missing (`unreadable`, raw text kept) or
 * flagged; the return loads and counts, and the issue waits for follow-up.
 */
function fileLevelBlock(issues: readonly Issue[]): string | null {
  const codes = ISSUE_CODES as Record<string, IssueCodeEntry>;
  const hit = issues.find((i) => i.severity === 'error' && codes[i.code]?.touches === 'file');
  if (!hit) return null;
  // The first sentence says what; the whole message (with what to do) stays in census issues.
  const what = /^.*?[.!?](?=\s|$)/.exec(hit.message)?.[0] ?? hit.message;
  return `${hit.code}: ${what.slice(0, 200)} (see census issues)`;
}

export function normalise(v: Validation, list: QuestionList): NormalisedFile {
  const personal = new Set(list.questions.filter((q) => q.personal).map((q) => q.id));
  const returns = v.returns.map((r): NormalisedReturn => {
    const byId = new Map(r.answers.map((a) => [a.questionId, a.value]));
    const respondent = { name: null as string | null, email: null as string | null, comments: null as string | null };
    for (const id of personal) {
      const t = textOf(byId.get(id));
      if (t === null) continue;
      const col = PERSONAL_COLUMN[id] ?? 'comments';
      respondent[col] = respondent[col] ? `${respondent[col]}\n${t}` : t;
    }
    const answers = r.answers
      .filter((a) => !personal.has(a.questionId))
      .map((a): AnswerRow => ({
        question_id: a.questionId,
        ...columns(a.value),
        raw_text: a.rawText,
        sheet: a.location.sheet ?? null,
        cell: a.location.cell ?? null,
        row_no: a.location.row ?? null,
        column_name: a.location.column ?? null,
        match_method: a.match?.method ?? null,
        match_score: a.match?.score ?? null,
      }));
    // Issues about personal answers keep their location but never their text.
    const issues = r.issues.map((i) => (i.questionId && personal.has(i.questionId) ? { ...i, raw: undefined } : i));
    return {
      part: r.part,
      blocked: fileLevelBlock(r.issues),
      teamName: textOf(byId.get('team_name')),
      hostOrganisation: textOf(byId.get('host_organisation')),
      answers,
      respondent,
      templateVersion: r.templateVersion,
      dateCompleted: r.dateCompleted,
      issues,
    };
  });
  return { file: v.file, returns, issues: v.issues };
}
