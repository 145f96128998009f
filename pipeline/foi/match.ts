import type { IssueCode } from '../../schemas/issue-codes.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database, FoiMatchMethod } from '../../schemas/db.ts';
import type { TrustHint } from '../../schemas/foi.ts';
import { issue, type Issue } from '../../schemas/issue.ts';
import { matchTrust, rankTrusts, type TrustList, type TrustMatch } from '../../sources/foi/trusts.ts';
import { sql } from 'kysely';
import { periodFromDates } from '../../sources/foi/period.ts';
import type { PeriodNote } from '../../sources/foi/period-note.ts';
import { londonDate } from './dates.ts';

/**
 * Which request a reply answers: the trust it names (ODS code, then name, then the sender's domain,
 * via sources/foi/trusts.ts), else the e-mail it came attached to. A merged trust's reply is attributed
 * to its successor (method 'successor') but still answers the request sent to the trust it names.
 * A match a person made by hand is kept whatever the file says.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** Issues of these codes on these files of the wave that no longer hold (a reply matched, or dated since). */
export async function dropFileIssues(db: Db, wave: number, shas: string[], codes: IssueCode[]): Promise<void> {
  await db
    .deleteFrom('data_issue')
    .where('wave', '=', wave)
    .where('sha256', 'in', shas)
    .where('code', 'in', codes)
    .execute();
}

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

/** Upper case letters and digits only: "IG/FOI/0729", "IG_FOI_0729" and "ig-foi-0729" are one reference. */
const squash = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const OUR_REF = /PIP[\s_-]*FOI[\s_-]*(\d{4})[\s_-]*(\d{1,4})(?!\d)/gi;

/** Our references in a text, as "PIPFOI2024017". */
export function ourRefsIn(text: string): string[] {
  return [...text.matchAll(OUR_REF)].map((m) => `PIPFOI${m[1]}${m[2]!.padStart(3, '0')}`);
}

