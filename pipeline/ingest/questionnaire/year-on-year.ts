import type { Transaction } from 'kysely';
import type { Ctx } from '../../runtime/ctx.ts';
import type { Database } from '../../../schemas/db.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { issue, type Issue } from '../../../schemas/issue.ts';
import { questionListFor } from '../../runtime/waves.ts';

/**
 * Year-on-year review flags (`checks: [{ kind: 'year_on_year_factor', factor }]` in a wave's list).
 * At load time each return's answer is compared with the same team's answer in the latest earlier
 * wave that has one (from a loaded return). A change by the factor or more, up or down, raises a
 * warning `year_on_year_change` on the cell; the return still loads.
 *
 * Intervals are compared conservatively rather than by midpoints: a rise is flagged only when the
 * new low bound is at least factor x the old high bound, a fall when the old low is at least factor x
 * the new high. So a change is flagged only if it holds for every value the two answers allow, and
 * band width never raises a false alarm ("25-49" -> "100-199" is not flagged: 100 < 3 x 49). An open
 * top band has no high bound and so never counts as the smaller side. Exact numbers are [n, n].
 */
export interface Span {
  low: number;
  high: number | null;
  approximate?: boolean;
}

export function yearOnYearChange(prev: Span, cur: Span, factor: number): 'up' | 'down' | null {
  if (prev.high !== null && cur.low > prev.high && cur.low >= factor * prev.high) return 'up';
  if (cur.high !== null && prev.low > cur.high && prev.low >= factor * cur.high) return 'down';
  return null;
}

export function formatSpan(s: Span): string {
  if (s.high === null) return `${s.low} or more`;
  if (s.low === s.high) return s.approximate ? `about ${s.low}` : String(s.low);
  return `${s.low}-${s.high}`;
}

type AnswerSpan = { low: unknown; high: unknown; num_value: unknown; approximate: boolean; value_kind: string };
function spanOf(a: AnswerSpan): Span | null {
  if (a.value_kind === 'interval' && a.low !== null)
    return { low: Number(a.low), high: a.high === null ? null : Number(a.high), approximate: a.approximate };
  if ((a.value_kind === 'number' || a.value_kind === 'integer') && a.num_value !== null)
    return { low: Number(a.num_value), high: Number(a.num_value) };
  return null;
}

function declaredChecks(list: QuestionList): Map<string, { factor: number; label: string }> {
  const out = new Map<string, { factor: number; label: string }>();
  for (const q of list.questions) {
    for (const c of q.checks) if (c.kind === 'year_on_year_factor') out.set(q.id, { factor: c.factor, label: q.label });
  }
  return out;
}

/** The year-on-year issues of one file's returns; runs inside the file's load transaction. */
export async function yearOnYearIssues(
  trx: Transaction<Database>,
  file: { hash: string; wave: number },
  ctx: Ctx,
  /** The wave's question list when the caller holds it (the processor's): read, validated and linted once per run, not once per file (#18). */
  given?: QuestionList,
): Promise<Issue[]> {
  let list: QuestionList;
  try {
    list = given ?? questionListFor(file.wave, ctx.workspace.wavesDir);
  } catch (err) {
    return [
      issue(
        'year_on_year_not_checked',
        'info',
        `Year-on-year changes were not checked: the question list of wave ${file.wave} could not be read (${(err as Error).message}).`,
        { fileHash: file.hash },
      ),
    ];
  }
  const checks = declaredChecks(list);
  if (checks.size === 0) return [];
  const ids = [...checks.keys()];
  // Each answer with the same team's answer to the question in the latest earlier wave that has a
  // comparable one (a loaded return), in one statement (#18: one round trip where there were two).
  const current = await trx
    .selectFrom('questionnaire_return as r')
    .innerJoin('answer as a', 'a.return_id', 'r.id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('team_wave as tw')
          .innerJoin('answer as pa', 'pa.return_id', 'tw.return_id')
          .select([
            'tw.wave as p_wave',
            'pa.value_kind as p_value_kind',
            'pa.low as p_low',
            'pa.high as p_high',
            'pa.num_value as p_num_value',
            'pa.approximate as p_approximate',
          ])
          .whereRef('tw.team_id', '=', 'r.team_id')
          .whereRef('tw.wave', '<', 'r.wave')
          .whereRef('pa.question_id', '=', 'a.question_id')
          .where((w) =>
            w.or([
              w.and([w('pa.value_kind', '=', 'interval'), w('pa.low', 'is not', null)]),
              w('pa.value_kind', 'in', ['number', 'integer']),
            ]),
          )
          .orderBy('tw.wave', 'desc')
          .orderBy('tw.return_id', 'desc')
          .limit(1)
          .as('p'),
      (join) => join.onTrue(),
    )
    .select([
      'r.team_id',
      'a.question_id',
      'a.value_kind',
      'a.low',
      'a.high',
      'a.num_value',
      'a.approximate',
      'a.raw_text',
      'a.sheet',
      'a.cell',
      'a.row_no',
      'a.column_name',
      'p.p_wave',
      'p.p_value_kind',
      'p.p_low',
      'p.p_high',
      'p.p_num_value',
      'p.p_approximate',
    ])
    .where('r.sha256', '=', file.hash)
    .where('r.wave', '=', file.wave)
    .where('r.team_id', 'is not', null)
    .where('a.question_id', 'in', ids)
    .orderBy('r.part')
    .orderBy('a.question_id')
    .execute();
  const prevOf = (c: (typeof current)[number]) =>
    c.p_wave === null
      ? undefined
      : {
          wave: c.p_wave,
          value_kind: c.p_value_kind!,
          low: c.p_low,
          high: c.p_high,
          num_value: c.p_num_value,
          approximate: c.p_approximate!,
        };
  const out: Issue[] = [];
  for (const c of current) {
    const p = prevOf(c);
    const cur = spanOf(c);
    const prev = p ? spanOf(p) : null;
    const check = checks.get(c.question_id)!;
    if (!p || !cur || !prev) continue;
    const dir = yearOnYearChange(prev, cur, check.factor);
    if (!dir) continue;
    out.push(
      issue(
        'year_on_year_change',
        'warning',
        `"${check.label}" is ${formatSpan(cur)} in ${file.wave} but was ${formatSpan(prev)} in ${p.wave} for the same team: ${dir === 'up' ? 'up' : 'down'} by a factor of ${check.factor} or more. Check the answer with the team; if it is right, nothing needs to change.`,
        {
          fileHash: file.hash,
          sheet: c.sheet ?? undefined,
          cell: c.cell ?? undefined,
          row: c.row_no ?? undefined,
          column: c.column_name ?? undefined,
        },
        { questionId: c.question_id, raw: c.raw_text ?? formatSpan(cur) },
      ),
    );
  }
  return out;
}
