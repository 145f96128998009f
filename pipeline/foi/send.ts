import type { Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { dueDate, recheckDueDate, type BankHolidayCalendar, type DueDate } from './calendar.ts';
import { today } from './dates.ts';
import { lawOf, seedTrusts, trustsAskedOn, type Exclusion } from './trust-table.ts';
import type { TrustList } from '../../sources/foi/trusts.ts';
import { foiReference } from './wave.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';
import { maybeDry } from './dry-run.ts';

/**
 * `census foi send`: one request per trust that provided mental health services on the sent date.
 * Idempotent: a trust already asked in the wave keeps its request as it is.
 */

interface SentRequest {
  ods: string;
  name: string;
  sent: string;
  due: DueDate;
}
export interface SendResult {
  wave: number;
  sent: string;
  created: SentRequest[];
  /** Already asked in this wave; `sent` is their own date, which may differ from this run's. */
  existing: SentRequest[];
  excluded: { ods: string; name: string; why: Exclusion }[];
  recomputed: DueChange[];
  trustListVersion: string;
  calendarVersion: string;
}
interface DueChange {
  ods: string;
  from: string;
  to: string;
  fromVersion: string;
  toVersion: string;
}

export async function sendRequests(
  input: { wave: number; sent: string; dryRun?: boolean },
  ctx: Ctx,
): Promise<SendResult> {
  const { trusts, calendar, list } = foiReference(input.wave, ctx.workspace.wavesDir);
  const { asked, excluded } = trustsAskedOn(trusts, input.sent, list.nations);
  // Computed before any write: a date past the calendar is a CalendarRangeError (exit 2) with nothing stored.
  const dueOf = new Map(asked.map((t) => [t.odsCode, dueDate(input.sent, calendar, undefined, lawOf(t))]));
  const now = ctx.clock.now();
  return maybeDry(ctx, input.dryRun, async (trx) => {
    await assertWaveUnlocked(trx, input.wave, 'foi send');
    await seedTrusts(trx, trusts, now);
    const before = await trx.selectFrom('foi_request').select(['trust_ods']).where('wave', '=', input.wave).execute();
    const had = new Set(before.map((r) => r.trust_ods));
    const fresh = asked.filter((t) => !had.has(t.odsCode));
    // Fifty rows at most: plain Kysely inserts (COPY only pays for bulk rows).
    if (fresh.length > 0) {
      await trx
        .insertInto('foi_request')
        .values(
          fresh.map((t) => ({
            wave: input.wave,
            trust_ods: t.odsCode,
            sent_date: input.sent,
            received_date: input.sent,
            due_date: dueOf.get(t.odsCode)!.due,
            due_explanation: JSON.stringify(dueOf.get(t.odsCode)!),
            calendar_version: calendar.version,
            trust_list_sha256: trusts.version,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['wave', 'trust_ods']).doNothing())
        .execute();
    }
    const recomputed = await recomputeDueDates(trx, input.wave, calendar, today(ctx.clock), now, trusts);
    const rows = await trx
      .selectFrom('foi_request')
      .innerJoin('trust', 'trust.ods_code', 'foi_request.trust_ods')
      .select(['trust_ods', 'trust.name', 'sent_date', 'due_explanation'])
      .where('wave', '=', input.wave)
      .orderBy('trust_ods')
      .execute();
    // Logged only when something changed, so a rerun leaves every table as it was.
    if (fresh.length > 0 || recomputed.length > 0) {
      await recordAudit(trx, {
        at: now,
        actor: ctx.actor ?? 'unknown',
        action: 'foi_send',
        wave: input.wave,
        detail: { sent: input.sent, created: fresh.length, recomputed: recomputed.length },
      });
    }
    const line = (r: (typeof rows)[number]): SentRequest => ({
      ods: r.trust_ods,
      name: r.name,
      sent: r.sent_date,
      due: r.due_explanation as DueDate,
    });
    return {
      wave: input.wave,
      sent: input.sent,
      created: rows.filter((r) => !had.has(r.trust_ods)).map(line),
      existing: rows.filter((r) => had.has(r.trust_ods)).map(line),
      excluded: excluded.map((e) => ({ ods: e.trust.odsCode, name: e.trust.name, why: e.why })),
      recomputed,
      trustListVersion: trusts.version,
      calendarVersion: calendar.version,
    };
  });
}

/**
 * foi.md: when the holiday calendar changes, due dates already computed are recomputed and the change
 * logged. Every request of the wave computed under another calendar version is brought up to date; a
 * date that moves gets a dated `due_date_recomputed` event naming both dates and versions.
 */
async function recomputeDueDates(
  trx: Transaction<Database>,
  wave: number,
  calendar: BankHolidayCalendar,
  on: string,
  now: Date,
  trusts: TrustList,
): Promise<DueChange[]> {
  const stale = await trx
    .selectFrom('foi_request')
    .select(['id', 'trust_ods', 'received_date', 'due_date', 'calendar_version'])
    .where('wave', '=', wave)
    .where('calendar_version', '!=', calendar.version)
    .orderBy('trust_ods')
    .execute();
  const changes: DueChange[] = [];
  for (const r of stale) {
    const trust = trusts.byOds.get(r.trust_ods);
    const check = recheckDueDate(
      { received: r.received_date, due: r.due_date, calendarVersion: r.calendar_version },
      calendar,
      undefined,
      trust ? lawOf(trust) : 'foia',
    );
    await trx
      .updateTable('foi_request')
      .set({
        due_date: check.current.due,
        due_explanation: JSON.stringify(check.current),
        calendar_version: calendar.version,
      })
      .where('id', '=', String(r.id))
      .execute();
    if (!check.moved) continue;
    const change = {
      ods: r.trust_ods,
      from: r.due_date,
      to: check.current.due,
      fromVersion: r.calendar_version,
      toVersion: calendar.version,
    };
    changes.push(change);
    await trx
      .insertInto('foi_status_event')
      .values({
        request_id: String(r.id),
        event_date: on,
        kind: 'due_date_recomputed',
        source: 'command',
        detail: JSON.stringify(change),
        note: `Holiday calendar changed: due ${change.from} -> ${change.to}`,
        recorded_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return changes;
}