/** A trust's own reference as a pattern that tolerates "/" written "-", "_" or " " (file names cannot hold "/"). */
function theirRefPattern(ref: string): RegExp | null {
  const chunks = ref.match(/[A-Za-z0-9]+/g) ?? [];
  const digits = chunks.join('').replace(/\D/g, '').length;
  if (chunks.length === 0 || digits < 3 || chunks.join('').length < 5) return null;
  const esc = chunks.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9])${esc.join('[\\s/_.-]*')}(?![A-Za-z0-9])`, 'i');
}

/**
 * The digit groups of a file name's stem ("FOI 0834_2024 response.eml" -> "0834|2024"; "SLaM FOI-1180
 * attachment.xlsx" -> "1180"): what a covering e-mail and its attachment share.
 */
export function nameStem(fileName: string): string | null {
  const stem = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const groups = stem.match(/\d+/g) ?? [];
  // Five digits or more, or four that are no year ("SLaM FOI-1180 covering.eml"; never "... 2024 ...").
  const digits = groups.join('');
  return digits.length >= 5 || (digits.length === 4 && !/^(?:19|20)\d\d$/.test(digits)) ? groups.join('|') : null;
}

interface WaveRequest {
  id: string;
  ods: string;
  ourRef: string | null;
  theirRef: string | null;
}

async function waveRequests(db: Db, wave: number): Promise<WaveRequest[]> {
  const rows = await db
    .selectFrom('foi_request')
    .select(['id', 'trust_ods', 'our_ref', 'their_ref'])
    .where('wave', '=', wave)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), ods: r.trust_ods, ourRef: r.our_ref, theirRef: r.their_ref }));
}

/** The requests a reply names by reference: ours (strongest), then the trust's own from the register. */
export function requestsByReference(
  texts: readonly string[],
  requests: readonly WaveRequest[],
): { ours: WaveRequest[]; theirs: WaveRequest[] } {
  const found = new Set(texts.flatMap(ourRefsIn));
  const ours = requests.filter((r) => r.ourRef !== null && ourRefsIn(r.ourRef).some((x) => found.has(x)));
  const theirs = requests.filter((r) => {
    const re = r.theirRef === null ? null : theirRefPattern(r.theirRef);
    return re !== null && texts.some((t) => re.test(t));
  });
  return { ours, theirs };
}

// "This joint response answers the identical requests you sent to both Trusts", "Shared Information Governance
// Service", "on behalf of X and Y".
const JOINT =
  /\bjoint(?:ly)?\b|\bboth\s+(?:trusts|organisations)\b|\beach\s+(?:of\s+the\s+)?trusts?\b|\bshared\s+(?:foi|information governance|ig)\b/i;

// A body that is no English NHS trust: a Welsh, Scottish or Northern Irish board, an ICB, a council.
const NOT_A_TRUST =
  /\bhealth board\b|\bbwrdd iechyd\b|\bintegrated care board\b|\bhealth and social care trust\b|\bcouncil\b|\bNHS (?:Scotland|Wales)\b/i;

/**
 * Who sent a reply, when its letterhead names a body other than the trust `ods` (not the trust under a
 * former name, nor the trust it merged into): another listed trust named exactly, or a body that is no
 * English trust (a health board, an ICB, a council). Null when the letterhead is the trust's, or says
 * too little to tell (a name census cannot read stays with the reference).
 */
function otherSender(letterhead: string, ods: string, trusts: TrustList): string | null {
  const own = trusts.byOds.get(ods);
  const m = matchTrust({ name: letterhead }, trusts);
  const related = (x: string | undefined) => x === ods || (x !== undefined && own?.successorOdsCode === x);
  if (m !== null && (related(m.odsCode) || related(m.original?.odsCode))) return null;
  if (m !== null && m.score >= 1) return `${letterhead} (${m.original?.odsCode ?? m.odsCode})`;
  return NOT_A_TRUST.test(letterhead) ? letterhead : null;
}

export async function matchResponse(
  db: Db,
  input: { sha256: string; wave: number; hint: TrustHint; parentHash?: string; fileName?: string },
  trusts: TrustList,
): Promise<{
  match: ResponseMatch;
  /** A joint reply: the requests of the other trusts it answers for (match is the first). */
  joint?: ResponseMatch[];
  issues: Issue[];
  candidates: { ods: string; why: string; score: number }[];
}> {
  const at = { fileHash: input.sha256 };
  const prior = await db
    .selectFrom('foi_response')
    .selectAll()
    .where('sha256', '=', input.sha256)
    .where('wave', '=', input.wave)
    .where('joint_ods', 'is', null)
    .executeTakeFirst();
  if (prior?.match_method === 'manual') {
    return {
      joint: (await jointParts(db, input.wave, input.sha256, null)).filter((p) => p.method === 'manual'),
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
      candidates: [],
    };
  }
  const issues: Issue[] = [];
  const hint = input.hint;
  const requests = await waveRequests(db, input.wave);
  const texts = [input.fileName ?? '', hint.subject ?? '', hint.refText ?? ''].filter((t) => t !== '');
  const refs = requestsByReference(texts, requests);
  const byRequest = (r: WaveRequest, method: FoiMatchMethod, detail: string): ResponseMatch => ({
    ...NONE,
    requestId: r.id,
    trustOds: r.ods,
    matchedOds: r.ods,
    method,
    score: 1,
    detail,
  });
  const conflict = (why: string, cands: { ods: string; why: string; score: number }[]) => {
    issues.push(
      issue(
        'foi_reply_unmatched',
        'warning',
        `${why}; it waits in the unmatched queue for a person (census foi unmatched, then census foi match).`,
        at,
        { raw: JSON.stringify(cands) },
      ),
    );
    return { match: NONE, issues, candidates: cands };
  };
  // A joint reply (a shared FOI office answering for two trusts) answers each request it names.
  const jointText = [...texts, ...(hint.names ?? [])].join(' ');
  const joint = (named: WaveRequest[], method: FoiMatchMethod, why: (r: WaveRequest) => string) => {
    const parts = [...new Map(named.map((r) => [r.ods, r])).values()].sort((a, b) => a.ods.localeCompare(b.ods));
    const all = parts.map((r) => r.ods).join(' and ');
    const [first, ...rest] = parts.map((r) => byRequest(r, method, `joint reply for ${all}: ${r.ods} by ${why(r)}`));
    return { match: first!, joint: rest, issues, candidates: [] };
  };
  const isJoint = (named: WaveRequest[]) =>
    new Set(named.map((r) => r.ods)).size > 1 &&
    (JOINT.test(jointText) ||
      named.every((r) => (hint.names ?? []).some((n) => matchTrust({ name: n }, trusts)?.odsCode === r.ods)));
  // 1. Our reference: exact, and beats everything else unless the reply names two of ours.
  if (refs.ours.length > 1 && isJoint(refs.ours))
    return joint(refs.ours, 'our_ref', (r) => `our reference ${r.ourRef}`);
  if (refs.ours.length > 1)
    return conflict(
      `The reply carries our references of ${refs.ours.length} requests (${refs.ours.map((r) => r.ourRef).join(', ')})`,
      refs.ours.map((r) => ({ ods: r.ods, why: `our reference ${r.ourRef}`, score: 1 })),
    );
  if (refs.ours.length === 1) {
    const r = refs.ours[0]!;
    const other = refs.theirs.find((t) => t.id !== r.id);
    if (other)
      return conflict(
        `Our reference ${r.ourRef} names ${r.ods} but the trust's reference ${other.theirRef} names ${other.ods}`,
        [
          { ods: r.ods, why: `our reference ${r.ourRef}`, score: 1 },
          { ods: other.ods, why: `their reference ${other.theirRef}`, score: 0.9 },
        ],
      );
    // A body that was not asked writing with our reference ("Cheshire and Wirral ... passed your request to us"):
    // whose figures they are is a person's call, not the reference's.
    const sender = hint.letterhead === undefined ? null : otherSender(hint.letterhead, r.ods, trusts);
    if (sender !== null)
      return conflict(`The reply carries our reference ${r.ourRef} of ${r.ods} but comes from ${sender}`, [
        { ods: r.ods, why: `our reference ${r.ourRef}; sent by ${sender}`, score: 0.9 },
      ]);
    return { match: byRequest(r, 'our_ref', `${r.ods} by our reference ${r.ourRef}`), issues, candidates: [] };
  }
  // 2. The trust's own reference, as the register has it.
  if (refs.theirs.length > 1 && isJoint(refs.theirs))
    return joint(refs.theirs, 'their_ref', (r) => `the trust's reference ${r.theirRef}`);
  if (refs.theirs.length > 1)
    return conflict(
      `The reply carries the references of ${refs.theirs.length} requests`,
      refs.theirs.map((r) => ({ ods: r.ods, why: `their reference ${r.theirRef}`, score: 0.9 })),
    );
  if (refs.theirs.length === 1) {
    const r = refs.theirs[0]!;
    const sender = hint.letterhead === undefined ? null : otherSender(hint.letterhead, r.ods, trusts);
    if (sender !== null)
      return conflict(`The reply carries ${r.ods}'s own reference ${r.theirRef} but comes from ${sender}`, [
        { ods: r.ods, why: `their reference ${r.theirRef}; sent by ${sender}`, score: 0.9 },
      ]);
    return {
      match: byRequest(r, 'their_ref', `${r.ods} by the trust's reference ${r.theirRef}`),
      issues,
      candidates: [],
    };
  }
  // 3. An ODS code or a trust's name exactly (letterhead first, then any name the reply carries).
  const exact = [
    matchTrust({ ods: hint.ods ?? null }, trusts),
    ...[hint.name, ...(hint.names ?? [])].map((n) => (n ? matchTrust({ name: n }, trusts) : null)),
  ].filter((m): m is TrustMatch => m !== null && m.score >= 1);
  const m = exact[0] ?? null;
  // Two trusts named exactly, each asked, in a reply that says it answers for both.
  const namedRequests = requests.filter((r) => exact.some((x) => (x.original?.odsCode ?? x.odsCode) === r.ods));
  if (JOINT.test(jointText) && isJoint(namedRequests)) return joint(namedRequests, 'name', () => 'trust name');
  // A trust named in the body of a letter from another body ("X passed your request to us") did not send it.
  const sender =
    m && hint.letterhead !== undefined ? otherSender(hint.letterhead, m.original?.odsCode ?? m.odsCode, trusts) : null;
  if (m && sender !== null)
    return conflict(`The reply names ${m.original?.odsCode ?? m.odsCode} but comes from ${sender}`, [
      { ods: m.original?.odsCode ?? m.odsCode, why: `named in a reply sent by ${sender}`, score: 0.5 },
    ]);
  if (m) {
    const named = m.original ?? { odsCode: m.odsCode, method: m.method as 'ods' | 'name' | 'domain' };
    const detail = m.original
      ? `${named.odsCode} by ${HOW[named.method]}; merged since, attributed to ${m.odsCode}`
      : `${m.odsCode} by ${HOW[named.method]}`;
    const id = (await requestId(db, input.wave, named.odsCode)) ?? (await requestId(db, input.wave, m.odsCode));
    // A name that is now a merged trust's while its former parts were each asked: which request it answers is a question.
    const parts = trusts.trusts.filter(
      (t) => t.successorOdsCode === m.odsCode && t.odsCode !== m.odsCode && requests.some((r) => r.ods === t.odsCode),
    );
    if (m.original === undefined && parts.length > 0 && requests.some((r) => r.ods === m.odsCode))
      return conflict(
        `The reply names ${m.odsCode}, which ${parts.map((p) => p.odsCode).join(', ')} merged into; both were asked`,
        [m.odsCode, ...parts.map((p) => p.odsCode)].map((ods) => ({ ods, why: `merged trust's name`, score: 0.9 })),
      );
    // The merged trust replying for a former part that was asked ("your request to Camden and Islington NHS
    // Foundation Trust, which became part of North London NHS Foundation Trust"): the request of the part the
    // reply names too, or of the only part asked; several parts and none named is a question for a person.
    if (id === null && parts.length > 0) {
      const namedPart = exact
        .map((x) => x.original?.odsCode ?? x.odsCode)
        .find((ods) => parts.some((p) => p.odsCode === ods));
      const part = namedPart ?? (parts.length === 1 ? parts[0]!.odsCode : undefined);
      if (part === undefined)
        return conflict(
          `The reply names ${m.odsCode}, which ${parts.map((p) => p.odsCode).join(', ')} merged into, and not which of them it answers for`,
          parts.map((p) => ({ ods: p.odsCode, why: `merged into ${m.odsCode}`, score: 0.9 })),
        );
      const partId = await requestId(db, input.wave, part);
      if (partId !== null)
        return {
          match: {
            ...NONE,
            requestId: partId,
            trustOds: m.odsCode,
            matchedOds: part,
            method: 'successor',
            score: m.score,
            detail: `${m.odsCode} by ${HOW[named.method]}, replying for ${part}, merged into it${namedPart ? ' (named in the reply)' : ''}`,
          },
          issues,
          candidates: [],
        };
    }
    if (id === null) {
      issues.push(
        issue(
          'foi_reply_no_request',
          'warning',
          `The reply reads as ${named.odsCode} (${detail}) but wave ${input.wave} has no request to it; it waits in the unmatched queue (census foi unmatched).`,
          at,
        ),
      );
    }
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
      candidates: id === null ? [{ ods: named.odsCode, why: detail, score: 1 }] : [],
    };
  }
  // 4. An attachment that names no trust answers what the e-mail it came in answers.
  if (input.parentHash !== undefined) {
    const parent = await db
      .selectFrom('foi_response')
      .select(['request_id', 'trust_ods', 'matched_ods', 'match_method', 'match_score', 'match_detail'])
      .where('sha256', '=', input.parentHash)
      .where('wave', '=', input.wave)
      .where('joint_ods', 'is', null)
      .executeTakeFirst();
    if (parent?.request_id != null && parent.match_method !== null) {
      const as = `as the e-mail it came attached to (${input.parentHash.slice(0, 12)})`;
      return {
        joint: await jointParts(db, input.wave, input.parentHash, as),
        match: {
          ...NONE,
          requestId: String(parent.request_id),
          trustOds: parent.trust_ods,
          matchedOds: parent.matched_ods,
          method: parent.match_method === 'manual' ? 'manual' : parent.match_method,
          score: parent.match_score === null ? null : Number(parent.match_score),
          detail: `${as}: ${parent.match_detail ?? ''}`.trim(),
          ...(parent.match_method === 'manual' ? await manualOf(db, input.parentHash, input.wave) : {}),
        },
        issues,
        candidates: [],
      };
    }
  }
  // 5. A file sent alongside its covering e-mail: the same reference stem in both names.
  const sibling =
    input.fileName === undefined ? null : await siblingMatch(db, input.wave, input.sha256, input.fileName);
  if (sibling !== null && 'conflict' in sibling) return conflict(sibling.conflict, sibling.candidates);
  if (sibling !== null)
    return {
      match: sibling.match,
      joint: await jointParts(db, input.wave, sibling.sha256, sibling.match.detail ?? ''),
      issues,
      candidates: [],
    };
  // 6. Loose evidence (part of a name, a sender's domain) is never accepted: a person picks from the candidates.
  // The file's name may name the trust when nothing inside does (a scan saved as "Oxleas reply.pdf").
  const fromName = input.fileName?.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[_-]+/g, ' ');
  const candidates = rankTrusts(fromName ? { ...hint, names: [...(hint.names ?? []), fromName] } : hint, trusts).filter(
    (c) => c.score >= 0.2,
  );
  const loose = matchTrust(hint, trusts);
  if (loose && !candidates.some((c) => c.ods === loose.odsCode))
    candidates.unshift({ ods: loose.odsCode, why: `loose ${loose.method}`, score: loose.score });
  return conflict(
    candidates.length === 0
      ? 'No trust could be read from this reply (no reference of ours or theirs, no ODS code, trust name or known e-mail domain)'
      : `Only loose evidence of the trust (best: ${candidates[0]!.ods}, ${candidates[0]!.why}, score ${candidates[0]!.score.toFixed(2)})`,
    candidates,
  );
}

