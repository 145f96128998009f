import type { Kysely, Transaction } from 'kysely';
import type { Database, FoiMatchMethod } from '../../schemas/db.ts';
import type { TrustHint } from '../../schemas/foi.ts';
import { issue, type Issue } from '../../schemas/issue.ts';
import { matchTrust, type TrustList } from '../../sources/foi/trusts.ts';

/**
 * Which request a reply answers: the trust it names (ODS code, then name, then the sender's domain,
 * via sources/foi/trusts.ts), else the e-mail it came attached to. A merged trust's reply is attributed
 * to its successor (method 'successor') but still answers the request sent to the trust it names.
 * A match a person made by hand is kept whatever the file says.
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface ResponseMatch {
  requestId: string | null;
  trustOds: string | null;
  matchedOds: string | null;
  method: FoiMatchMethod | null;
  score: number | null;
  detail: string | null;
  matchedBy: string | null;
  matchedAt: Date | null;
}

const NONE: ResponseMatch = {
  requestId: null,
  trustOds: null,
  matchedOds: null,
  method: null,
  score: null,
  detail: null,
  matchedBy: null,
  matchedAt: null,
};

const HOW: Record<string, string> = { ods: 'ODS code', name: 'trust name', domain: "sender's e-mail domain" };

async function requestId(db: Db, wave: number, ods: string): Promise<string | null> {
  const r = await db
    .selectFrom('foi_request')
    .select('id')
    .where('wave', '=', wave)
    .where('trust_ods', '=', ods)
    .executeTakeFirst();
  return r ? String(r.id) : null;
}

export async function matchResponse(
  db: Db,
  input: { sha256: string; wave: number; hint: TrustHint; parentHash?: string },
  trusts: TrustList,
): Promise<{ match: ResponseMatch; issues: Issue[] }> {
  const at = { fileHash: input.sha256 };
  const prior = await db
    .selectFrom('foi_response')
    .selectAll()
    .where('sha256', '=', input.sha256)
    .where('wave', '=', input.wave)
    .executeTakeFirst();
  if (prior?.match_method === 'manual') {
    return {
      match: {
        requestId: prior.request_id === null ? null : String(prior.request_id),
        trustOds: prior.trust_ods,
        matchedOds: prior.matched_ods,
        method: 'manual',
        score: 1,
        detail: prior.match_detail,
        matchedBy: prior.matched_by,
        matchedAt: prior.matched_at,
      },
      issues: [],
    };
  }
  const m = matchTrust(input.hint, trusts);
  const issues: Issue[] = [];
  if (m) {
    const named = m.original ?? { odsCode: m.odsCode, method: m.method as 'ods' | 'name' | 'domain' };
    const detail = m.original
      ? `${named.odsCode} by ${HOW[named.method]}; merged since, attributed to ${m.odsCode}`
      : `${m.odsCode} by ${HOW[named.method]}`;
    const id = (await requestId(db, input.wave, named.odsCode)) ?? (await requestId(db, input.wave, m.odsCode));
    if (m.score < 1)
      issues.push(
        issue(
          'foi_trust_matched_loosely',
          'warning',
          `Matched to ${named.odsCode} by ${HOW[named.method]} only (score ${m.score.toFixed(2)}); check it, and correct with census foi match if wrong.`,
          at,
          { raw: JSON.stringify(input.hint) },
        ),
      );
    if (id === null)
      issues.push(
        issue(
          'foi_reply_no_request',
          'warning',
          `The reply reads as ${named.odsCode} (${detail}) but wave ${input.wave} has no request to it; it waits in the unmatched queue (census foi unmatched).`,
          at,
        ),
      );
    return {
      match: {
        ...NONE,
        requestId: id,
        trustOds: m.odsCode,
        matchedOds: named.odsCode,
        method: m.method,
        score: m.score,
        detail,
      },
      issues,
    };
  }
  if (input.parentHash !== undefined) {
    const parent = await db
      .selectFrom('foi_response')
      .select(['request_id', 'trust_ods', 'matched_ods', 'match_method', 'match_score', 'match_detail'])
      .where('sha256', '=', input.parentHash)
      .where('wave', '=', input.wave)
      .executeTakeFirst();
    if (parent?.request_id != null && parent.match_method !== null) {
      // The attachment names no trust itself: it answers what the e-mail it came in answers.
      return {
        match: {
          ...NONE,
          requestId: String(parent.request_id),
          trustOds: parent.trust_ods,
          matchedOds: parent.matched_ods,
          method: parent.match_method === 'manual' ? 'manual' : parent.match_method,
          score: parent.match_score === null ? null : Number(parent.match_score),
          detail:
            `as the e-mail it came attached to (${input.parentHash.slice(0, 12)}): ${parent.match_detail ?? ''}`.trim(),
          ...(parent.match_method === 'manual' ? await manualOf(db, input.parentHash, input.wave) : {}),
        },
        issues,
      };
    }
  }
  issues.push(
    issue(
      'foi_reply_unmatched',
      'warning',
      'No trust could be read from this reply (no ODS code, trust name or known e-mail domain); match it by hand with census foi match.',
      at,
      { raw: JSON.stringify(input.hint) },
    ),
  );
  return { match: NONE, issues };
}

async function manualOf(db: Db, sha256: string, wave: number): Promise<Pick<ResponseMatch, 'matchedBy' | 'matchedAt'>> {
  const r = await db
    .selectFrom('foi_response')
    .select(['matched_by', 'matched_at'])
    .where('sha256', '=', sha256)
    .where('wave', '=', wave)
    .executeTakeFirstOrThrow();
  return { matchedBy: r.matched_by, matchedAt: r.matched_at };
}
