import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { addDays } from './calendar.ts';
import type { QuestionOutcome } from './status.ts';
import { assertWaveUnlocked, recordAudit, recordedText } from '../db/audit-log.ts';

/** `census foi event`: a dated step of one request typed by a person. Such events are never edited. */

export const EVENT_KINDS = [
  'clarification_asked',
  'clarification_answered',
  'internal_review_requested',
  'internal_review_outcome',
  /** A public-interest extension (FOIA s10(3)): needs the new date the trust gave (newDue). */
  'pi_extension',
  /** A complaint to the ICO (FOIA s50; Scottish boards: the Scottish Information Commissioner, FOISA s47) and its decision. */
  'ico_complaint',
  'ico_decision',
] as const;
type CommandEventKind = (typeof EVENT_KINDS)[number];
export const OUTCOMES: readonly QuestionOutcome[] = ['answered', 'refused', 'not_held', 'ncnd'];

export interface EventInput {
  wave: number;
  trust: string;
  kind: string;
  date: string;
  note?: string;
  /** internal_review_outcome only: the outcome for every question; none means the original answer was upheld. */
  outcome?: string;
  exemptions?: string[];
  /** pi_extension only: the new due date the trust gave. */
  newDue?: string;
}

export async function requestFor(
  wave: number,
  trust: string,
  ctx: Ctx,
): Promise<{ id: string; sent: string; received: string }> {
  const ods = trust.trim().toUpperCase();
  const r = await ctx.db
    .selectFrom('foi_request')
    .select(['id', 'sent_date', 'received_date'])
    .where('wave', '=', wave)
    .where('trust_ods', '=', ods)
    .executeTakeFirst();
  if (!r) {
    throw new CensusError(
      'usage',
      `No request to ${ods} in wave ${wave}.`,
      `Check the ODS code (census foi status --wave ${wave} lists the trusts asked), or record the request first with census foi send or census foi register.`,
    );
  }
  return { id: String(r.id), sent: r.sent_date, received: r.received_date };
}

