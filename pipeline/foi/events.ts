import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import type { QuestionOutcome } from './status.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';

/** `census foi event`: a dated step of one request typed by a person. Such events are never edited. */

export const EVENT_KINDS = [
  'clarification_asked',
  'clarification_answered',
  'internal_review_requested',
  'internal_review_outcome',
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
  await assertWaveUnlocked(ctx.db, input.wave, 'foi event');
  const req = await requestFor(input.wave, input.trust, ctx);
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
