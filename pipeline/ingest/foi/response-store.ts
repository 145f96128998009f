import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../schemas/db.ts';
import type { FoiReadResult } from '../../../schemas/foi.ts';
import { issue, type Issue } from '../../../schemas/issue.ts';
import type { TrustList } from '../../../sources/foi/trusts.ts';
import type { Ctx } from '../../runtime/ctx.ts';
import { issueRow } from '../../db/issue-rows.ts';
import { fileTransaction } from '../../db/commit-group.ts';
import type { StoredFile } from '../../../schemas/stage.ts';
import { codingConflicts } from '../../foi/conflicts.ts';
import { londonDate } from '../../foi/dates.ts';
import {
  coveringEmailDate,
  coveringEmailNotes,
  dateSiblings,
  linkSiblings,
  matchResponse,
  noteSiblings,
  type ResponseMatch,
} from '../../foi/match.ts';
import { seedTrusts } from '../../foi/trust-table.ts';
import { codedValueRow, textAnswerRow } from '../../foi/value-rows.ts';
import { gateValues } from '../../../sources/foi/gate.ts';
import { doubtTrustSplits, jointShare, type JointTrust } from '../../../sources/foi/joint.ts';
import { applyPeriodNotes, type PeriodNote } from '../../../sources/foi/period-note.ts';

/**
 * load for one FOI reply: one transaction per file. The automatic values, the reply event and the
 * issues of the file are replaced (keyed by sha256 + wave, like pipeline/load.ts), so a rerun gives the
 * rows of one clean run; what people added (a match by hand, coded values) is kept and re-checked.
 */

/** `issues`: all of the file's; `loadIssues`: those of matching and storing alone (for the stage ledger). */
export interface StoredResponse {
  responseId: string;
  match: ResponseMatch;
  issues: Issue[];
  loadIssues: Issue[];
}

const matchColumns = (match: ResponseMatch) => ({
  request_id: match.requestId,
  trust_ods: match.trustOds,
  matched_ods: match.matchedOds,
  match_method: match.method,
  match_score: match.score,
  match_detail: match.detail,
  matched_by: match.matchedBy,
  matched_at: match.matchedAt,
});

/** The trusts asked in the wave, by name, for telling a joint reply's rows apart. */
async function askedTrusts(trx: Transaction<Database>, wave: number, trusts: TrustList): Promise<JointTrust[]> {
  const rows = await trx
    .selectFrom('foi_request')
    .select('trust_ods')
    .where('wave', '=', wave)
    .orderBy('trust_ods')
    .execute();
  return rows.map((r) => ({ ods: r.trust_ods, name: trusts.byOds.get(r.trust_ods)?.name ?? r.trust_ods }));
}

/**
 * The day the register says the request was replied to (its "Date of reply" column), when it says one
 * day only: the date of a reply that carries none of its own (v9 corpus: "reply has no date; received by
 * e-mail 9 April 2024"), before the day census received the file.
 */
async function registerReplyDate(trx: Transaction<Database>, requestId: string | null): Promise<string | null> {
  if (requestId === null) return null;
  const rows = await trx
    .selectFrom('foi_status_event')
    .select('event_date')
    .distinct()
    .where('request_id', '=', requestId)
    .where('kind', '=', 'reply')
    .where('source', '=', 'register')
    .execute();
  return rows.length === 1 ? String(rows[0]!.event_date) : null;
}