type Sibling =
  | { match: ResponseMatch; sha256: string }
  | { conflict: string; candidates: { ods: string; why: string; score: number }[] };

/**
 * The other trusts' parts of a joint reply file (sql/022): as matches of a file that follows it (`as`
 * says how), or, with `as` null, as they are (a person's joint match, kept through later re-ingests).
 */
async function jointParts(db: Db, wave: number, sha256: string, as: string | null): Promise<ResponseMatch[]> {
  const rows = await db
    .selectFrom('foi_response')
    .select(['request_id', 'trust_ods', 'matched_ods', 'match_method', 'match_detail', 'matched_by', 'matched_at'])
    .where('sha256', '=', sha256)
    .where('wave', '=', wave)
    .where('joint_ods', 'is not', null)
    .orderBy('joint_ods')
    .execute();
  return rows.map((r) => ({
    ...NONE,
    requestId: String(r.request_id),
    trustOds: r.trust_ods,
    matchedOds: r.matched_ods,
    method: as === null ? r.match_method : r.match_method === 'manual' ? 'email' : r.match_method,
    score: 1,
    detail: as === null ? r.match_detail : `${as}: ${r.match_detail ?? ''}`.trim(),
    ...(as === null && r.match_method === 'manual' ? { matchedBy: r.matched_by, matchedAt: r.matched_at } : {}),
  }));
}

