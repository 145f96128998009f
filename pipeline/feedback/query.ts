import type { Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';

/** A return that may get feedback, with its own issues. Respondent fields are read only to redact them. */
export interface FeedbackReturn {
  id: string;
  sha256: string;
  part: number;
  sourceKind: string;
  /** Several returns come from this one file (a survey export). */
  sharedFile: boolean;
  fileName: string;
  team: string;
  state: string;
  respondentName: string | null;
  respondentEmail: string | null;
  issues: {
    code: string;
    severity: string;
    questionId: string | null;
    sheet: string | null;
    cell: string | null;
    row: number | null;
    column: string | null;
    message: string;
    raw: string | null;
  }[];
}

const rowOf = (row: number | null, cell: string | null): number | null =>
  row ?? (cell ? Number(/\d+$/.exec(cell)?.[0] ?? NaN) || null : null);

/**
 * Loaded and rejected returns of a wave with their issues, by team name. Issues are recorded per
 * file; in a file holding one return they all belong to it. In a survey export an issue belongs to
 * the return whose answers sit on the same row (answer.row_no, or the row of answer.cell); issues
 * of the export as a whole belong to no team and stay in `census issues`.
 */
export async function feedbackReturns(db: Kysely<Database>, wave: number): Promise<FeedbackReturn[]> {
  const rets = await db
    .selectFrom('questionnaire_return as r')
    .leftJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .leftJoin('team as t', 't.id', 'r.team_id')
    .leftJoin('answer as n', (j) => j.onRef('n.return_id', '=', 'r.id').on('n.question_id', '=', 'team_name'))
    .leftJoin('respondent as p', 'p.return_id', 'r.id')
    .select([
      'r.id',
      'r.sha256',
      'r.part',
      'r.source_kind',
      'r.state',
      'f.original_name',
      't.name as team',
      'n.text_value as stated',
      'p.name as p_name',
      'p.email as p_email',
    ])
    .where('r.wave', '=', wave)
    .where('r.state', 'in', ['loaded', 'rejected'])
    .orderBy('t.name')
    .orderBy('n.text_value')
    .orderBy('r.id')
    .execute();
  if (rets.length === 0) return [];
  const hashes = [...new Set(rets.map((r) => r.sha256))];
  const allReturns = await db
    .selectFrom('questionnaire_return')
    .select(['sha256'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wave', '=', wave)
    .where('sha256', 'in', hashes)
    .groupBy('sha256')
    .execute();
  const shared = new Set(allReturns.filter((x) => Number(x.n) > 1).map((x) => x.sha256));
  const issues = await db
    .selectFrom('data_issue')
    .selectAll()
    .where('wave', '=', wave)
    .where('sha256', 'in', hashes)
    .orderBy('sheet')
    .orderBy('row_no')
    .orderBy('cell')
    .orderBy('code')
    .orderBy('id')
    .execute();
  const rowsOf = new Map<string, Set<number>>();
  const sharedIds = rets.filter((r) => shared.has(r.sha256)).map((r) => String(r.id));
  if (sharedIds.length) {
    const cells = await db
      .selectFrom('answer')
      .select(['return_id', 'row_no', 'cell'])
      .where('return_id', 'in', sharedIds)
      .execute();
    for (const c of cells) {
      const row = rowOf(c.row_no, c.cell);
      if (row === null) continue;
      const set = rowsOf.get(String(c.return_id)) ?? new Set<number>();
      set.add(row);
      rowsOf.set(String(c.return_id), set);
    }
  }
  return rets.map((r) => {
    const id = String(r.id);
    const mine = issues.filter(
      (i) =>
        i.sha256 === r.sha256 && (!shared.has(r.sha256) || rowsOf.get(id)?.has(rowOf(i.row_no, i.cell) ?? -1) === true),
    );
    return {
      id,
      sha256: r.sha256,
      part: r.part,
      sourceKind: r.source_kind,
      sharedFile: shared.has(r.sha256),
      fileName: r.original_name ?? r.sha256.slice(0, 12),
      team: r.team ?? r.stated ?? `return ${id}`,
      state: r.state,
      respondentName: r.p_name,
      respondentEmail: r.p_email,
      issues: mine.map((i) => ({
        code: i.code,
        severity: i.severity,
        questionId: i.question_id,
        sheet: i.sheet,
        cell: i.cell,
        row: i.row_no,
        column: i.column_name,
        message: i.message,
        raw: i.raw,
      })),
    };
  });
}
