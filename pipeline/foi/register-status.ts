import type { Ctx } from '../runtime/ctx.ts';
import type { DueDate } from './calendar.ts';
import { deriveStatus, type FoiEvent, type QuestionOutcome, type RequestStatus } from './status.ts';
import { outcomeCoding, replyCoding } from './outcomes.ts';
import { foiReference } from './wave.ts';
import { today } from './dates.ts';

/**
 * The request register of a wave as of a date: each request with its status re-derived from its dated
 * events and the values coded from its replies (status.ts), never from a typed status.
 */

interface RequestRow {
  id: string;
  ods: string;
  name: string;
  sent: string;
  received: string;
  due: string;
  dueExplanation: DueDate;
  ourRef: string | null;
  theirRef: string | null;
  note: string | null;
}
export interface RegisterLine {
  request: RequestRow;
  status: RequestStatus;
  replies: number;
  awaitingCoding: number;
}

/** `asOf` defaults to today in London by ctx.clock. */
export async function requestStatuses(
  input: { wave: number; asOf?: string; trust?: string },
  ctx: Ctx,
): Promise<RegisterLine[]> {
  const { list, calendar } = foiReference(input.wave);
  const asOf = input.asOf ?? today(ctx.clock);
  const questionIds = list.questions.map((q) => q.id);
  // The yes/no question that says whether the trust takes such referrals at all gates the count questions.
  const gate = list.questions.find((q) => q.answerType === 'yes_no');
  const applies = gate
    ? { gate: gate.id, counts: list.questions.filter((q) => q.answerType === 'count_per_period').map((q) => q.id) }
    : undefined;
  let rq = ctx.db
    .selectFrom('foi_request')
    .innerJoin('trust', 'trust.ods_code', 'foi_request.trust_ods')
    .select([
      'foi_request.id',
      'trust_ods',
      'trust.name',
      'sent_date',
      'received_date',
      'due_date',
      'due_explanation',
      'our_ref',
      'their_ref',
      'register_note',
    ])
    .where('wave', '=', input.wave);
  if (input.trust !== undefined) rq = rq.where('trust_ods', '=', input.trust.toUpperCase());
  const requests = await rq.orderBy('trust_ods').execute();
  if (requests.length === 0) return [];
  const ids = requests.map((r) => String(r.id));
  const events = await ctx.db
    .selectFrom('foi_status_event')
    .selectAll()
    .where('request_id', 'in', ids)
    .orderBy('request_id')
    .orderBy('event_date')
    .orderBy('id')
    .execute();
  const responses = await ctx.db
    .selectFrom('foi_response')
    .select(['id', 'request_id', 'needs_manual_coding'])
    .where('request_id', 'in', ids)
    .orderBy('id')
    .execute();
  const responseIds = responses.map((r) => String(r.id));
  const values =
    responseIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('foi_value_current')
          .select(['response_id', 'question_id', 'low', 'high', 'yes_no', 'text_value', 'missing_reason', 'exemptions'])
          .where('response_id', 'in', responseIds)
          .orderBy('id')
          .execute();
  const valuesOf = (responseId: string) => values.filter((v) => String(v.response_id) === responseId);

  return requests.map((r) => {
    const own = events.filter((e) => String(e.request_id) === String(r.id));
    const foiEvents = own.flatMap((e): FoiEvent[] => {
      const d = e.detail as { exemptions?: string[]; outcome?: QuestionOutcome };
      switch (e.kind) {
        case 'reply':
          return [
            {
              type: 'reply',
              date: e.event_date,
              ...(e.response_id !== null
                ? replyCoding(valuesOf(String(e.response_id)), questionIds, applies)
                : { exemptions: d.exemptions ?? [] }),
            },
          ];
        case 'internal_review_outcome':
          return [
            {
              type: 'internal_review_outcome',
              date: e.event_date,
              ...outcomeCoding(d.outcome, d.exemptions ?? [], questionIds),
            },
          ];
        case 'clarification_asked':
        case 'clarification_answered':
        case 'internal_review_requested':
          return [{ type: e.kind, date: e.event_date }];
        default:
          return []; // due_date_recomputed is a log line, not a step of the request
      }
    });
    const status = deriveStatus(
      { sent: r.sent_date, received: r.received_date, questionIds, events: foiEvents },
      asOf,
      calendar,
    );
    const mine = responses.filter((x) => String(x.request_id) === String(r.id));
    return {
      request: {
        id: String(r.id),
        ods: r.trust_ods,
        name: r.name,
        sent: r.sent_date,
        received: r.received_date,
        due: r.due_date,
        dueExplanation: r.due_explanation as DueDate,
        ourRef: r.our_ref,
        theirRef: r.their_ref,
        note: r.register_note,
      },
      status,
      replies: mine.length,
      awaitingCoding: mine.filter((x) => x.needs_manual_coding && valuesOf(String(x.id)).length === 0).length,
    };
  });
}

/** foi.md chase list: every request of the wave overdue or long overdue as of the date, longest first. */
export async function chaseList(input: { wave: number; asOf?: string }, ctx: Ctx): Promise<RegisterLine[]> {
  const lines = await requestStatuses(input, ctx);
  return lines
    .filter((l) => l.status.status === 'overdue' || l.status.status === 'long_overdue')
    .sort(
      (a, b) =>
        (b.status.daysElapsed?.working ?? 0) - (a.status.daysElapsed?.working ?? 0) ||
        a.request.ods.localeCompare(b.request.ods),
    );
}
