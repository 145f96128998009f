import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { requestFor } from './events.ts';
import { seedTrusts } from './trust-table.ts';
import { foiReference } from './wave.ts';
import { assertWaveUnlocked, recordAudit, recordedText } from '../db/audit-log.ts';

/** The queue of replies matched to no request, and the match a person makes by hand (method 'manual'). */

export interface UnmatchedReply {
  sha256: string;
  file: string;
  kind: string;
  parent: string | null;
  readAs: string | null;
  why: string;
  hint: Record<string, string>;
  needsManualCoding: boolean;
}

export async function listUnmatched(wave: number, ctx: Ctx): Promise<UnmatchedReply[]> {
  const rows = await ctx.db
    .selectFrom('foi_unmatched')
    .selectAll()
    .where('wave', '=', wave)
    .orderBy('received_at')
    .orderBy('original_name')
    .orderBy('sha256')
    .execute();
  return rows.map((r) => ({
    sha256: r.sha256,
    file: r.original_name,
    kind: r.source_kind,
    parent: r.parent_sha256,
    readAs: r.trust_ods,
    why: r.trust_ods
      ? `reads as ${r.match_detail ?? r.trust_ods}, but no request to it in this wave`
      : 'names no trust census could recognise',
    hint: r.trust_hint,
    needsManualCoding: r.needs_manual_coding,
  }));
}

export interface ManualMatch {
  sha256: string;
  file: string;
  trust: string;
  attachments: string[];
}

/**
 * Matches one reply (named by a prefix of its sha256) to the request sent to a trust in the wave.
 * Unmatched attachments of that reply follow it: they came in the same e-mail. A reply already matched
 * can be re-matched by hand; the match is kept through later re-ingests.
 */
export async function matchByHand(
  input: { wave: number; file: string; trust: string; by: string },
  ctx: Ctx,
): Promise<ManualMatch> {
  const prefix = input.file.trim().toLowerCase();
  if (!/^[0-9a-f]{6,64}$/.test(prefix))
    throw new CensusError(
      'usage',
      `--file must be at least 6 hex characters of the reply's sha256, not "${input.file}".`,
      `census foi unmatched --wave ${input.wave} lists the replies with their sha256.`,
    );
  // The one rule for recorded names (no blank, punctuation-only or invisible text).
  input = { ...input, by: recordedText('--by', input.by, 'name') };
  const { trusts } = foiReference(input.wave, ctx.workspace.wavesDir);
  await assertWaveUnlocked(ctx.db, input.wave, 'foi match');
  const ods = input.trust.trim().toUpperCase();
  if (!trusts.byOds.has(ods))
    throw new CensusError(
      'usage',
      `${ods} is not an ODS code in the trust list.`,
      'Use the ODS code shown by census foi status (e.g. RXT).',
    );
  const found = await ctx.db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .select(['foi_response.id', 'foi_response.sha256', 'file_receipt.original_name'])
    .where('foi_response.wave', '=', input.wave)
    .where('foi_response.sha256', 'like', `${prefix}%`)
    .execute();
  if (found.length !== 1) {
    throw new CensusError(
      'usage',
      found.length === 0
        ? `No reply in wave ${input.wave} has a sha256 starting ${prefix}.`
        : `${found.length} replies in wave ${input.wave} have a sha256 starting ${prefix}.`,
      found.length === 0
        ? `census foi unmatched --wave ${input.wave} lists the replies waiting.`
        : 'Give more characters of the sha256.',
    );
  }
  const reply = found[0]!;
  const req = await requestFor(input.wave, ods, ctx);
  const now = ctx.clock.now();
  const attachments: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    await seedTrusts(trx, trusts, now);
    const children = await trx
      .selectFrom('foi_response')
      .select(['id', 'sha256'])
      .where('wave', '=', input.wave)
      .where('parent_sha256', '=', reply.sha256)
      .where('request_id', 'is', null)
      .orderBy('sha256')
      .execute();
    for (const r of [
      { id: reply.id, sha256: reply.sha256, child: false },
      ...children.map((c) => ({ ...c, child: true })),
    ]) {
      const detail = r.child
        ? `by hand, with the e-mail it came attached to (${reply.sha256.slice(0, 12)})`
        : 'by hand';
      await trx
        .updateTable('foi_response')
        .set({
          request_id: req.id,
          trust_ods: ods,
          matched_ods: ods,
          match_method: 'manual',
          match_score: 1,
          match_detail: detail,
          matched_by: input.by.trim(),
          matched_at: now,
          state: 'matched',
        })
        .where('id', '=', String(r.id))
        .execute();
      const date = await trx
        .selectFrom('foi_response')
        .select('reply_date')
        .where('id', '=', String(r.id))
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('foi_status_event').where('response_id', '=', String(r.id)).execute();
      await trx
        .insertInto('foi_status_event')
        .values({
          request_id: req.id,
          event_date: date.reply_date ?? req.received,
          kind: 'reply',
          source: 'response',
          response_id: String(r.id),
          detail: JSON.stringify({ sha256: r.sha256, matchedBy: input.by.trim() }),
          note: null,
          recorded_at: now,
        })
        .execute();
      if (r.child) attachments.push(r.sha256);
    }
    await recordAudit(trx, {
      at: now,
      actor: input.by.trim(),
      action: 'foi_match',
      wave: input.wave,
      detail: { sha256: reply.sha256, trust: ods, attachments: attachments.length },
    });
    // The unmatched warning no longer holds for these files.
    await trx
      .deleteFrom('data_issue')
      .where('wave', '=', input.wave)
      .where('sha256', 'in', [reply.sha256, ...attachments])
      .where('code', 'in', ['foi_reply_unmatched', 'foi_reply_no_request'])
      .execute();
  });
  return { sha256: reply.sha256, file: reply.original_name, trust: ods, attachments };
}
