import type { Ctx } from '../runtime/ctx.ts';
import { defaultParams } from '../../schemas/report-params.ts';
import { duplicateFlags } from './duplicates.ts';
import type { FlagKind, RawFlag, ReviewFlag } from './flag.ts';

/**
 * Review flags of spec/foi.md "Audit of under-two referral counts", computed on read from what is
 * stored now, so they are current after every FOI ingest, coding-sheet load or correction without a
 * hook in the ingest. Jumps and "does not accept" are judged on the values the report uses
 * (report_foi_value: corrections applied); a flag is closed by a correction in force on one of its
 * values, or by a person's review ("reviewed, no change", table flag_review).
 */

const slug = (s: string | null): string =>
  (s ?? 'none')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const show = (low: number, high: number | null): string => (high === low ? String(low) : `${low}-${high ?? 'open'}`);

interface CountRow {
  wave: number;
  trust_ods: string;
  value_id: string;
  question_id: string;
  basis: string | null;
  age_band_label: string | null;
  period_id: string | null;
  period_label: string | null;
  period_start: string | null;
  low: number;
  high: number | null;
  flags: string[];
}

/**
 * The certain factor between two intervals: the larger side's low over the smaller side's high, a zero
 * high counted as 1 so that 0 -> 5 is a factor of 5 rather than infinite (and 0 -> 1 no jump at all).
 */
export function jumpFactor(a: { low: number; high: number | null }, b: { low: number; high: number | null }): number {
  const rise = a.high === null ? 0 : b.low / Math.max(a.high, 1);
  const fall = b.high === null ? 0 : a.low / Math.max(b.high, 1);
  return Math.max(rise, fall);
}

