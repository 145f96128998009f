import { sql } from 'kysely';
import type { Ctx } from '../runtime/ctx.ts';
import { dueDate, type DueDate, type FoiLaw } from './calendar.ts';
import { lawOf } from './trust-table.ts';
import { deriveStatus, type FoiEvent, type QuestionOutcome, type RequestStatus } from './status.ts';
import { outcomeCoding, replyCoding } from './outcomes.ts';
import { foiReference } from './wave.ts';
import { today } from './dates.ts';
import { issue } from '../../schemas/issue.ts';

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
  law: FoiLaw;
  /** The latest internal review requested and not yet decided: due 20 working days after (ICO guidance; FOISA s21). */
  review: { requested: string; due: string } | null;
  /** Complaints to the regulator (ICO, or the Scottish Information Commissioner) and decisions, dated. */
  regulator: { kind: 'ico_complaint' | 'ico_decision'; date: string; note: string | null }[];
  /** Events retracted by a person, with their reasons: kept out of the status. */
  retracted: { id: string; kind: string; date: string; reason: string }[];
}

/** `asOf` defaults to today in London by ctx.clock. */
export async function requestStatuses(
  input: { wave: number; asOf?: string; trust?: string },
  ctx: Ctx,
): Promise<RegisterLine[]> {
  const { list, calendar, trusts } = foiReference(input.wave, ctx.workspace.wavesDir);
  const asOf = input.asOf ?? today(ctx.clock);
  const questionIds = list.questions.map((q) => q.id);
  // The yes/no question that says whether the trust takes such referrals at all gates the count questions.
  const gate = list.questions.find((q) => q.answerType === 'yes_no');
  const applies = gate
    ? {
        gate: gate.id,
        counts: list.questions.filter((q) => q.answerType === 'count_per_period').map((q) => q.id),
        yesNo: list.questions
          .filter((q) => q.answerType === 'yes_no' || q.answerType === 'yes_no_text')
          .map((q) => q.id),
      }
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
  // The wave as of a date: a request sent later (re-sent, or added to the wave afterwards) did not exist
  // yet, so it is left out rather than failing the whole listing; asked for by trust, it is still an error.
  else rq = rq.where(sql<boolean>`sent_date <= ${asOf}::date`);
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
    .select(['id', 'request_id', 'needs_manual_coding', 'sha256', 'reply_kind', 'reply_date'])
    .where('request_id', 'in', ids)
    .orderBy('id')
    .execute();
  // Questions a reply restates with no answer under them (the readers' answer_missing): partial, not answered.
  const shas = [...new Set(responses.map((r) => r.sha256))];
  const blanks =
    shas.length === 0
      ? []
      : await ctx.db
          .selectFrom('data_issue')
          .select(['sha256', 'question_id'])
          .where('wave', '=', input.wave)
          .where('code', '=', 'answer_missing')
          .where('sha256', 'in', shas)
          .where('question_id', 'is not', null)
          .execute();
  const unansweredOf = (responseId: string): string[] => {
    const sha = responses.find((x) => String(x.id) === responseId)?.sha256;
    return blanks.filter((b) => b.sha256 === sha).map((b) => b.question_id!);
  };
  const responseIds = responses.map((r) => String(r.id));
  const values =
    responseIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('foi_value_current')
          .select([
            'response_id',
            'question_id',
            'low',
            'high',
            'yes_no',
            'text_value',
            'missing_reason',
            'exemptions',
            'method',
          ])
          .where('response_id', 'in', responseIds)
          .orderBy('id')
          .execute();
  const valuesOf = (responseId: string) => values.filter((v) => String(v.response_id) === responseId);
  // A clarification request or holding e-mail (sql/021) is not the reply unless a person coded it as one.
  const notAnAnswer = (responseId: string): 'clarification' | 'holding' | null => {
    const kind = responses.find((x) => String(x.id) === responseId)?.reply_kind ?? null;
    return kind !== null && !valuesOf(responseId).some((v) => v.method === 'coded') ? kind : null;
  };
  // Replies dated by the day census received them (no date inside, no --received): said on the status.
  const assumed =
    shas.length === 0
      ? []
      : await ctx.db
          .selectFrom('data_issue')
          .select(['sha256', 'file_name'])
          .where('wave', '=', input.wave)
          .where('code', '=', 'reply_date_assumed')
          .where('sha256', 'in', shas)
          .execute();

  return requests.map((r) => {
    const all = events.filter((e) => String(e.request_id) === String(r.id));
    // A retraction names the event it takes back; that event stays stored (append-only) but counts no more.
    const retractions = new Map(
      all
        .filter((e) => e.kind === 'retraction')
        .map((e) => [String((e.detail as { retracts?: string }).retracts), e.detail as { reason?: string }]),
    );
    const own = all.filter((e) => e.kind !== 'retraction' && !retractions.has(String(e.id)));
    const retracted = all
      .filter((e) => retractions.has(String(e.id)))
      .map((e) => ({
        id: String(e.id),
        kind: e.kind,
        date: e.event_date,
        reason: retractions.get(String(e.id))?.reason ?? '',
      }));
    const trust = trusts.byOds.get(r.trust_ods);
    const law: FoiLaw = trust ? lawOf(trust) : 'foia';
    const foiEvents = own.flatMap((e): FoiEvent[] => {
      const d = e.detail as { exemptions?: string[]; outcome?: QuestionOutcome; newDue?: string };
      switch (e.kind) {
        case 'pi_extension':
          return d.newDue ? [{ type: 'pi_extension', date: e.event_date, newDue: d.newDue }] : [];
        case 'reply': {
          const kind = e.response_id === null ? null : notAnAnswer(String(e.response_id));
          if (kind === 'clarification') return [{ type: 'clarification_asked', date: e.event_date }];
          if (kind === 'holding') return [];
          return [
            {
              type: 'reply',
              date: e.event_date,
              ...(e.response_id !== null
                ? replyCoding(
                    valuesOf(String(e.response_id)),
                    questionIds,
                    applies,
                    unansweredOf(String(e.response_id)),
                  )
                : { exemptions: d.exemptions ?? [] }),
            },
          ];
        }
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
      { sent: r.sent_date, received: r.received_date, questionIds, events: foiEvents, law },
      asOf,
      calendar,
    );
    const mine = responses.filter((x) => String(x.request_id) === String(r.id));
    for (const x of mine) {
      const kind = notAnAnswer(String(x.id));
      const file = assumed.find((a) => a.sha256 === x.sha256)?.file_name ?? x.sha256.slice(0, 12);
      if (kind !== null)
        status.issues.push(
          issue(
            'reply_not_an_answer',
            'warning',
            kind === 'clarification'
              ? `${x.reply_date ?? ''}: the trust asked us to clarify the request; not a reply. Record our answer with census foi event --kind clarification_answered --date YYYY-MM-DD.`
              : `${x.reply_date ?? ''}: a holding e-mail (the reply will be late); not a reply.`,
            { fileHash: x.sha256 },
          ),
        );
      if (assumed.some((a) => a.sha256 === x.sha256))
        status.issues.push(
          issue(
            'reply_date_assumed',
            'info',
            `${file} has no date of its own and is dated ${x.reply_date ?? '?'}, the day census received it; if it arrived earlier, ingest it again with --received YYYY-MM-DD.`,
            { fileHash: x.sha256 },
          ),
        );
    }
    const asked = own.filter((e) => e.kind === 'internal_review_requested' && e.event_date <= asOf).at(-1);
    const decided =
      asked !== undefined &&
      own.some((e) => e.kind === 'internal_review_outcome' && e.event_date >= asked.event_date && e.event_date <= asOf);
    const review =
      asked === undefined || decided
        ? null
        : { requested: asked.event_date, due: dueDate(asked.event_date, calendar, 20, law).due };
    return {
      law,
      review,
      regulator: own
        .filter((e) => (e.kind === 'ico_complaint' || e.kind === 'ico_decision') && e.event_date <= asOf)
        .map((e) => ({ kind: e.kind as 'ico_complaint' | 'ico_decision', date: e.event_date, note: e.note })),
      retracted,
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