export async function recordEvent(input: EventInput, ctx: Ctx): Promise<{ recorded: boolean; requestId: string }> {
  if (!(EVENT_KINDS as readonly string[]).includes(input.kind)) {
    throw new CensusError(
      'usage',
      `--kind must be one of ${EVENT_KINDS.join(', ')}, not "${input.kind}".`,
      'Replies are recorded by ingesting the reply file; pick the kind of step this is.',
    );
  }
  const kind = input.kind as CommandEventKind;
  if (
    input.outcome !== undefined &&
    (kind !== 'internal_review_outcome' || !(OUTCOMES as string[]).includes(input.outcome))
  ) {
    throw new CensusError(
      'usage',
      `--outcome goes with --kind internal_review_outcome and is one of ${OUTCOMES.join(', ')}.`,
      'Leave --outcome out when the review upheld the original answer.',
    );
  }
  if ((kind === 'pi_extension') !== (input.newDue !== undefined)) {
    throw new CensusError(
      'usage',
      kind === 'pi_extension'
        ? '--kind pi_extension needs --new-due, the date the trust now says it will reply by.'
        : '--new-due goes with --kind pi_extension only.',
      'e.g. census foi event --trust RXT --wave 2024 --kind pi_extension --date 2024-04-05 --new-due 2024-05-10',
    );
  }
  await assertWaveUnlocked(ctx.db, input.wave, 'foi event');
  const req = await requestFor(input.wave, input.trust, ctx);
  if (input.newDue !== undefined && input.newDue <= input.date)
    throw new CensusError(
      'usage',
      `--new-due ${input.newDue} is not after the day of the extension (${input.date}).`,
      'Give the new date the trust gave in its extension notice.',
    );
  if (input.date < req.received) {
    throw new CensusError(
      'usage',
      `${input.date} is before the request to ${input.trust.toUpperCase()} was received (${req.received}).`,
      'Check the date: events happen after the request.',
    );
  }
  const detail: Record<string, unknown> = {};
  if (input.outcome !== undefined) detail.outcome = input.outcome;
  if (input.exemptions?.length) detail.exemptions = input.exemptions;
  if (input.newDue !== undefined) detail.newDue = input.newDue;
  // The same step on the same day is one event: typing the command twice records it once.
  const res = await ctx.db
    .insertInto('foi_status_event')
    .values({
      request_id: req.id,
      event_date: input.date,
      kind,
      source: 'command',
      detail: JSON.stringify(detail),
      note: input.note ?? null,
      recorded_at: ctx.clock.now(),
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (res)
    await recordAudit(ctx.db, {
      at: ctx.clock.now(),
      actor: ctx.actor ?? 'unknown',
      action: 'foi_event',
      wave: input.wave,
      detail: { event: String(res.id), request: req.id, kind },
    });
  return { recorded: res !== undefined, requestId: req.id };
}

/**
 * `census foi retract`: takes back a recorded event (typed, from a register or from a reply) that was a
 * mistake. Nothing is deleted: a `retraction` event names it, with the reason and who retracted it, and
 * the status no longer counts it (register-status.ts); the audit log records it too.
 */
export async function retractEvent(
  input: { wave: number; trust: string; kind: string; date: string; reason: string; by: string },
  ctx: Ctx,
): Promise<{ retracted: string; kind: string; date: string; source: string }> {
  const reason = recordedText('--reason', input.reason, 'reason');
  const by = recordedText('--by', input.by, 'name');
  await assertWaveUnlocked(ctx.db, input.wave, 'foi retract');
  const req = await requestFor(input.wave, input.trust, ctx);
  const events = await ctx.db
    .selectFrom('foi_status_event')
    .select(['id', 'kind', 'event_date', 'source', 'detail'])
    .where('request_id', '=', req.id)
    .orderBy('id')
    .execute();
  const taken = new Set(
    events.filter((e) => e.kind === 'retraction').map((e) => String((e.detail as { retracts?: string }).retracts)),
  );
  const live = events.filter((e) => e.kind !== 'retraction' && e.kind !== 'due_date_recomputed');
  const found = live.filter((e) => e.kind === input.kind && e.event_date === input.date);
  const ods = input.trust.trim().toUpperCase();
  if (found.length === 0) {
    throw new CensusError(
      'usage',
      `No ${input.kind} event on ${input.date} for ${ods} in wave ${input.wave}. Recorded: ${
        live.map((e) => `${e.kind} ${e.event_date}${taken.has(String(e.id)) ? ' (retracted)' : ''}`).join(', ') ||
        'none'
      }.`,
      'Name the kind and date of a recorded event (census foi status --trust shows the history).',
    );
  }
  const open = found.filter((e) => !taken.has(String(e.id)));
  if (open.length === 0)
    throw new CensusError(
      'usage',
      `The ${input.kind} event of ${input.date} for ${ods} is already retracted.`,
      'Nothing to do.',
    );
  const target = open[0]!;
  const now = ctx.clock.now();
  // The table keeps one command event per request, kind and day (sql/005); a retraction's own date means
  // nothing to the status, so a second retraction for the same day takes the next free day.
  const used = new Set(events.filter((e) => e.kind === 'retraction').map((e) => e.event_date));
  let day = input.date;
  while (used.has(day)) day = addDays(day, 1);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('foi_status_event')
      .values({
        request_id: req.id,
        event_date: day,
        kind: 'retraction',
        source: 'command',
        detail: JSON.stringify({ retracts: String(target.id), kind: target.kind, source: target.source, reason, by }),
        note: reason,
        recorded_at: now,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: by,
      action: 'foi_event_retracted',
      wave: input.wave,
      detail: { request: req.id, event: String(target.id), kind: target.kind, date: input.date, reason },
    });
  });
  return { retracted: String(target.id), kind: target.kind, date: input.date, source: target.source };
}