/** A matched reply of the wave whose file name shares this one's reference stem (a covering e-mail and its attachment). */
async function siblingMatch(db: Db, wave: number, sha256: string, fileName: string): Promise<Sibling | null> {
  const stem = nameStem(fileName);
  if (stem === null) return null;
  const rows = await db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .select([
      'foi_response.sha256',
      'foi_response.request_id',
      'foi_response.trust_ods',
      'foi_response.matched_ods',
      'file_receipt.original_name',
    ])
    .where('foi_response.wave', '=', wave)
    .where('foi_response.joint_ods', 'is', null)
    .where('foi_response.sha256', '<>', sha256)
    .where('foi_response.request_id', 'is not', null)
    .where('foi_response.match_method', 'in', ['our_ref', 'their_ref', 'ods', 'name', 'successor', 'manual'])
    .execute();
  const same = rows.filter((r) => nameStem(r.original_name) === stem);
  const ids = [...new Set(same.map((r) => String(r.request_id)))];
  if (ids.length === 0) return null;
  if (ids.length > 1)
    return {
      conflict: `Files sharing this one's reference stem were matched to ${ids.length} different requests`,
      candidates: same.map((r) => ({
        ods: r.matched_ods ?? r.trust_ods ?? '?',
        why: `as ${r.original_name}`,
        score: 0.8,
      })),
    };
  const s = same[0]!;
  return {
    sha256: s.sha256,
    match: {
      ...NONE,
      requestId: ids[0]!,
      trustOds: s.trust_ods,
      matchedOds: s.matched_ods,
      method: 'email',
      score: 1,
      detail: `as ${s.original_name}, sent with it (same reference in both names)`,
    },
  };
}

