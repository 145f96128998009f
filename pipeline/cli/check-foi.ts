import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CodedValue, FoiReadResult, TrustHint } from '../../schemas/foi.ts';
import { formatLocation, type Issue } from '../../schemas/issue.ts';
import { chooseSourceKind, type FoiKind } from '../../sources/index.ts';
import { gateValues } from '../../sources/foi/gate.ts';
import { matchTrust, type TrustList } from '../../sources/foi/trusts.ts';
import { sniffMediaType } from '../../sources/shared/sniff.ts';
import { foiPreflight, forPerson, guardedFoiReaders } from '../ingest/foi/extract.ts';
import { foiReference } from '../foi/wave.ts';
import type { Limits } from '../runtime/workspace.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../schemas/db.ts';
import { compareIssues } from './format.ts';

/**
 * An FOI reply read as `census ingest` would read it, stored nowhere: `census check FILE --wave W`
 * (and `ingest --dry-run`) on an FOI wave. What the reply says (values, yes/no answers, what only a
 * person can decide) needs no database; which request it answers does (the register's references
 * and the requests sent): with a workspace database, opened read-only, the reply is matched as
 * ingest would match it (pipeline/foi/match.ts); without one, only the trust the reply names is shown.
 */

interface CheckedValue {
  questionId: string;
  period: string | null;
  askedPeriodId: string | null;
  /** The count as read: "12", "5-10", "fewer than 5", "withheld"... */
  value: string;
  interval: { low: number; high: number | null } | null;
  missingReason: string | null;
  ageBand: string;
  basis: string;
  flags: string[];
  exemptions: string[];
  /** Set when the value only suggests (a weak reading, readings that disagree): a person confirms it. */
  suggestion: string | null;
  at: string;
  quote: string;
}

export interface CheckedReply {
  file: string;
  sha256: string;
  kind: string;
  /** The e-mail a file came attached to (its file name). */
  attachedTo: string | null;
  replyDate: string | null;
  /**
   * The trust: `matched` (a request of the wave, by the method named), `queued` (ingest would send it
   * to the unmatched queue, candidates best first), or `named` (no database: the trust the reply names).
   */
  trust: {
    outcome: 'matched' | 'queued' | 'named' | 'unknown';
    ods: string | null;
    method: string | null;
    detail: string | null;
    candidates: { ods: string; why: string; score: number }[];
  };
  evidence: TrustHint;
  needsManualCoding: boolean;
  values: CheckedValue[];
  answers: { questionId: string; yesNo: boolean | null; text: string; at: string }[];
  issues: (Issue & { at: string })[];
}

/** Matching against the wave's requests, when a database is open. */
export type ReplyMatcher = (input: { sha256: string; wave: number; hint: TrustHint; fileName: string }) => Promise<{
  match: { requestId: string | null; trustOds: string | null; method: string | null; detail: string | null };
  issues: Issue[];
  candidates: { ods: string; why: string; score: number }[];
}>;

/** A matcher over a database (read-only use: matchResponse only reads). */
export async function databaseMatcher(db: Kysely<Database>, trusts: TrustList): Promise<ReplyMatcher> {
  const { matchResponse } = await import('../foi/match.ts');
  return (input) => matchResponse(db, input, trusts);
}

function valueText(v: CodedValue): string {
  if (v.interval === null) return v.missingReason ?? 'not given';
  const { low, high } = v.interval;
  if (high === null) return `${low} or more`;
  return low === high ? String(low) : `${low}-${high}`;
}

function checkedValue(v: CodedValue): CheckedValue {
  return {
    questionId: v.questionId,
    period: v.period?.label ?? null,
    askedPeriodId: v.askedPeriodId ?? null,
    value: valueText(v),
    interval: v.interval ? { low: v.interval.low, high: v.interval.high } : null,
    missingReason: v.missingReason ?? null,
    ageBand: v.ageBand.label,
    basis: v.basis,
    flags: [...v.flags],
    exemptions: [...v.exemptions],
    suggestion: v.suggestion ?? null,
    at: formatLocation(v.location),
    quote: v.quote,
  };
}

