import { basename } from 'node:path';
import { issue, type Issue } from '../../schemas/issue.ts';
import { readRegister, type RegisterRow } from '../../sources/foi/register.ts';
import { readGivenFile } from '../runtime/given-file.ts';
import { recordReceipt } from '../db/file-receipt.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { issueRow } from '../db/issue-rows.ts';
import { putBytes, sha256 } from '../runtime/store.ts';
import { sniffMediaType } from '../../sources/shared/sniff.ts';
import { CalendarRangeError, dueDate } from './calendar.ts';
import { eligibility, lawOf, seedTrusts } from './trust-table.ts';
import { maybeDry } from './dry-run.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { foiReference } from './wave.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';

/**
 * `census foi register FILE`: a research team's own register. Rows create or update requests and give
 * dated events; a typed status is kept only as a note, since status is re-derived from the dates.
 * Loading a register again MERGES: a row changes only what it states (a blank cell keeps what is
 * recorded), and every change is returned for the command to print. A row that would drop an event
 * recorded from an earlier register (a reply or refusal, a clarification date) by stating another date
 * is refused as a whole unless `replace` is given; with `replace` the file is the team's whole record
 * of register events for the wave. Events typed with `census foi event` and reply files are never touched.
 */

type RegisterKind = 'clarification_asked' | 'clarification_answered' | 'reply';
const KIND_LABEL: Record<RegisterKind, string> = {
  clarification_asked: 'clarification asked',
  clarification_answered: 'clarification answered',
  reply: 'reply',
};

/** One thing the load changes (or, in a dry run, would change). */
export interface RegisterChange {
  ods: string;
  what: 'request' | 'sent_date' | 'our_ref' | 'their_ref' | 'note' | 'event_added' | 'event_dropped' | 'event_changed';
  from: string | null;
  to: string | null;
  /** The row of the file that states it; absent for an event dropped by --replace from a trust not in the file. */
  row?: number;
}

export interface RegisterLoad {
  sha256: string;
  rows: number;
  created: string[];
  updated: string[];
  events: number;
  changes: RegisterChange[];
  /** Recorded events the file leaves blank: kept (merge). */
  kept: number;
  dryRun: boolean;
  issues: Issue[];
}

interface StoredEvent {
  id: string;
  request_id: string;
  kind: string;
  event_date: string;
  detail: unknown;
}
const exemptionsOf = (detail: unknown): string[] =>
  [...((detail as { exemptions?: string[] } | null)?.exemptions ?? [])].sort();
const eventText = (kind: string, date: string, exemptions: string[]) =>
  `${KIND_LABEL[kind as RegisterKind] ?? kind} ${date}${exemptions.length ? ` (${exemptions.join(', ')})` : ''}`;