/**
 * After a reply is matched: the files sent alongside it that waited unmatched (an attachment saved as
 * its own file, read before its covering e-mail) follow it. Returns their response ids.
 */
export async function linkSiblings(
  db: Db,
  input: { wave: number; sha256: string; fileName: string; match: ResponseMatch; now: Date; coveringDate?: string },
): Promise<string[]> {
  const stem = nameStem(input.fileName);
  if (stem === null || input.match.requestId === null) return [];
  const rows = await db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .select([
      'foi_response.id',
      'foi_response.sha256',
      'foi_response.reply_date',
      'file_receipt.original_name',
      'foi_response.trust_hint',
      'file_receipt.received_at',
    ])
    .where('foi_response.wave', '=', input.wave)
    .where('foi_response.request_id', 'is', null)
    .where('foi_response.sha256', '<>', input.sha256)
    .execute();
  const linked: string[] = [];
  for (const r of rows.filter((x) => nameStem(x.original_name) === stem)) {
    // A file that carries a reference or name of its own was left unmatched for a reason: a person decides.
    const own = r.trust_hint as TrustHint;
    if (own.name !== undefined || own.ods !== undefined || ourRefsIn(r.original_name).length > 0) continue;
    // Dated only by the day it was ingested: it takes its covering e-mail's date.
    const undated = r.reply_date === null || r.reply_date === londonDate(r.received_at);
    const replyDate = undated && input.coveringDate !== undefined ? input.coveringDate : r.reply_date;
    await db
      .updateTable('foi_response')
      .set({
        request_id: input.match.requestId,
        trust_ods: input.match.trustOds,
        matched_ods: input.match.matchedOds,
        match_method: 'email',
        match_score: 1,
        match_detail: `as ${input.fileName}, sent with it (same reference in both names)`,
        state: 'matched',
        reply_date: replyDate,
      })
      .where('id', '=', String(r.id))
      .execute();
    await db.deleteFrom('foi_status_event').where('response_id', '=', String(r.id)).execute();
    await db
      .insertInto('foi_status_event')
      .values({
        request_id: input.match.requestId,
        event_date: replyDate ?? londonDate(input.now),
        kind: 'reply',
        source: 'response',
        response_id: String(r.id),
        detail: JSON.stringify({ sha256: r.sha256, file: r.original_name, linkedTo: input.sha256 }),
        note: null,
        recorded_at: input.now,
      })
      .execute();
    await dropFileIssues(db, input.wave, [r.sha256], ['foi_reply_unmatched', 'foi_reply_no_request']);
    linked.push(String(r.id));
  }
  return linked;
}

