import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { reviewFlags } from './flags.ts';
import type { ReviewFlag } from './flag.ts';
import { valueTrails, type ValueTrail } from './trail.ts';

/**
 * `census audit trust`: one trust's whole history across waves: each request with its dated status
 * events, each reply (file, how it was matched), every coded value with its trail and corrections, and
 * the review flags. Replies attributed to the trust as a merged trust's successor are included.
 */

export interface TrustHistory {
  ods: string;
  name: string;
  successor: string | null;
  requests: {
    id: string;
    wave: number;
    sent: string;
    received: string;
    due: string;
    ourRef: string | null;
    theirRef: string | null;
    note: string | null;
  }[];
  events: {
    requestId: string;
    wave: number;
    date: string;
    kind: string;
    source: string;
    note: string | null;
    detail: unknown;
  }[];
  responses: {
    id: string;
    wave: number;
    file: string;
    sha256: string;
    kind: string;
    state: string;
    match: string | null;
    matchedBy: string | null;
    replyDate: string | null;
    manual: boolean;
  }[];
  values: ValueTrail[];
  flags: ReviewFlag[];
}

export async function trustHistory(odsIn: string, ctx: Ctx): Promise<TrustHistory> {
  const ods = odsIn.trim().toUpperCase();
  const trust = await ctx.db.selectFrom('trust').selectAll().where('ods_code', '=', ods).executeTakeFirst();
  if (!trust)
    throw new CensusError(
      'usage',
      `No trust with ODS code "${ods}" is in the database.`,
      'Check the code (reference/nhs_mental_health_trusts_england.csv); trusts are loaded with the first FOI send or ingest.',
    );
  const requests = await ctx.db
    .selectFrom('foi_request')
    .selectAll()
    .where('trust_ods', '=', ods)
    .orderBy('wave')
    .orderBy('id')
    .execute();
  const requestIds = requests.map((r) => String(r.id));
  const responses = await ctx.db
    .selectFrom('foi_response as r')
    .innerJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .select([
      'r.id',
      'r.wave',
      'r.sha256',
      'r.source_kind',
      'r.state',
      'r.match_method',
      'r.match_detail',
      'r.matched_by',
      'r.reply_date',
      'r.needs_manual_coding',
      'f.original_name',
    ])
    .where((eb) =>
      eb.or([eb('r.trust_ods', '=', ods), ...(requestIds.length ? [eb('r.request_id', 'in', requestIds)] : [])]),
    )
    .orderBy('r.wave')
    .orderBy('r.id')
    .execute();
  const events =
    requestIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('foi_status_event')
          .selectAll()
          .where('request_id', 'in', requestIds)
          .orderBy('event_date')
          .orderBy('id')
          .execute();
  const responseIds = responses.map((r) => String(r.id));
  const valueIds =
    responseIds.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('foi_value_corrected')
            .select('id')
            .where('response_id', 'in', responseIds)
            .orderBy('response_id')
            .orderBy('question_id')
            .orderBy('period_start')
            .orderBy('id')
            .execute()
        ).map((v) => String(v.id));
  const waveOf = new Map(requests.map((r) => [String(r.id), r.wave]));
  return {
    ods,
    name: trust.name,
    successor: trust.successor_ods_code,
    requests: requests.map((r) => ({
      id: String(r.id),
      wave: r.wave,
      sent: r.sent_date,
      received: r.received_date,
      due: r.due_date,
      ourRef: r.our_ref,
      theirRef: r.their_ref,
      note: r.register_note,
    })),
    events: events.map((e) => ({
      requestId: String(e.request_id),
      wave: waveOf.get(String(e.request_id))!,
      date: e.event_date,
      kind: e.kind,
      source: e.source,
      note: e.note,
      detail: e.detail,
    })),
    responses: responses.map((r) => ({
      id: String(r.id),
      wave: r.wave,
      file: r.original_name,
      sha256: r.sha256,
      kind: r.source_kind,
      state: r.state,
      match: r.match_method ? `${r.match_method}${r.match_detail ? ` (${r.match_detail})` : ''}` : null,
      matchedBy: r.matched_by,
      replyDate: r.reply_date,
      manual: r.needs_manual_coding,
    })),
    values: (await valueTrails(valueIds, ctx)).trails,
    flags: await reviewFlags({ trust: ods }, ctx),
  };
}
