import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { requestFor } from './events.ts';
import { seedTrusts } from './trust-table.ts';
import { foiReference } from './wave.ts';
import { dropFileIssues } from './match.ts';
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
  /**
   * Trusts a person might pick, best first: those the reply's loose evidence points to (name words, domain,
   * file name); for a reply with no evidence at all (a scan), the requests of the wave still without a
   * matched reply: first those the register says replied on the date the file's name carries, then those it
   * says replied at all, then the rest (score 0, in ODS order: their order says nothing).
   */
  candidates: { ods: string; why: string; score: number }[];
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
  const waiting = await ctx.db
    .selectFrom('foi_request')
    .select(['id', 'trust_ods'])
    .where('wave', '=', wave)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('foi_response')
            .select('foi_response.id')
            .whereRef('foi_response.request_id', '=', 'foi_request.id')
            .where('foi_response.state', '=', 'matched'),
        ),
      ),
    )
    .orderBy('trust_ods')
    .execute();
  // Replies the register records (a date typed there) with no reply file matched: the file may be this one.
  const typed =
    waiting.length === 0
      ? []
      : await ctx.db
          .selectFrom('foi_status_event')
          .select(['request_id', 'event_date'])
          .where('kind', '=', 'reply')
          .where('response_id', 'is', null)
          .where(
            'request_id',
            'in',
            waiting.map((w) => String(w.id)),
          )
          .execute();
  const unrepliedFor = (fileName: string): { ods: string; why: string; score: number }[] => {
    // A date in the file name ("SCAN_20240402_2337.pdf", "scan 2024-04-02.pdf") as the scanner wrote it.
    const m = /(?<!\d)(20\d\d)[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)/.exec(fileName);
    const named = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
    // An ODS code written as a word of the file name ("RGD_FOI_table.csv"): never a match by itself (the
    // words of a file name are not evidence enough: pipeline/foi/match.ts), but the first trust to offer.
    const words = new Set(fileName.replace(/\.[a-z0-9]+$/i, '').split(/[^A-Za-z0-9]+/));
    return waiting
      .map((w) => {
        if (words.has(w.trust_ods))
          return { ods: w.trust_ods, why: `its ODS code ${w.trust_ods} is in the file's name`, score: 0.6 };
        const days = typed.filter((e) => String(e.request_id) === String(w.id)).map((e) => String(e.event_date));
        if (named !== null && days.includes(named))
          return {
            ods: w.trust_ods,
            why: `the register records its reply on ${named}, the date in this file's name`,
            score: 0.5,
          };
        if (days.length > 0)
          return {
            ods: w.trust_ods,
            why: `the register records its reply on ${days[0]} but no file was matched`,
            score: 0.2,
          };
        return { ods: w.trust_ods, why: 'no reply matched to it yet', score: 0 };
      })
      .sort((x, y) => y.score - x.score || (x.ods < y.ods ? -1 : 1));
  };
  // Why the reading left a reply here, as the ingest said it (foi_reply_unmatched), without its advice.
  const said = new Map(
    rows.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('data_issue')
            .select(['sha256', 'message'])
            .where('wave', '=', wave)
            .where('code', '=', 'foi_reply_unmatched')
            .where(
              'sha256',
              'in',
              rows.map((r) => r.sha256),
            )
            .orderBy('id')
            .execute()
        ).map((i) => [i.sha256, i.message.replace(/;\s*it waits in the unmatched queue.*$/s, '.')]),
  );
  // The asked trusts a reply names exactly (ODS code, current or former name): first among its candidates.
  const { trusts } = foiReference(wave, ctx.workspace.wavesDir);
  const asked = new Set(
    (await ctx.db.selectFrom('foi_request').select('trust_ods').where('wave', '=', wave).execute()).map(
      (q) => q.trust_ods,
    ),
  );
  const byName = new Map<string, string>();
  for (const t of trusts.trusts) byName.set(t.name.toLowerCase(), t.odsCode);
  for (const n of trusts.names ?? []) byName.set(n.name.toLowerCase(), n.odsCode);
  const namedIn = (hint: Record<string, unknown>): { ods: string; why: string; score: number }[] => {
    const named = [
      ...(typeof hint.ods === 'string' ? [hint.ods.toUpperCase()] : []),
      ...[hint.name, ...(Array.isArray(hint.names) ? hint.names : [])].flatMap((n) =>
        typeof n === 'string' && byName.has(n.toLowerCase()) ? [byName.get(n.toLowerCase())!] : [],
      ),
    ];
    return [...new Set(named)]
      .filter((o) => asked.has(o))
      .map((o) => ({ ods: o, why: 'named in the reply', score: 1 }));
  };
  return rows.map((r) => ({
    candidates: ((): { ods: string; why: string; score: number }[] => {
      const own = (r.trust_hint as { candidates?: { ods: string; why: string; score: number }[] }).candidates ?? [];
      if (own.length > 0) return own;
      // A reply sent back by a person has no candidates of its own reading: the trusts it names come first.
      const named = r.match_method === 'manual' ? namedIn(r.trust_hint as Record<string, unknown>) : [];
      return [...named, ...unrepliedFor(r.original_name).filter((c) => !named.some((n) => n.ods === c.ods))];
    })(),
    sha256: r.sha256,
    file: r.original_name,
    kind: r.source_kind,
    parent: r.parent_sha256,
    readAs: r.trust_ods,
    why:
      r.match_method === 'manual'
        ? (r.match_detail ?? 'sent back to the queue by hand')
        : (said.get(r.sha256) ??
          (r.trust_ods
            ? `reads as ${r.match_detail ?? r.trust_ods}, but no request to it in this wave`
            : 'names no trust census could recognise')),
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
 * The reply a person names: a path to the file itself (matched by its content's sha256), at least six
 * hex characters of its sha256, or its file name as received (exactly, else as part of the name,
 * case aside). A name that fits several replies is a usage error listing them.
 */
export async function findReply(
  wave: number,
  file: string,
  ctx: Ctx,
): Promise<{ id: string; sha256: string; original_name: string }> {
  const given = file.trim();
  if (given === '') throw new CensusError('usage', '--file is empty.', "Give the reply's file name, path or sha256.");
  const rows = await ctx.db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .select(['foi_response.id', 'foi_response.sha256', 'file_receipt.original_name'])
    .where('foi_response.wave', '=', wave)
    // A joint reply's parts for other trusts (sql/022) are the same file: it is named by its own row.
    .where('foi_response.joint_ods', 'is', null)
    .orderBy('file_receipt.original_name')
    .orderBy('foi_response.sha256')
    .execute();
  const replies = [...new Map(rows.map((r) => [r.sha256, { ...r, id: String(r.id) }])).values()];
  const pick = (found: typeof replies, how: string) => {
    if (found.length === 1) return found[0]!;
    if (found.length === 0) return null;
    throw new CensusError(
      'usage',
      `${found.length} replies in wave ${wave} fit ${how}:\n${found
        .map((r) => `  ${r.sha256.slice(0, 12)}  ${r.original_name}`)
        .join('\n')}`,
      'Give the full file name or more characters of the sha256.',
    );
  };
  // A path to the file: its content says which reply it is, whatever it is called now.
  if (existsSync(given) && statSync(given).isFile()) {
    const sha = createHash('sha256').update(readFileSync(given)).digest('hex');
    const r = pick(
      replies.filter((x) => x.sha256 === sha),
      `the content of ${given}`,
    );
    if (r) return r;
  }
  if (/^[0-9a-f]{6,64}$/i.test(given)) {
    const r = pick(
      replies.filter((x) => x.sha256.startsWith(given.toLowerCase())),
      `a sha256 starting ${given.toLowerCase()}`,
    );
    if (r) return r;
  }
  const name = basename(given).toLowerCase();
  const r =
    pick(
      replies.filter((x) => x.original_name.toLowerCase() === name),
      `the name "${basename(given)}"`,
    ) ??
    pick(
      replies.filter((x) => x.original_name.toLowerCase().includes(name)),
      `"${basename(given)}" as part of the name`,
    );
  if (r) return r;
  throw new CensusError(
    'usage',
    `No reply in wave ${wave} has the file name, path or sha256 "${given}".`,
    `census foi unmatched --wave ${wave} lists the replies waiting; census foi status shows the rest.`,
  );
}

/**
 * Matches one reply (named by its file name, path or a prefix of its sha256) to the request sent to a trust in the wave.
 * Unmatched attachments of that reply follow it: they came in the same e-mail. A reply already matched
 * can be re-matched by hand; the match is kept through later re-ingests.
 */
export async function matchByHand(
  input: { wave: number; file: string; trust: string; by: string },
  ctx: Ctx,
): Promise<ManualMatch> {
  // The one rule for recorded names (no blank, punctuation-only or invisible text).
  input = { ...input, by: recordedText('--by', input.by, 'name') };
  const { trusts } = foiReference(input.wave, ctx.workspace.wavesDir);
  await assertWaveUnlocked(ctx.db, input.wave, 'foi match');
  // "RTQ,R1A": a joint reply from a shared FOI office, answering for each trust named.
  const named = [
    ...new Set(
      input.trust
        .split(/[\s,;]+/)
        .map((t) => t.trim().toUpperCase())
        .filter((t) => t !== ''),
    ),
  ];
  for (const o of named.length === 0 ? [''] : named)
    if (!trusts.byOds.has(o))
      throw new CensusError(
        'usage',
        `${o || '(none)'} is not an ODS code in the trust list.`,
        'Use the ODS code shown by census foi status (e.g. RXT), or several separated by commas for a joint reply.',
      );
  const [ods, ...others] = named as [string, ...string[]];
  const reply = await findReply(input.wave, input.file, ctx);
  const req = await requestFor(input.wave, ods, ctx);
  const parts = await Promise.all(others.map(async (o) => ({ ods: o, req: await requestFor(input.wave, o, ctx) })));
  const now = ctx.clock.now();
  const attachments: string[] = [];
  let wasJoint = false;
  await ctx.db.transaction().execute(async (trx) => {
    await seedTrusts(trx, trusts, now);
    // Matched by hand, a reply is the trusts named: parts of an earlier reading for others go. The parts
    // named are kept as a person's match; the file is read again below to give each its share.
    const gone = await trx
      .deleteFrom('foi_response')
      .where('wave', '=', input.wave)
      .where('sha256', '=', reply.sha256)
      .where('joint_ods', 'is not', null)
      .executeTakeFirst();
    wasJoint = Number(gone.numDeletedRows) > 0;
    for (const p of parts) {
      const own = await trx.selectFrom('foi_response').selectAll().where('id', '=', reply.id).executeTakeFirstOrThrow();
      await trx
        .insertInto('foi_response')
        .values({
          sha256: own.sha256,
          wave: own.wave,
          source_kind: own.source_kind,
          parent_sha256: own.parent_sha256,
          request_id: p.req.id,
          trust_ods: p.ods,
          matched_ods: p.ods,
          match_method: 'manual',
          match_score: 1,
          match_detail: `by hand, joint reply for ${named.join(' and ')}`,
          matched_by: input.by.trim(),
          matched_at: now,
          trust_hint: JSON.stringify(own.trust_hint),
          reply_date: own.reply_date,
          basis: JSON.stringify(own.basis),
          records: own.records === null ? null : JSON.stringify(own.records),
          needs_manual_coding: own.needs_manual_coding,
          joint_ods: p.ods,
          state: 'matched',
          rule_version: own.rule_version,
          run_id: own.run_id,
          processed_at: now,
        })
        .execute();
    }
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
        : parts.length > 0
          ? `by hand, joint reply for ${named.join(' and ')}`
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
      detail: { sha256: reply.sha256, trust: named.join(','), attachments: attachments.length },
    });
    // The unmatched warning no longer holds for these files.
    await dropFileIssues(
      trx,
      input.wave,
      [reply.sha256, ...attachments],
      ['foi_reply_unmatched', 'foi_reply_no_request'],
    );
  });
  // A joint reply, or one read as joint before: read again, so each trust named gets its share of the
  // values (sources/foi/joint.ts), or the one trust all of them.
  if (parts.length > 0 || wasJoint) {
    const { rereadFiles } = await import('../ingest/questionnaire/reread.ts');
    await rereadFiles(ctx, input.wave, [reply.sha256], `foi match --wave ${input.wave}`);
  }
  return { sha256: reply.sha256, file: reply.original_name, trust: named.join(','), attachments };
}

/**
 * Sends a matched reply back to the queue of unmatched replies: a wrong automatic match undone by a
 * person. The reply stays stored with its values, matched to no request (so it feeds no figure and
 * its request's reply event goes), and is kept so through later re-ingests: it is recorded as a
 * person's decision (method 'manual' with no request, which matchResponse keeps as it keeps a match
 * by hand). Its attachments matched with it, and the parts of a joint reading for other trusts, go
 * with it. Audit-logged under the person's name; a locked wave refuses it.
 */
export async function unmatchByHand(
  input: { wave: number; file: string; by: string },
  ctx: Ctx,
): Promise<{ sha256: string; file: string; was: string[]; attachments: string[] }> {
  const by = recordedText('--by', input.by, 'name');
  await assertWaveUnlocked(ctx.db, input.wave, 'foi match (back to the queue)');
  const reply = await findReply(input.wave, input.file, ctx);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const own = await trx.selectFrom('foi_response').selectAll().where('id', '=', reply.id).executeTakeFirstOrThrow();
    if (own.request_id === null)
      throw new CensusError(
        'usage',
        `${reply.original_name} (${reply.sha256.slice(0, 12)}) is matched to no request already.`,
        `census foi unmatched --wave ${input.wave} lists it.`,
      );
    const parts = await trx
      .deleteFrom('foi_response')
      .where('wave', '=', input.wave)
      .where('sha256', '=', reply.sha256)
      .where('joint_ods', 'is not', null)
      .returning('trust_ods')
      .execute();
    const children = await trx
      .selectFrom('foi_response')
      .select(['id', 'sha256'])
      .where('wave', '=', input.wave)
      .where('parent_sha256', '=', reply.sha256)
      .where('request_id', '=', own.request_id)
      .where('joint_ods', 'is', null)
      .orderBy('sha256')
      .execute();
    const ids = [reply.id, ...children.map((c) => String(c.id))];
    await trx.deleteFrom('foi_status_event').where('response_id', 'in', ids).execute();
    await trx
      .updateTable('foi_response')
      .set({
        request_id: null,
        trust_ods: null,
        matched_ods: null,
        match_method: 'manual',
        match_score: null,
        match_detail: 'sent back to the queue by hand',
        matched_by: by,
        matched_at: now,
        state: 'unmatched',
      })
      .where('id', 'in', ids)
      .execute();
    const was = [...new Set([own.trust_ods, ...parts.map((p) => p.trust_ods)].filter((o): o is string => !!o))];
    const attachments = children.map((c) => c.sha256);
    await recordAudit(trx, {
      at: now,
      actor: by,
      action: 'foi_unmatch',
      wave: input.wave,
      detail: { sha256: reply.sha256, was: was.join(','), attachments: attachments.length },
    });
    return { sha256: reply.sha256, file: reply.original_name, was, attachments };
  });
}