/**
 * After a covering e-mail is stored: the files sent alongside it (same reference stem) that were dated
 * only by the day census received them take the e-mail's date, as coveringEmailDate gives it to a file
 * ingested after its e-mail. An attachment saved as its own file and read before the e-mail (a name
 * that sorts first, "... data.csv" before "... response.eml") is otherwise left with the ingest day and
 * shown overdue. Only files matched to the e-mail's request (or, like it, to none) and still carrying
 * `reply_date_assumed` change: a date read from the file itself or given by --received is kept. Returns
 * their response ids.
 */
export async function dateSiblings(
  db: Db,
  input: { wave: number; sha256: string; fileName: string; requestId: string | null; now: Date },
): Promise<string[]> {
  const stem = nameStem(input.fileName);
  if (stem === null || !/\.eml$/i.test(input.fileName)) return [];
  const rows = await db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .innerJoin('data_issue', (j) =>
      j
        .onRef('data_issue.sha256', '=', 'foi_response.sha256')
        .onRef('data_issue.wave', '=', 'foi_response.wave')
        .on('data_issue.code', '=', 'reply_date_assumed'),
    )
    .select(['foi_response.id', 'foi_response.sha256', 'foi_response.request_id', 'file_receipt.original_name'])
    .where('foi_response.wave', '=', input.wave)
    .where('foi_response.sha256', '<>', input.sha256)
    .execute();
  const dated: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.sha256)) continue;
    seen.add(r.sha256);
    if (/\.eml$/i.test(r.original_name) || nameStem(r.original_name) !== stem) continue;
    if ((r.request_id === null ? null : String(r.request_id)) !== input.requestId) continue;
    // The same rule as for a file ingested after its e-mail: one date among the e-mails of its stem.
    const date = await coveringEmailDate(db, input.wave, r.sha256, r.original_name);
    if (date === null) continue;
    await db.updateTable('foi_response').set({ reply_date: date }).where('id', '=', String(r.id)).execute();
    // A reply's event is replaced, never edited (sql/005: events are append-only to updates).
    const events = await db
      .deleteFrom('foi_status_event')
      .where('response_id', '=', String(r.id))
      .returning(['request_id', 'kind', 'detail', 'note'])
      .execute();
    if (events.length > 0)
      await db
        .insertInto('foi_status_event')
        .values(
          events.map((e) => ({
            request_id: e.request_id,
            event_date: date,
            kind: e.kind,
            source: 'response' as const,
            response_id: String(r.id),
            detail: JSON.stringify(e.detail),
            note: e.note,
            recorded_at: input.now,
          })),
        )
        .execute();
    await dropFileIssues(db, input.wave, [r.sha256], ['reply_date_assumed']);
    dated.push(String(r.id));
  }
  return dated;
}

