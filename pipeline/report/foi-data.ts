import { sql } from 'kysely';
import { foiWave } from '../foi/wave.ts';
import type { FoiQuestionList } from '../../schemas/foi.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { requestStatuses } from '../foi/register-status.ts';
import type { Bounds } from '../../reports/intervals.ts';
import { byText } from '../../reports/order.ts';
import type { FoiData, FoiRequestRow, FoiValue } from '../../reports/input.ts';

/** The FOI wave a report shows: the parameter, else the latest wave with requests up to the report's wave. */
export async function resolveFoiWave(ctx: Ctx, reportWave: number, wanted: number | null): Promise<number | null> {
  if (wanted !== null) return wanted;
  const row = await ctx.db
    .selectFrom('report_foi_request')
    .select((eb) => eb.fn.max('wave').as('wave'))
    .where('wave', '<=', reportWave)
    .executeTakeFirst();
  return row?.wave ?? null;
}

/** A data date, never the clock: the latest dated event, reply or sending of the wave. */
export async function resolveReferenceDate(ctx: Ctx, wave: number): Promise<string | null> {
  const r = await sql<{ d: string | null }>`
    with dates as (
      select e.event_date as d from foi_status_event e join foi_request q on q.id = e.request_id where q.wave = ${wave}
      union all
      select r.reply_date from foi_response r where r.wave = ${wave}
      union all
      select sent_date from foi_request where wave = ${wave}
    )
    select to_char(max(d), 'YYYY-MM-DD') as d from dates`.execute(ctx.db);
  return r.rows[0]?.d ?? null;
}

export async function loadFoi(ctx: Ctx, wave: number, referenceDate: string, teamWave: number): Promise<FoiData> {
  const list = foiWave(wave, ctx.workspace.wavesDir);
  const requests = await ctx.db
    .selectFrom('report_foi_request')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('trust_ods')
    .execute();
  const values = await ctx.db
    .selectFrom('report_foi_value')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('trust_ods')
    .orderBy('question_id')
    .orderBy('period_id')
    .orderBy('value_id')
    .execute();
  const hosted = await ctx.db
    .selectFrom('report_foi_trust_team')
    .selectAll()
    .where('wave', '=', wave)
    .where('team_wave', '=', teamWave)
    .orderBy('request_id')
    .execute();
  const lines = await requestStatuses({ wave, asOf: referenceDate }, ctx);
  // Requests and values are cited by content, never by database id, so two workspaces loaded from the
  // same files in any order build byte-identical reports: a request is its wave and trust (one request
  // per trust a wave), a value is the reply file's sha256 with where the value sits in it (sheet and
  // cell, page and line, or row) and what it answers (question, period, basis, age band as given).
  const requestKey = new Map(requests.map((r) => [String(r.request_id), `${wave}/${r.trust_ods}`]));
  const reqKey = (id: unknown): string => requestKey.get(String(id)) ?? `${wave}/?${String(id)}`;
  const { keys: valueKey, coded } = await foiValueContentKeys(
    ctx,
    values.map((v) => String(v.value_id)),
  );
  const keyOf = (id: unknown): string => valueKey.get(String(id)) ?? String(id);
  // The confidence gate's suggestions of the wave's matched replies: read, but waiting for a person.
  const waiting = await ctx.db
    .selectFrom('foi_value_current')
    .innerJoin('foi_response', 'foi_response.id', 'foi_value_current.response_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('foi_response.wave', '=', wave)
    .where('foi_response.state', '=', 'matched')
    .where('foi_value_current.suggestion', 'is not', null)
    .executeTakeFirst();
  return {
    wave,
    list,
    referenceDate,
    // Sorted here by code unit: `order by` on text follows the server's collation.
    requests: requests
      .map((r) => ({
        requestId: reqKey(r.request_id),
        ods: r.trust_ods,
        name: r.trust_name,
        sent: r.sent_date,
        replies: r.replies,
      }))
      .sort((a, b) => byText(a.ods, b.ods)),
    values: values
      .map((v) => ({
        id: keyOf(v.value_id),
        requestId: reqKey(v.request_id),
        ods: v.trust_ods,
        questionId: v.question_id,
        periodId: v.period_id,
        flags: v.flags,
        ageExact: v.age_band_exact,
        bandAccepted: v.band_accepted,
        basis: v.basis,
        yesNo: v.yes_no,
        missing: v.missing_reason,
        value: v.low === null ? null : { low: Number(v.low), high: v.high === null ? null : Number(v.high) },
        quote: v.quote,
        fromMonths: v.from_months,
        suppressed: v.suppressed,
        totalDiffers: v.stated_total_differs,
        ageLabel: v.age_band_label,
        periodLabel: v.period_label,
        byPerson: coded.has(String(v.value_id)),
      }))
      // by trust, question, period, then content key: never by database id
      .sort(
        (a, b) =>
          byText(a.ods, b.ods) ||
          byText(a.questionId, b.questionId) ||
          byText(a.periodId ?? '', b.periodId ?? '') ||
          byText(a.id, b.id),
      ),
    status: new Map(lines.map((l) => [reqKey(l.request.id), l.status])),
    hosted: new Map(hosted.map((h) => [reqKey(h.request_id), h.teams_hosted])),
    awaitingPerson: Number(waiting?.n ?? 0),
  };
}

/**
 * FOI values cited by content, never by database id: the reply file's sha256 (16 hex digits) with
 * where the value sits in it (sheet and cell, page and line, or row) and what it answers (question,
 * period, basis, age band as given). Returns value id -> key, and the ids coded by a person.
 * `census audit figure` inverts the same keys to find the values behind a figure.
 */
export async function foiValueContentKeys(
  ctx: Ctx,
  ids: readonly string[],
): Promise<{ keys: Map<string, string>; coded: Set<string> }> {
  const located =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('foi_value')
          .innerJoin('foi_response', 'foi_response.id', 'foi_value.response_id')
          .select([
            'foi_value.id',
            'foi_response.sha256',
            'foi_value.sheet',
            'foi_value.cell',
            'foi_value.page',
            'foi_value.line',
            'foi_value.row_no',
            'foi_value.column_name',
            'foi_value.method',
            'foi_value.question_id',
            'foi_value.period_id',
            'foi_value.basis',
            'foi_value.age_band_label',
          ])
          .where('foi_value.id', 'in', [...ids])
          .execute();
  const keys = new Map(
    located.map((l) => {
      const where = [
        l.sheet !== null ? `${l.sheet}!${l.cell ?? ''}` : null,
        l.page !== null ? `p${l.page}${l.line !== null ? `l${l.line}` : ''}` : null,
        l.row_no !== null ? `r${l.row_no}${l.column_name !== null ? `:${l.column_name}` : ''}` : null,
      ].filter((x) => x !== null);
      const what = [l.question_id, l.period_id ?? '-', l.basis ?? '-', l.age_band_label ?? '-'].join('/');
      return [String(l.id), `${l.sha256.slice(0, 16)}${where.length ? `@${where.join(',')}` : ''}/${what}`];
    }),
  );
  return { keys, coded: new Set(located.filter((l) => l.method === 'coded').map((l) => String(l.id))) };
}