export async function storeResponse(
  file: StoredFile,
  read: FoiReadResult,
  input: { runId: string; ruleVersion: string; trusts: TrustList; received?: string; trustsSeeded?: boolean },
  ctx: Ctx,
): Promise<StoredResponse> {
  const now = ctx.clock.now();
  let valueRows = 0;
  // In the ingest's open group of files under a savepoint of its own (pipeline/db/commit-group.ts).
  return fileTransaction(
    ctx,
    async (trx) => {
      valueRows = 0;
      // The trust table is seeded once per batch by the processor (foiProcessorFor), not once per reply.
      if (!input.trustsSeeded) await seedTrusts(trx, input.trusts, now);
      const {
        match,
        joint = [],
        issues: matchIssues,
        candidates,
      } = await matchResponse(
        trx,
        {
          sha256: file.hash,
          wave: file.wave,
          hint: read.trustHint,
          fileName: file.originalName,
          ...(file.parentHash ? { parentHash: file.parentHash } : {}),
        },
        input.trusts,
      );
      const parent =
        file.parentHash === undefined
          ? undefined
          : await trx
              .selectFrom('foi_response')
              .select(['reply_date', 'basis'])
              .where('sha256', '=', file.parentHash)
              .where('wave', '=', file.wave)
              .where('joint_ods', 'is', null)
              .executeTakeFirst();
      // receive gives the receipt's time; read only for a file that did not come through it.
      const receipt = file.receivedAt
        ? { received_at: file.receivedAt }
        : await trx
            .selectFrom('file_receipt')
            .select('received_at')
            .where('sha256', '=', file.hash)
            .where('wave', '=', file.wave)
            .executeTakeFirst();
      // The day a person says it arrived (census ingest --received), else the reply's own date (an e-mail's
      // Date header, a letter's date), else the e-mail it came in or was sent alongside (same reference
      // stem), else the day census received the file: said as an issue, since that may be much later.
      const covering =
        input.received ??
        read.replyDate ??
        parent?.reply_date ??
        (await coveringEmailDate(trx, file.wave, file.hash, file.originalName)) ??
        (await registerReplyDate(trx, match.requestId));
      const replyDate = covering ?? londonDate(receipt?.received_at ?? now);
      const dateIssues =
        covering === undefined || covering === null
          ? [
              issue(
                'reply_date_assumed',
                'info',
                `No date in the reply, its e-mail or --received: dated ${replyDate}, the day census received it (a covering e-mail ingested later gives it its date). If it arrived earlier, ingest it again with --received YYYY-MM-DD.`,
                { fileHash: file.hash },
              ),
            ]
          : [];
      const row = {
        sha256: file.hash,
        wave: file.wave,
        source_kind: file.sourceKind,
        parent_sha256: file.parentHash ?? null,
        ...matchColumns(match),
        trust_hint: JSON.stringify(candidates.length > 0 ? { ...read.trustHint, candidates } : read.trustHint),
        reply_date: replyDate,
        basis: JSON.stringify({
          ...read.basis,
          ...(read.periodNotes ? { periodNotes: read.periodNotes } : {}),
          ...(read.allAcceptedNote ? { allAcceptedNote: read.allAcceptedNote } : {}),
        }),
        records: read.records ? JSON.stringify(read.records) : null,
        needs_manual_coding: read.needsManualCoding,
        // A clarification request or holding e-mail (sources/foi/reply-kind.ts): its event is not the reply.
        reply_kind: read.replyKind ?? null,
        state: match.requestId === null ? ('unmatched' as const) : ('matched' as const),
        rule_version: input.ruleVersion,
        run_id: input.runId,
        processed_at: now,
      };
      const { id } = await trx
        .insertInto('foi_response')
        .values(row)
        .onConflict((oc) => oc.columns(['sha256', 'wave']).where('joint_ods', 'is', null).doUpdateSet(row))
        .returning('id')
        .executeTakeFirstOrThrow();
      const responseId = String(id);
      // A joint reply: each trust's share of the values (sources/foi/joint.ts) on its own row of the file.
      const jointTrusts = [match, ...joint].map((m) => ({
        ods: m.matchedOds!,
        name: input.trusts.byOds.get(m.matchedOds!)?.name ?? m.matchedOds!,
      }));
      // An attachment takes the dates its e-mail says a year covers, for the years it says nothing of itself.
      const said =
        parent !== undefined
          ? ((parent?.basis as { periodNotes?: PeriodNote[] } | null | undefined)?.periodNotes ?? [])
          : await coveringEmailNotes(trx, file.wave, file.hash, file.originalName);
      const noted = read.values.map((v) => ({ ...v }));
      applyPeriodNotes(
        noted.filter((v) => !(v.evidence ?? '').includes('dates from the note')),
        said,
      );
      const noted2 = said.length === 0 ? read : { ...read, values: noted };
      // An attachment whose e-mail says every referral listed was accepted, giving no accepted count itself.
      const dated = acceptedFromParent(
        noted2,
        (parent?.basis as { allAcceptedNote?: FoiReadResult['allAcceptedNote'] } | null | undefined)?.allAcceptedNote,
      );
      // Rows naming different trusts of the wave, summed for one: only a suggestion (sources/foi/joint.ts).
      // (The wave's trusts are read only for a reply with a summed split: most have none.)
      const split = dated.values.some((v) => (v.derivedFrom?.length ?? 0) > 1);
      const own =
        joint.length > 0 || !split
          ? dated
          : { ...dated, values: doubtTrustSplits(dated.values, await askedTrusts(trx, file.wave, input.trusts)) };
      const share = (m: ResponseMatch) =>
        joint.length === 0
          ? own
          : jointShare(
              own,
              jointTrusts.find((t) => t.ods === m.matchedOds)!,
              jointTrusts,
            );
      const event = (requestId: string, id: string) => ({
        request_id: requestId,
        event_date: replyDate,
        kind: 'reply' as const,
        source: 'response' as const,
        response_id: id,
        detail: JSON.stringify({ sha256: file.hash, file: file.originalName }),
        note: null,
        recorded_at: now,
      });
      const storeValues = async (id: string, m: ResponseMatch) => {
        const mine = share(m);
        // Tens of values per reply: Kysely inserts are plenty here (COPY pays only for bulk rows).
        const values = [
          // The confidence gate: weak readings and readings that disagree are stored as suggestions.
          ...gateValues(mine.values).map((v) => codedValueRow(id, v)),
          ...mine.textAnswers.map((a) => textAnswerRow(id, a)),
        ];
        valueRows += values.length;
        // The earlier automatic values and reply event go in the same statement as the new values
        // (#18; no unique key of foi_value holds automatic rows, and the deletes see only rows from
        // before the statement); the new event follows (foi_status_event_response is unique).
        const withGone = trx
          .with('gone_event', (qb) => qb.deleteFrom('foi_status_event').where('response_id', '=', id).returning('id'))
          .with('gone', (qb) =>
            qb.deleteFrom('foi_value').where('response_id', '=', id).where('method', '=', 'automatic').returning('id'),
          );
        if (values.length > 0) await withGone.insertInto('foi_value').values(values).execute();
        else await withGone.selectNoFrom(sql<number>`1`.as('done')).execute();
        if (m.requestId !== null) await trx.insertInto('foi_status_event').values(event(m.requestId, id)).execute();
      };
      await storeValues(responseId, match);
      for (const part of joint) {
        const partRow = { ...row, ...matchColumns(part), joint_ods: part.matchedOds, state: 'matched' as const };
        const { id: partId } = await trx
          .insertInto('foi_response')
          .values(partRow)
          .onConflict((oc) =>
            oc.columns(['sha256', 'wave', 'joint_ods']).where('joint_ods', 'is not', null).doUpdateSet(partRow),
          )
          .returning('id')
          .executeTakeFirstOrThrow();
        await storeValues(String(partId), part);
      }
      // Parts of an earlier reading that this one no longer finds (with their values and events).
      await trx
        .deleteFrom('foi_response')
        .where('sha256', '=', file.hash)
        .where('wave', '=', file.wave)
        .where('joint_ods', 'is not', null)
        .$if(joint.length > 0, (q) =>
          q.where(
            'joint_ods',
            'not in',
            joint.map((p) => p.matchedOds!),
          ),
        )
        .execute();
      // Files sent alongside this reply that waited unmatched (read before it) follow it now.
      if (match.requestId !== null)
        await linkSiblings(trx, {
          wave: file.wave,
          sha256: file.hash,
          fileName: file.originalName,
          match,
          now,
          // A covering e-mail gives its Date to the files sent alongside it that have none of their own.
          ...(/\.eml$/i.test(file.originalName) && read.replyDate !== undefined
            ? { coveringDate: read.replyDate }
            : {}),
        });
      // People's coded values stay; any that now disagree with what the reader finds are shown again.
      const current = await trx
        .selectFrom('foi_value_current')
        .selectAll()
        .where('response_id', '=', responseId)
        .orderBy('id')
        .execute();
      const conflicts = codingConflicts(
        current.filter((v) => v.method === 'automatic' && v.suggestion === null),
        current.filter((v) => v.method === 'coded'),
        file.hash,
        'A person',
      );
      const issues = [...read.issues, ...matchIssues, ...conflicts, ...dateIssues].map((i) => ({
        ...i,
        location: { ...i.location, fileHash: file.hash },
      }));
      // The file's earlier issues, its new ones and its receipt's rule version in one statement (#18).
      const withGone = trx
        .with('gone', (qb) =>
          qb.deleteFrom('data_issue').where('sha256', '=', file.hash).where('wave', '=', file.wave).returning('id'),
        )
        .with('processed', (qb) =>
          qb
            .updateTable('file_receipt')
            .set({ processed_rule_version: input.ruleVersion })
            .where('sha256', '=', file.hash)
            .where('wave', '=', file.wave)
            .returning('id'),
        );
      if (issues.length > 0)
        await withGone
          .insertInto('data_issue')
          .values(issues.map((i) => issueRow(i, file.originalName, file.wave, input.runId)))
          .execute();
      else await withGone.selectNoFrom(sql<number>`1`.as('done')).execute();
      // Files sent alongside this e-mail and read before it take the dates it says a year covers.
      if (read.periodNotes)
        await noteSiblings(trx, {
          wave: file.wave,
          sha256: file.hash,
          fileName: file.originalName,
          notes: read.periodNotes,
        });
      // Files sent alongside this e-mail and read before it, matched on their own but dated by the day
      // census received them, take its date now and lose reply_date_assumed (after this file's own
      // issues are written: an e-mail with no date of its own gives none).
      if (/\.eml$/i.test(file.originalName) && dateIssues.length === 0)
        await dateSiblings(trx, {
          wave: file.wave,
          sha256: file.hash,
          fileName: file.originalName,
          requestId: match.requestId,
          now,
        });
      ctx.checkpoint?.('load:in-transaction');
      return { responseId, match, issues, loadIssues: [...matchIssues, ...conflicts, ...dateIssues] };
    },
    (r) => 1 + valueRows + r.issues.length,
  );
}

/**
 * An attachment read on its own (an extract, a table) whose covering e-mail says every referral listed was
 * accepted: each firm received count is also the accepted count of its period, quoted from the e-mail, when
 * the attachment gives no accepted count (nor a refusal or not-held) of its own. Suggestions stay as they are.
 */
function acceptedFromParent(read: FoiReadResult, note: FoiReadResult['allAcceptedNote']): FoiReadResult {
  if (note === undefined) return read;
  if (
    read.values.some((v) => v.questionId === note.acceptedId && (v.interval !== null || v.missingReason !== undefined))
  )
    return read;
  const given = read.values.filter((v) => v.questionId === note.receivedId && v.interval !== null && !v.suggestion);
  if (given.length === 0) return read;
  const copies = given.map((v) => ({
    ...v,
    questionId: note.acceptedId,
    basis: 'accepted' as const,
    evidence: `the covering e-mail says every referral listed was accepted: ${note.quote}`,
  }));
  return { ...read, values: [...read.values, ...copies] };
}