async function manualOf(db: Db, sha256: string, wave: number): Promise<Pick<ResponseMatch, 'matchedBy' | 'matchedAt'>> {
  const r = await db
    .selectFrom('foi_response')
    .select(['matched_by', 'matched_at'])
    .where('sha256', '=', sha256)
    .where('wave', '=', wave)
    .where('joint_ods', 'is', null)
    .executeTakeFirstOrThrow();
  return { matchedBy: r.matched_by, matchedAt: r.matched_at };
}

/**
 * The date of the covering e-mail a file was sent alongside (an .eml of the wave whose name shares the
 * file's reference stem), for a file with no date of its own; null when there is none, when the e-mails
 * of that stem give different dates, or when the e-mail itself was dated by the day census received it.
 */
export async function coveringEmailDate(
  db: Db,
  wave: number,
  sha256: string,
  fileName: string,
): Promise<string | null> {
  const stem = nameStem(fileName);
  if (stem === null || /\.eml$/i.test(fileName)) return null;
  const rows = await otherReplies(db, wave, sha256)
    .select(['foi_response.reply_date', 'file_receipt.original_name'])
    .where('foi_response.reply_date', 'is not', null)
    // A clarification or holding e-mail of the same reference is no covering e-mail: its date is not the reply's.
    .where('foi_response.reply_kind', 'is', null)
    // An e-mail dated only by the day census received it has no date to give.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('data_issue')
            .select('data_issue.id')
            .whereRef('data_issue.sha256', '=', 'foi_response.sha256')
            .whereRef('data_issue.wave', '=', 'foi_response.wave')
            .where('data_issue.code', '=', 'reply_date_assumed'),
        ),
      ),
    )
    .execute();
  const dates = [
    ...new Set(
      rows
        .filter((r) => /\.eml$/i.test(r.original_name) && nameStem(r.original_name) === stem)
        .map((r) => String(r.reply_date)),
    ),
  ];
  return dates.length === 1 ? dates[0]! : null;
}

