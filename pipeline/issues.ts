import type { Kysely } from 'kysely';
import type { Database } from '../schemas/db.ts';
import { formatLocation } from '../schemas/issue.ts';
import { rowLocation } from './load.ts';

export interface IssueListing {
  severity: string; code: string; file: string; sha256: string | null; location: string;
  questionId: string | null; message: string; raw: string | null;
}

/** Data issues of a wave in a stable order: file name, then position in the file, then code. */
export async function listIssues(db: Kysely<Database>, wave: number, severity?: string): Promise<IssueListing[]> {
  let q = db.selectFrom('data_issue').selectAll().where('wave', '=', wave);
  if (severity) q = q.where('severity', '=', severity as 'error');
  const rows = await q.orderBy('file_name').orderBy('sha256').orderBy('sheet').orderBy('page').orderBy('line').orderBy('row_no')
    .orderBy('cell').orderBy('code').orderBy('id').execute();
  return rows.map((r) => ({
    severity: r.severity, code: r.code, file: r.file_name, sha256: r.sha256,
    location: formatLocation(rowLocation(r)),
    questionId: r.question_id, message: r.message, raw: r.raw,
  }));
}