/** The trust the reply itself names (ODS code, letterhead or any name, e-mail domain), with no database. */
function namedTrust(hint: TrustHint, trusts: TrustList): CheckedReply['trust'] {
  const tries = [
    { ods: hint.ods ?? null },
    ...[hint.name, ...(hint.names ?? [])].filter((n): n is string => !!n).map((name) => ({ name })),
    { emailDomain: hint.emailDomain ?? null },
  ];
  for (const q of tries) {
    const m = matchTrust(q, trusts);
    if (m)
      return {
        outcome: 'named',
        ods: m.odsCode,
        method: m.method,
        detail: `the reply names ${m.original ? `${m.original.odsCode} (now ${m.odsCode})` : m.odsCode} by ${m.original?.method ?? m.method}; which request it answers needs the workspace database`,
        candidates: [],
      };
  }
  return {
    outcome: 'unknown',
    ods: null,
    method: null,
    detail: 'the reply names no trust census knows',
    candidates: [],
  };
}

/** One file (and, for an e-mail, its attachments after it), read and matched; nothing is stored. */
export async function checkReply(
  path: string,
  wave: number,
  opts: { limits: Limits; wavesDir: string | null; matcher: ReplyMatcher | null },
): Promise<CheckedReply[]> {
  return checkBytes(readFileSync(path), basename(path), path, null, wave, opts);
}

async function checkBytes(
  bytes: Buffer,
  name: string,
  shown: string,
  parent: CheckedReply | null,
  wave: number,
  opts: { limits: Limits; wavesDir: string | null; matcher: ReplyMatcher | null },
): Promise<CheckedReply[]> {
  const { list, trusts } = foiReference(wave, opts.wavesDir);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const mediaType = sniffMediaType(bytes, name);
  const kind = chooseSourceKind({ mediaType, originalName: name, wave, kinds: { questionnaire: null, foi: true } });
  const reader = guardedFoiReaders(opts.limits)[kind as FoiKind];
  const at = { fileHash: hash };
  let read: FoiReadResult;
  if (reader === undefined)
    read =
      foiPreflight({ hash, originalName: name, mediaType }, bytes, opts.limits) ??
      forPerson([
        {
          code: 'foi_format_unsupported',
          severity: 'warning',
          message: `${mediaType} is not a format census reads; the reply would be kept for coding by hand (census foi coding-sheet).`,
          location: at,
        },
      ]);
  else
    read = await reader(bytes, {
      fileHash: hash,
      originalName: name,
      wave: list,
      sentDate: list.sentDate,
      maxPages: opts.limits.maxPages,
    });
  let trust: CheckedReply['trust'];
  const issues: Issue[] = [...read.issues];
  if (opts.matcher) {
    const m = await opts.matcher({ sha256: hash, wave, hint: read.trustHint, fileName: name });
    issues.push(...m.issues);
    trust =
      m.match.requestId !== null
        ? {
            outcome: 'matched',
            ods: m.match.trustOds,
            method: m.match.method,
            detail: m.match.detail,
            candidates: [],
          }
        : parent && parent.trust.outcome === 'matched'
          ? { ...parent.trust, detail: `with the e-mail it came in (${parent.trust.detail ?? parent.trust.ods})` }
          : { outcome: 'queued', ods: null, method: null, detail: null, candidates: m.candidates };
  } else
    trust =
      parent && parent.trust.ods && namedTrust(read.trustHint, trusts).outcome === 'unknown'
        ? parent.trust
        : namedTrust(read.trustHint, trusts);
  const me: CheckedReply = {
    file: shown,
    sha256: hash,
    kind,
    attachedTo: parent ? basename(parent.file) : null,
    replyDate: read.replyDate ?? parent?.replyDate ?? null,
    trust,
    evidence: read.trustHint,
    needsManualCoding: read.needsManualCoding,
    // The confidence gate as load applies it: weak readings and readings that disagree only suggest.
    values: gateValues(read.values).map(checkedValue),
    answers: read.textAnswers.map((a) => ({
      questionId: a.questionId,
      yesNo: a.yesNo,
      text: a.text,
      at: formatLocation(a.location),
    })),
    issues: issues
      .map((i) => ({ ...i, at: formatLocation(i.location) }))
      .sort((a, b) => compareIssues({ ...a, file: name, where: a.location }, { ...b, file: name, where: b.location })),
  };
  const out = [me];
  for (const a of read.attachments ?? [])
    out.push(...(await checkBytes(a.bytes, a.name, `${shown} > ${a.name}`, me, wave, opts)));
  return out;
}
