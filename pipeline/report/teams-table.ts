import type { Ctx } from '../ctx.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { DataTable } from '../../reports/csv.ts';

/** Teams by nation and status for one wave, from the teams_by_nation_status view, in the question list's option order. */
export async function teamsByNationStatus(ctx: Ctx, wave: number, list: QuestionList): Promise<DataTable> {
  const rows = await ctx.db.selectFrom('teams_by_nation_status').selectAll().where('wave', '=', wave)
    .orderBy('nation').orderBy('status').execute();
  const nationQ = list.questions.find((q) => q.id === 'nation');
  const statusQ = list.questions.find((q) => q.id === 'status');
  const nations = [...(nationQ?.options ?? []).map((o) => ({ code: o.code, label: o.label })), { code: 'not_answered', label: 'Not answered' }];
  const statuses = [...(statusQ?.options ?? []).map((o) => ({ code: o.code, label: o.label })), { code: 'not_answered', label: 'Status not answered' }];
  const usedStatuses = statuses.filter((s) => s.code !== 'not_answered' || rows.some((r) => r.status === 'not_answered'));
  const count = (n: string, s: string): number => rows.find((r) => r.nation === n && r.status === s)?.teams ?? 0;
  const out = nations
    .filter((n) => n.code !== 'not_answered' || rows.some((r) => r.nation === 'not_answered'))
    .map((n) => {
      const row: Record<string, string | number> = { nation: n.label };
      for (const s of usedStatuses) row[s.code] = count(n.code, s.code);
      row.total = usedStatuses.reduce((t, s) => t + count(n.code, s.code), 0);
      return row;
    });
  const total: Record<string, string | number> = { nation: 'Total' };
  for (const s of usedStatuses) total[s.code] = out.reduce((t, r) => t + Number(r[s.code]), 0);
  total.total = out.reduce((t, r) => t + Number(r.total), 0);
  return {
    name: 'teams_by_nation_status',
    title: `Teams by nation and status, wave ${wave}`,
    columns: [{ key: 'nation', header: 'Nation', kind: 'text' }, ...usedStatuses.map((s) => ({ key: s.code, header: s.label, kind: 'number' as const })), { key: 'total', header: 'Total', kind: 'number' }],
    rows: [...out, total],
    notes: ['Teams with a loaded return for the wave; superseded, conflicting and rejected returns are not counted.'],
  };
}
