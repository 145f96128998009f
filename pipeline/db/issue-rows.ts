import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { formatLocation, issue, type Issue, type IssueCode, type Location } from '../../schemas/issue.ts';

/** Issues as data_issue rows and back: the one mapping between the Issue value and its columns. */

type IssueRecord = Pick<
  Selectable<Database['data_issue']>,
  | 'sha256'
  | 'code'
  | 'severity'
  | 'message'
  | 'question_id'
  | 'sheet'
  | 'cell'
  | 'page'
  | 'line'
  | 'row_no'
  | 'column_name'
  | 'raw'
>;

/** Where a stored issue points, as a Location: issueRow's columns read back. */
function rowLocation(r: IssueRecord): Location {
  return {
    ...(r.sha256 !== null ? { fileHash: r.sha256 } : {}),
    sheet: r.sheet ?? undefined,
    cell: r.cell ?? undefined,
    page: r.page ?? undefined,
    line: r.line ?? undefined,
    row: r.row_no ?? undefined,
    column: r.column_name ?? undefined,
  };
}

/** A stored data_issue row as the Issue it was stored from (the inverse of issueRow). */
export function issueFromRow(r: IssueRecord): Issue {
  // Cast, not checked: a row stored by an older version may carry a code today's catalogue no longer
  // lists (data_issue.code is text), and it must still read back as it was stored.
  return issue(r.code as IssueCode, r.severity, r.message, rowLocation(r), {
    ...(r.raw !== null ? { raw: r.raw } : {}),
    ...(r.question_id !== null ? { questionId: r.question_id } : {}),
  });
}

export function issueRow(i: Issue, fileName: string, wave: number, runId: string | null) {
  return {
    sha256: i.location.fileHash ?? null,
    file_name: fileName,
    run_id: runId,
    wave,
    code: i.code,
    severity: i.severity,
    message: i.message,
    question_id: i.questionId ?? null,
    sheet: i.location.sheet ?? null,
    cell: i.location.cell ?? null,
    page: i.location.page ?? null,
    line: i.location.line ?? null,
    row_no: i.location.row ?? null,
    column_name: i.location.column ?? null,
    raw: i.raw ?? null,
  };
}

export interface IssueListing {
  severity: string;
  code: string;
  file: string;
  sha256: string | null;
  location: string;
  /** The same location as an object (sheet, cell, page, line, row, column), as in an Issue. */
  where: Location;
  questionId: string | null;
  message: string;
  raw: string | null;
}

/** Data issues of a wave in a stable order: file name, then position in the file, then code. */
export async function listIssues(db: Kysely<Database>, wave: number, severity?: string): Promise<IssueListing[]> {
  let q = db.selectFrom('data_issue').selectAll().where('wave', '=', wave);
  if (severity) q = q.where('severity', '=', severity as 'error');
  const rows = await q
    .orderBy('file_name')
    .orderBy('sha256')
    .orderBy('sheet')
    .orderBy('page')
    .orderBy('line')
    .orderBy('row_no')
    .orderBy('cell')
    .orderBy('code')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    severity: r.severity,
    code: r.code,
    file: r.file_name,
    sha256: r.sha256,
    location: formatLocation(rowLocation(r)),
    where: rowLocation(r),
    questionId: r.question_id,
    message: r.message,
    raw: r.raw,
  }));
}
