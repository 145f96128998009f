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
import { eligibility, seedTrusts } from './trust-table.ts';
import { foiReference } from './wave.ts';
import { assertWaveUnlocked, recordAudit } from '../db/audit-log.ts';

/**
 * `census foi register FILE`: a research team's own register. Rows create or update requests and give
 * dated events; a typed status is kept only as a note, since status is re-derived from the dates. The
 * file's events replace those of any register loaded before for the wave (the latest register is the
 * team's record); events typed with `census foi event` and reply files are never touched.
 */

export interface RegisterLoad {
  sha256: string;
  rows: number;
  created: string[];
  updated: string[];
  events: number;
  issues: Issue[];
}

export async function loadRegisterFile(input: { path: string; wave: number }, ctx: Ctx): Promise<RegisterLoad> {
  const bytes = readGivenFile(input.path, 'register', 'Check the path; the register is an .xlsx or .csv file.');
  const { trusts, calendar } = foiReference(input.wave);
  const name = basename(input.path);
  const hash = sha256(bytes);
  const now = ctx.clock.now();
  await assertWaveUnlocked(ctx.db, input.wave, 'foi register');
  await putBytes(ctx.workspace.storeDir, bytes, hash);
  const read = await readRegister({ bytes, fileHash: hash }, trusts);
  const issues = [...read.issues];
  const at = (r: RegisterRow) => ({ ...r.location, fileHash: hash });
  let events = 0;
  const created: string[] = [];
  const updated: string[] = [];

  await ctx.db.transaction().execute(async (trx) => {
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
      .select(['id', 'trust_ods', 'sent_date'])
      .where('wave', '=', input.wave)
      .execute();
    if (wave.length > 0)
      await trx
        .deleteFrom('foi_status_event')
        .where('source', '=', 'register')
        .where(
          'request_id',
          'in',
          wave.map((w) => String(w.id)),
        )
        .execute();
    const byOds = new Map(wave.map((w) => [w.trust_ods, w]));

    for (const row of read.rows) {
      if (row.trust === null) continue; // register_trust_unknown already says so, at this row
      const ods = row.trust.originalOdsCode; // the trust asked then, even if it has merged since
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
      let due;
      try {
        due = dueDate(sent, calendar);
      } catch (err) {
        if (!(err instanceof CalendarRangeError)) throw err;
        issues.push(
          issue('register_date_outside_calendar', 'error', `${err.message} ${err.hint}`, at(row), { raw: sent }),
        );
        continue;
      }
      const excluded = eligibility(trusts.byOds.get(ods)!, sent);
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
      const fields = {
        sent_date: sent,
        received_date: sent,
        due_date: due.due,
        due_explanation: JSON.stringify(due),
        calendar_version: calendar.version,
        register_note: note,
      };
      let id: string;
      if (before) {
        id = String(before.id);
        if (before.sent_date !== sent)
          issues.push(
            issue(
              'register_sent_date_changed',
              'info',
              `${ods}: sent date ${before.sent_date} -> ${sent} from the register; due date recomputed.`,
              at(row),
            ),
          );
        await trx
          .updateTable('foi_request')
          .set({
            ...fields,
            ...(row.ourRef ? { our_ref: row.ourRef } : {}),
            ...(row.theirRef ? { their_ref: row.theirRef } : {}),
          })
          .where('id', '=', id)
          .execute();
        updated.push(ods);
      } else {
        const ins = await trx
          .insertInto('foi_request')
          .values({
            wave: input.wave,
            trust_ods: ods,
            ...fields,
            our_ref: row.ourRef,
            their_ref: row.theirRef,
            trust_list_sha256: trusts.version,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = String(ins.id);
        byOds.set(ods, { id: ins.id, trust_ods: ods, sent_date: sent });
        created.push(ods);
      }
      const dated: [
        string | null,
        'clarification_asked' | 'clarification_answered' | 'reply',
        Record<string, unknown>,
      ][] = [
        [row.clarificationAsked, 'clarification_asked', {}],
        [row.clarificationAnswered, 'clarification_answered', {}],
        [row.dateReplied, 'reply', row.exemptions.length ? { exemptions: row.exemptions } : {}],
      ];
      for (const [date, kind, extra] of dated) {
        if (date === null) continue;
        const res = await trx
          .insertInto('foi_status_event')
          .values({
            request_id: id,
            event_date: date,
            kind,
            source: 'register',
            detail: JSON.stringify({ ...extra, register: hash, row: row.location.row }),
            note: kind === 'reply' ? note : null,
            recorded_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (res) events += 1;
      }
    }
    await trx.deleteFrom('data_issue').where('sha256', '=', hash).where('wave', '=', input.wave).execute();
    if (issues.length)
      await trx
        .insertInto('data_issue')
        .values(
          issues.map((i) => issueRow({ ...i, location: { ...i.location, fileHash: hash } }, name, input.wave, runId)),
        )
        .execute();
    const errors = issues.filter((i) => i.severity === 'error').length;
    await trx
      .updateTable('ingest_run')
      .set({
        status: errors ? 'done_with_errors' : 'done',
        finished_at: now,
        counts: JSON.stringify({ rows: read.rows.length, created: created.length, updated: updated.length, events }),
      })
      .where('id', '=', runId)
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: ctx.actor ?? 'unknown',
      action: 'foi_register',
      wave: input.wave,
      detail: { run: runId, sha256: hash, created: created.length, updated: updated.length, events },
    });
  });
  return { sha256: hash, rows: read.rows.length, created, updated, events, issues };
}