export async function loadRegisterFile(
  input: { path: string; wave: number; replace?: boolean; dryRun?: boolean },
  ctx: Ctx,
): Promise<RegisterLoad> {
  const bytes = readGivenFile(input.path, 'register', 'Check the path; the register is an .xlsx or .csv file.');
  const { trusts, calendar } = foiReference(input.wave, ctx.workspace.wavesDir);
  const name = basename(input.path);
  const hash = sha256(bytes);
  const now = ctx.clock.now();
  const dryRun = input.dryRun === true;
  await assertWaveUnlocked(ctx.db, input.wave, 'foi register');
  const read = await readRegister({ bytes, fileHash: hash }, trusts);
  const issues = [...read.issues];
  const at = (r: RegisterRow) => ({ ...r.location, fileHash: hash });
  let events = 0;
  let kept = 0;
  const created: string[] = [];
  const updated: string[] = [];
  const changes: RegisterChange[] = [];
  const drops: RegisterChange[] = [];

  const work = async (trx: Transaction<Database>) => {
    const run = await trx
      .insertInto('ingest_run')
      .values({
        wave: input.wave,
        command: `foi register --wave ${input.wave}`,
        code_version: ctx.codeVersion,
        started_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const runId = String(run.id);
    await recordReceipt(trx, {
      sha256: hash,
      sizeBytes: bytes.length,
      mediaType: sniffMediaType(bytes, name),
      name,
      wave: input.wave,
      sourceKind: 'foi_register',
      at: now,
      runId,
    });
    await seedTrusts(trx, trusts, now);
    const wave = await trx
      .selectFrom('foi_request')
      .select(['id', 'trust_ods', 'sent_date', 'our_ref', 'their_ref', 'register_note'])
      .where('wave', '=', input.wave)
      .execute();
    const stored: StoredEvent[] =
      wave.length === 0
        ? []
        : await trx
            .selectFrom('foi_status_event')
            .select(['id', 'request_id', 'kind', 'event_date', 'detail'])
            .where('source', '=', 'register')
            .where(
              'request_id',
              'in',
              wave.map((w) => String(w.id)),
            )
            .orderBy('id')
            .execute();
    const byOds = new Map(wave.map((w) => [w.trust_ods, w]));
    const odsOf = new Map(wave.map((w) => [String(w.id), w.trust_ods]));
    /** Register events of the wave not (yet) restated by a row of this file. */
    const unstated = new Map(stored.map((e) => [String(e.id), e]));
    const toDelete = new Set<string>();

    for (const row of read.rows) {
      if (row.trust === null) continue; // register_trust_unknown already says so, at this row
      const ods = row.trust.originalOdsCode; // the trust asked then, even if it has merged since
      const n = row.location.row;
      const before = byOds.get(ods);
      const sent = row.dateSent ?? before?.sent_date ?? null;
      if (sent === null) {
        issues.push(
          issue(
            'register_row_not_sent',
            'error',
            `No date sent for ${ods} and no request to it in wave ${input.wave}; nothing recorded for this row.`,
            at(row),
          ),
        );
        continue;
      }
      const trust = trusts.byOds.get(ods)!;
      let due;
      try {
        due = dueDate(sent, calendar, undefined, lawOf(trust));
      } catch (err) {
        if (!(err instanceof CalendarRangeError)) throw err;
        issues.push(
          issue('register_date_outside_calendar', 'error', `${err.message} ${err.hint}`, at(row), { raw: sent }),
        );
        continue;
      }
      const excluded = eligibility(trust, sent);
      if (excluded)
        issues.push(
          issue(
            'register_trust_not_expected',
            'warning',
            `${ods} was asked on ${sent} but the reference list says ${excluded.replace(/_/g, ' ')}; recorded as typed.`,
            at(row),
          ),
        );
      const note =
        [row.typedStatus && `status typed as "${row.typedStatus}"`, row.notes && `notes: ${row.notes}`]
          .filter(Boolean)
          .join('; ') || null;
      let id: string;
      if (before) {
        id = String(before.id);
        // A row changes only what it states: a blank cell keeps what is recorded.
        const set: Record<string, string> = {};
        const change = (what: RegisterChange['what'], from: string | null, to: string | null) => {
          if (to === null || to === from) return;
          changes.push({ ods, what, from, to, row: n });
          set[what === 'note' ? 'register_note' : what] = to;
        };
        change('sent_date', before.sent_date, row.dateSent);
        change('our_ref', before.our_ref, row.ourRef);
        change('their_ref', before.their_ref, row.theirRef);
        change('note', before.register_note, note);
        if (set.sent_date !== undefined) {
          issues.push(
            issue(
              'register_sent_date_changed',
              'info',
              `${ods}: sent date ${before.sent_date} -> ${sent} from the register; due date recomputed.`,
              at(row),
            ),
          );
          Object.assign(set, {
            received_date: sent,
            due_date: due.due,
            due_explanation: JSON.stringify(due),
            calendar_version: calendar.version,
          });
        }
        if (Object.keys(set).length > 0) {
          await trx.updateTable('foi_request').set(set).where('id', '=', id).execute();
          updated.push(ods);
        }
      } else {
        const ins = await trx
          .insertInto('foi_request')
          .values({
            wave: input.wave,
            trust_ods: ods,
            sent_date: sent,
            received_date: sent,
            due_date: due.due,
            due_explanation: JSON.stringify(due),
            calendar_version: calendar.version,
            register_note: note,
            our_ref: row.ourRef,
            their_ref: row.theirRef,
            trust_list_sha256: trusts.version,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = String(ins.id);
        byOds.set(ods, {
          id: ins.id,
          trust_ods: ods,
          sent_date: sent,
          our_ref: row.ourRef,
          their_ref: row.theirRef,
          register_note: note,
        });
        odsOf.set(id, ods);
        created.push(ods);
        changes.push({ ods, what: 'request', from: null, to: `sent ${sent}, due ${due.due}`, row: n });
      }
      const dated: [string | null, RegisterKind, string[]][] = [
        [row.clarificationAsked, 'clarification_asked', []],
        [row.clarificationAnswered, 'clarification_answered', []],
        [row.dateReplied, 'reply', [...row.exemptions].sort()],
      ];
      for (const [date, kind, exemptions] of dated) {
        const mine = stored.filter((e) => String(e.request_id) === id && e.kind === kind);
        if (date === null) {
          kept += mine.length; // stays (merge), unless --replace drops it below
          continue;
        }
        let same = false;
        for (const e of mine) {
          unstated.delete(String(e.id));
          const old = exemptionsOf(e.detail);
          const oldText = eventText(kind, e.event_date, old);
          if (e.event_date === date && (exemptions.length === 0 || old.join() === exemptions.join())) {
            same = true; // as recorded (a blank exemptions cell keeps the recorded ones)
            continue;
          }
          toDelete.add(String(e.id));
          const newText = eventText(kind, date, exemptions);
          // Only something recorded is lost: adding exemptions to a reply that had none loses nothing.
          if (e.event_date === date && old.length === 0)
            changes.push({ ods, what: 'event_changed', from: oldText, to: newText, row: n });
          else drops.push({ ods, what: 'event_changed', from: oldText, to: newText, row: n });
        }
        if (same) continue;
        const detail = JSON.stringify({ ...(exemptions.length ? { exemptions } : {}), register: hash, row: n });
        await trx
          .deleteFrom('foi_status_event')
          .where('request_id', '=', id)
          .where('kind', '=', kind)
          .where('source', '=', 'register')
          .where('event_date', '=', date)
          .execute();
        await trx
          .insertInto('foi_status_event')
          .values({
            request_id: id,
            event_date: date,
            kind,
            source: 'register',
            detail,
            note: kind === 'reply' ? note : null,
            recorded_at: now,
          })
          .execute();
        events += 1;
        if (!mine.some((e) => toDelete.has(String(e.id))))
          changes.push({ ods, what: 'event_added', from: null, to: eventText(kind, date, exemptions), row: n });
      }
    }
    if (input.replace) {
      // The file is the whole record: register events it does not state go.
      for (const e of unstated.values()) {
        toDelete.add(String(e.id));
        drops.push({
          ods: odsOf.get(String(e.request_id)) ?? '?',
          what: 'event_dropped',
          from: eventText(e.kind, e.event_date, exemptionsOf(e.detail)),
          to: null,
        });
      }
      kept = 0;
    } else if (drops.length > 0) {
      throw new CensusError(
        'usage',
        `${name} would drop ${drops.length} event(s) recorded from an earlier register:\n${drops
          .map((d) => `  ${d.ods} (row ${d.row}): ${d.from} -> ${d.to}`)
          .join('\n')}\nNothing was loaded.`,
        'Check those rows. If the new dates are right, load it again with --replace (the file then replaces the register events of the wave); --dry-run shows every change first.',
      );
    }
    // Dropped events go; a retraction typed for one of them is dropped with it (it names nothing any more).
    if (toDelete.size > 0) {
      const ids = [...toDelete];
      const retractions = await trx
        .selectFrom('foi_status_event')
        .select(['id', 'detail'])
        .where('kind', '=', 'retraction')
        .execute();
      const named = retractions.filter((r) => ids.includes(String((r.detail as { retracts?: string }).retracts)));
      if (named.length)
        issues.push(
          issue(
            'register_events_replaced',
            'info',
            `${named.length} retraction(s) named events this register replaced; they stay in the audit log.`,
            { fileHash: hash },
          ),
        );
      await trx.deleteFrom('foi_status_event').where('id', 'in', ids).where('source', '=', 'register').execute();
    }
    changes.push(...drops);
    await trx.deleteFrom('data_issue').where('sha256', '=', hash).where('wave', '=', input.wave).execute();
    if (issues.length)
      await trx
        .insertInto('data_issue')
        .values(
          issues.map((i) => issueRow({ ...i, location: { ...i.location, fileHash: hash } }, name, input.wave, runId)),
        )
        .execute();
    const errors = issues.filter((i) => i.severity === 'error').length;
    const counts = { rows: read.rows.length, created: created.length, updated: updated.length, events, kept };
    await trx
      .updateTable('ingest_run')
      .set({ status: errors ? 'done_with_errors' : 'done', finished_at: now, counts: JSON.stringify(counts) })
      .where('id', '=', runId)
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: ctx.actor ?? 'unknown',
      action: 'foi_register',
      wave: input.wave,
      detail: {
        run: runId,
        sha256: hash,
        ...counts,
        replace: input.replace === true,
        changes: changes.map((c) => `${c.ods} ${c.what}: ${c.from ?? '-'} -> ${c.to ?? '-'}`),
      },
    });
  };
  if (!dryRun) await putBytes(ctx.workspace.storeDir, bytes, hash);
  await maybeDry(ctx, dryRun, work);
  return { sha256: hash, rows: read.rows.length, created, updated, events, changes, kept, dryRun, issues };
}