function jumpFlags(rows: CountRow[]): RawFlag[] {
  const series = new Map<string, CountRow[]>();
  // A part year is expected to be smaller, and incomplete months too: neither is compared.
  for (const r of rows) {
    if (r.period_start === null || r.flags.includes('partial_period') || r.flags.includes('incomplete')) continue;
    const key = [r.trust_ods, r.question_id, r.basis, r.age_band_label].join('|');
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  const out: RawFlag[] = [];
  for (const list of series.values()) {
    // The same period asked in two waves: the later wave's answer stands.
    const byPeriod = new Map<string, CountRow>();
    for (const r of [...list].sort((a, b) => a.wave - b.wave)) byPeriod.set(r.period_start!, r);
    const ordered = [...byPeriod.values()].sort((a, b) => a.period_start!.localeCompare(b.period_start!));
    for (let i = 1; i < ordered.length; i++) {
      const a = ordered[i - 1]!;
      const b = ordered[i]!;
      const f = jumpFactor(a, b);
      if (f <= 3) continue;
      const kind: FlagKind = f >= 10 ? 'jump_10' : 'jump_3';
      out.push({
        id: `${kind}:${b.wave}:${b.trust_ods}:${b.question_id}:${b.basis ?? 'none'}:${slug(b.age_band_label)}:${a.period_id ?? a.period_start}>${b.period_id ?? b.period_start}`,
        wave: b.wave,
        trustOds: b.trust_ods,
        kind,
        valueIds: [a.value_id, b.value_id],
        message: `${b.question_id} goes from ${show(a.low, a.high)} in ${a.period_label ?? a.period_start} to ${show(b.low, b.high)} in ${b.period_label ?? b.period_start}: a factor of at least ${Math.round(f * 10) / 10}${f >= 10 ? ' (10 or more)' : ' (more than 3)'}.`,
      });
    }
  }
  return out;
}

type AnswerRow = Omit<CountRow, 'low'> & { low: number | null; request_id: string; yes_no: boolean | null };

function notAcceptedFlags(rows: AnswerRow[], q: { accepts: string; referrals: string }): RawFlag[] {
  const out: RawFlag[] = [];
  const byRequest = new Map<string, typeof rows>();
  for (const r of rows) byRequest.set(r.request_id, [...(byRequest.get(r.request_id) ?? []), r]);
  for (const list of byRequest.values()) {
    const no = list.find((r) => r.question_id === q.accepts && r.yes_no === false);
    const reported = list.filter(
      (r): r is AnswerRow & { low: number } => r.question_id === q.referrals && r.low !== null && r.low > 0,
    );
    if (!no || reported.length === 0) continue;
    out.push({
      id: `not_accepted_but_reported:${no.wave}:${no.trust_ods}`,
      wave: no.wave,
      trustOds: no.trust_ods,
      kind: 'not_accepted_but_reported',
      valueIds: [no.value_id, ...reported.map((r) => r.value_id)],
      message: `The trust says it does not accept under-two referrals (${q.accepts}) but reports ${reported.map((r) => `${show(r.low, r.high)} in ${r.period_label ?? r.period_id}`).join(', ')} (${q.referrals}).`,
    });
  }
  return out;
}

async function widerBandFlags(ctx: Ctx): Promise<RawFlag[]> {
  const rows = await ctx.db
    .selectFrom('foi_value_corrected as u')
    .innerJoin('foi_response as r', 'r.id', 'u.response_id')
    .innerJoin('foi_request as q', 'q.id', 'r.request_id')
    .innerJoin('foi_value_corrected as w', (j) =>
      j
        .onRef('w.response_id', '=', 'u.response_id')
        .onRef('w.period_start', '=', 'u.period_start')
        .onRef('w.period_end', '=', 'u.period_end'),
    )
    // The trust asked (as report_foi_value has it), not a merged trust's successor that replied.
    .select([
      'r.wave',
      'q.trust_ods',
      'u.id as u_id',
      'u.question_id as u_q',
      'u.low as u_low',
      'u.high as u_high',
      'u.period_label',
      'u.period_start',
      'u.basis',
      'w.id as w_id',
      'w.question_id as w_q',
      'w.low as w_low',
      'w.high as w_high',
      'w.age_band_label as w_band',
    ])
    .where('r.state', '=', 'matched')
    .where('u.age_band_exact', '=', true)
    .where('u.low', 'is not', null)
    .where('w.age_band_exact', '=', false)
    .where('w.high', 'is not', null)
    .where((eb) => eb.or([eb('w.age_months_high', 'is', null), eb('w.age_months_high', '>', 23)]))
    .where((eb) => eb.or([eb('w.age_months_low', 'is', null), eb('w.age_months_low', '=', 0)]))
    .where((eb) => eb.or([eb('u.basis', 'is', null), eb('w.basis', 'is', null), eb('u.basis', '=', eb.ref('w.basis'))]))
    .whereRef('u.low', '>', 'w.high')
    .orderBy('u.id')
    .orderBy('w.id')
    .execute();
  return rows.map((x) => ({
    id: `under2_above_wider_band:${x.wave}:${x.trust_ods}:${x.u_q}:${x.basis ?? 'none'}:${x.period_start}:${slug(x.w_band)}`,
    wave: x.wave,
    trustOds: x.trust_ods,
    kind: 'under2_above_wider_band' as const,
    valueIds: [String(x.u_id), String(x.w_id)],
    message: `Under-two count ${show(Number(x.u_low), x.u_high === null ? null : Number(x.u_high))} (${x.u_q}, ${x.period_label ?? x.period_start}) is larger than the same reply's "${x.w_band}" count ${Number(x.w_high)} (${x.w_q}).`,
  }));
}

/** Every review flag (of one wave and/or trust when given), ordered by wave, trust and id. */
export async function reviewFlags(filter: { wave?: number; trust?: string }, ctx: Ctx): Promise<ReviewFlag[]> {
  const q = defaultParams().foi.questions;
  const values = await ctx.db
    .selectFrom('report_foi_value')
    .select([
      'wave',
      'trust_ods',
      'request_id',
      'value_id',
      'question_id',
      'basis',
      'age_band_label',
      'period_id',
      'period_label',
      'period_start',
      'period_type',
      'low',
      'high',
      'flags',
      'yes_no',
    ])
    .orderBy('wave')
    .orderBy('trust_ods')
    .orderBy('value_id')
    .execute();
  const rows = values
    .filter((v) => v.period_type !== 'month')
    .map((v) => ({
      ...v,
      request_id: String(v.request_id),
      value_id: String(v.value_id),
      low: v.low === null ? null : Number(v.low),
      high: v.high === null ? null : Number(v.high),
    }));
  const counts = rows.filter((r): r is typeof r & { low: number } => r.low !== null);
  const raw = [
    ...jumpFlags(counts),
    ...(await widerBandFlags(ctx)),
    ...notAcceptedFlags(rows, q),
    ...(await duplicateFlags(ctx)),
  ].filter(
    (f) =>
      (filter.wave === undefined || f.wave === filter.wave) &&
      (filter.trust === undefined || f.trustOds === filter.trust.toUpperCase()),
  );
  const corrected = new Map(
    (
      await ctx.db
        .selectFrom('foi_value_corrected')
        .select(['id', 'correction_id'])
        .where('correction_id', 'is not', null)
        .execute()
    ).map((r) => [String(r.id), String(r.correction_id)]),
  );
  const reviews = await ctx.db.selectFrom('flag_review').selectAll().orderBy('id').execute();
  return raw
    .map((f): ReviewFlag => {
      const review = reviews.filter((r) => r.flag_id === f.id && r.wave === f.wave).at(-1);
      const fix = f.valueIds.map((v) => corrected.get(v)).find((c) => c !== undefined);
      if (review)
        return { ...f, status: 'reviewed', closedBy: `review ${review.id} by ${review.reviewed_by}: ${review.reason}` };
      if (fix) return { ...f, status: 'corrected', closedBy: `correction ${fix}` };
      return { ...f, status: 'open', closedBy: null };
    })
    .sort((a, b) => a.wave - b.wave || (a.trustOds ?? '').localeCompare(b.trustOds ?? '') || a.id.localeCompare(b.id));
}