/** The replies of the wave other than this file, with the names they were received under. */
const otherReplies = (db: Db, wave: number, sha256: string) =>
  db
    .selectFrom('foi_response')
    .innerJoin('file_receipt', (j) =>
      j.onRef('file_receipt.sha256', '=', 'foi_response.sha256').onRef('file_receipt.wave', '=', 'foi_response.wave'),
    )
    .where('foi_response.wave', '=', wave)
    .where('foi_response.sha256', '<>', sha256);

/**
 * The notes of the dates a year covers that the covering e-mail of a file sent alongside it says ("the
 * data covers referrals between 1 January 2021 and 29 February 2024"): the e-mails of the wave whose
 * names share the file's reference stem (none when they say different things of one year).
 */
export async function coveringEmailNotes(
  db: Db,
  wave: number,
  sha256: string,
  fileName: string,
): Promise<PeriodNote[]> {
  const stem = nameStem(fileName);
  if (stem === null || /\.eml$/i.test(fileName)) return [];
  const rows = await otherReplies(db, wave, sha256)
    .select(['foi_response.basis', 'file_receipt.original_name'])
    .where('foi_response.joint_ods', 'is', null)
    .orderBy('foi_response.sha256')
    .execute();
  const notes = rows
    .filter((r) => /\.eml$/i.test(r.original_name) && nameStem(r.original_name) === stem)
    .flatMap((r) => (r.basis as { periodNotes?: PeriodNote[] } | null)?.periodNotes ?? []);
  const years = [...new Set(notes.map((n) => n.yearStart))];
  return years.flatMap((y) => {
    const said = notes.filter((n) => n.yearStart === y);
    return new Set(said.map((n) => `${n.start}|${n.end}`)).size === 1 ? [said[0]!] : [];
  });
}

/**
 * After a covering e-mail with such notes is stored: the files sent alongside it and read before it take
 * those dates now, as applyPeriodNotes gives them to a file read after it (the same columns, flags and
 * evidence), for the counts whose year no note of their own dated. Returns how many values changed.
 */
export async function noteSiblings(
  db: Db,
  input: { wave: number; sha256: string; fileName: string; notes: readonly PeriodNote[] },
): Promise<number> {
  const stem = nameStem(input.fileName);
  if (stem === null || !/\.eml$/i.test(input.fileName) || input.notes.length === 0) return 0;
  const rows = await otherReplies(db, input.wave, input.sha256)
    .select(['foi_response.id', 'foi_response.sha256', 'file_receipt.original_name'])
    .execute();
  const siblings = rows.filter((r) => !/\.eml$/i.test(r.original_name) && nameStem(r.original_name) === stem);
  if (siblings.length === 0) return 0;
  const ids = siblings.map((r) => String(r.id));
  // The same notes as the file would take read after the e-mail (one per year, none where they disagree).
  const notes = await coveringEmailNotes(db, input.wave, siblings[0]!.sha256, siblings[0]!.original_name);
  let changed = 0;
  for (const n of notes) {
    const dated = periodFromDates(n.start, n.end, '');
    const r = await db
      .updateTable('foi_value')
      .set((eb) => ({
        period_start: n.start,
        period_end: n.end,
        period_type: dated.period.type,
        flags: sql<string[]>`array_remove(${eb.ref('flags')}, 'partial_period') || ${dated.flags}::text[]`,
        evidence: sql<string>`case when coalesce(${eb.ref('evidence')}, '') = '' then ${`dates from the note: ${n.quote}`} else ${eb.ref('evidence')} || ${`; dates from the note: ${n.quote}`} end`,
      }))
      .where('response_id', 'in', ids)
      .where('method', '=', 'automatic')
      .where('period_start', '=', n.yearStart)
      .where('period_type', '<>', 'month')
      .where((eb) => eb.not(eb.and([eb('period_start', '=', n.start), eb('period_end', '=', n.end)])))
      .where((eb) => eb(sql`coalesce(${eb.ref('evidence')}, '')`, 'not like', '%dates from the note%'))
      .executeTakeFirst();
    changed += Number(r.numUpdatedRows);
  }
  return changed;
}
