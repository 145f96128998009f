import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

/**
 * The reference list of mental health trusts (reference/nhs_mental_health_trusts_england.csv) and the
 * matching of a reply or register row to one of them: by ODS code, by name, or weakly by e-mail domain.
 */

export interface Trust {
  odsCode: string;
  name: string;
  region: string;
  postcode: string | null;
  mhConfidence: string;
  opened: string | null;
  closed: string | null;
  /** Set for merged trusts, and for a trust whose MH services moved elsewhere (R1F -> RW1). */
  successorOdsCode: string | null;
  /** england, wales, scotland or northern-ireland (blank in the file: england). Scotland's boards are asked under FOISA. */
  nation: string;
  /** The FOI office's address requests go to, and where that address was found; null when not known. */
  foiEmail: string | null;
  foiEmailSource: string | null;
}

export interface TrustList {
  version: string;
  trusts: readonly Trust[];
  byOds: ReadonlyMap<string, Trust>;
  /** Other names the trusts have had, dated (reference/nhs_trust_name_history.csv): a reply may use either. */
  names?: readonly TrustName[];
}

/** A name a trust carried, from/to as dated in the reference (null: not known or still current). */
export interface TrustName {
  odsCode: string;
  name: string;
  from: string | null;
  to: string | null;
  source: string;
}

/** Every name of every trust: the current one from the trust list, then the dated names of the history. */
function allNames(list: TrustList): { odsCode: string; name: string }[] {
  return [
    ...list.trusts.map((t) => ({ odsCode: t.odsCode, name: t.name })),
    ...(list.names ?? []).filter((n) => list.byOds.has(n.odsCode)),
  ];
}

const HISTORY = fileURLToPath(new URL('../../reference/nhs_trust_name_history.csv', import.meta.url));

/**
 * The dated names of reference/nhs_trust_name_history.csv (rows of kind `name`; rows of kind
 * `merged_into` record the dated merges the trust list's successor column carries, for provenance).
 */
export function trustNamesFromCsv(content: string | Uint8Array): TrustName[] {
  const text = (typeof content === 'string' ? content : Buffer.from(content).toString('utf8')).replace(/^\uFEFF/, '');
  const { data } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
  return data
    .filter((r) => (r.kind ?? '').trim() === 'name' && blank(r.name) !== null)
    .map((r) => ({
      odsCode: (r.ods_code ?? '').trim().toUpperCase(),
      name: r.name!.trim(),
      from: blank(r.valid_from),
      to: blank(r.valid_to),
      source: (r.source ?? '').trim(),
    }));
}

type MatchMethod = 'ods' | 'domain' | 'name';
export interface TrustMatch {
  /** The trust to attribute to today: the matched one, or its successor. */
  odsCode: string;
  method: MatchMethod | 'successor';
  /** 1 for an exact code or normalised name; below 1 for a loose name; domain matches at most 0.9. */
  score: number;
  /** Present when method is 'successor': the trust actually matched and how. */
  original?: { odsCode: string; method: MatchMethod };
}

const DEFAULT_TRUSTS = fileURLToPath(new URL('../../reference/nhs_mental_health_trusts_england.csv', import.meta.url));

export function trustsFromCsv(content: string | Uint8Array): TrustList {
  const text = (typeof content === 'string' ? content : Buffer.from(content).toString('utf8')).replace(/^\uFEFF/, '');
  const { data } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
  const trusts = data.map((r): Trust => ({
    odsCode: (r.ods_code ?? '').trim().toUpperCase(),
    name: (r.name ?? '').trim(),
    region: (r.region ?? '').trim(),
    postcode: blank(r.postcode),
    mhConfidence: (r.mh_confidence ?? '').trim(),
    opened: blank(r.opened),
    closed: blank(r.closed),
    successorOdsCode: blank(r.successor_ods_code)?.toUpperCase() ?? null,
    nation: blank(r.nation)?.toLowerCase() ?? 'england',
    foiEmail: blank(r.foi_email),
    foiEmailSource: blank(r.foi_email_source),
  }));
  return {
    version: createHash('sha256').update(content).digest('hex'),
    trusts,
    byOds: new Map(trusts.map((t) => [t.odsCode, t])),
  };
}

/** Health boards of Wales, Scotland and Northern Ireland, same columns; rows are added there by hand (reference/SOURCES.md). */
const DEVOLVED = fileURLToPath(new URL('../../reference/nhs_health_boards_devolved.csv', import.meta.url));

export function loadTrusts(
  path: string = DEFAULT_TRUSTS,
  devolved: string | null = DEVOLVED,
  history: string | null = HISTORY,
): TrustList {
  const names = history !== null && existsSync(history) ? trustNamesFromCsv(readFileSync(history)) : [];
  const england = { ...trustsFromCsv(readFileSync(path)), names };
  const extra = devolved !== null && existsSync(devolved) ? trustsFromCsv(readFileSync(devolved)) : null;
  // No rows there: the version stays the England file's own, so nothing already stored is re-read.
  if (extra === null || extra.trusts.length === 0) return england;
  const trusts = [...england.trusts, ...extra.trusts.filter((t) => !england.byOds.has(t.odsCode))];
  return {
    version: createHash('sha256').update(`${england.version}\n${extra.version}`).digest('hex'),
    trusts,
    byOds: new Map(trusts.map((t) => [t.odsCode, t])),
    names,
  };
}

// Words every trust name carries, so they say nothing about which trust is meant.
const FILLER = new Set(['nhs', 'foundation', 'trust', 'ft', 'the', 'and', 'of']);

/** Lower case, "&" as "and", "MH" as "mental health", punctuation and filler words dropped. */
// Every reply's match tokenises every trust's names again: the words of a name, made once (#18).
const tokensSeen = new Map<string, readonly string[]>();
function trustNameTokens(name: string): readonly string[] {
  let tokens = tokensSeen.get(name);
  if (tokens === undefined) {
    if (tokensSeen.size >= 5_000) tokensSeen.clear();
    tokens = Object.freeze(
      name
        .toLowerCase()
        .replace(/&/g, ' and ')
        .replace(/['\u2019]/g, '')
        .split(/[^a-z0-9]+/)
        .flatMap((t) => (t === 'mh' ? ['mental', 'health'] : [t]))
        .filter((t) => t !== '' && !FILLER.has(t)),
    );
    tokensSeen.set(name, tokens);
  }
  return tokens;
}
export const normaliseTrustName = (name: string): string => trustNameTokens(name).join(' ');

/** Follows successor links to the end (a successor may itself have merged later). */
export function currentSuccessor(odsCode: string, list: TrustList): string {
  let code = odsCode;
  for (let hops = 0; hops < 10; hops++) {
    const next = list.byOds.get(code)?.successorOdsCode;
    if (!next || next === code) break;
    code = next;
  }
  return code;
}

export function matchTrust(
  query: { ods?: string | null; name?: string | null; emailDomain?: string | null },
  list: TrustList,
): TrustMatch | null {
  const found = matchDirect(query, list);
  if (found === null) return null;
  const current = currentSuccessor(found.odsCode, list);
  if (current === found.odsCode) return found;
  return {
    odsCode: current,
    method: 'successor',
    score: found.score,
    original: { odsCode: found.odsCode, method: found.method as MatchMethod },
  };
}

function matchDirect(
  query: { ods?: string | null; name?: string | null; emailDomain?: string | null },
  list: TrustList,
): TrustMatch | null {
  const ods = query.ods?.trim().toUpperCase();
  if (ods && list.byOds.has(ods)) return { odsCode: ods, method: 'ods', score: 1 };
  if (query.name && query.name.trim() !== '') {
    const byName = matchName(query.name, list);
    if (byName) return byName;
  }
  return query.emailDomain ? matchDomain(query.emailDomain, list) : null;
}

/** The one best candidate, or null when two share the top score: a tie is a question for a person. */
function unique(scored: { odsCode: string; score: number }[], min: number): { odsCode: string; score: number } | null {
  const ranked = scored.filter((s) => s.score >= min).sort((a, b) => b.score - a.score);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[1]!.score === ranked[0]!.score)) return null;
  return ranked[0]!;
}

/**
 * Exact normalised name scores 1. Otherwise every word typed must appear in the trust's name
 * ("Birmingham and Solihull" for Birmingham and Solihull Mental Health NHS FT), scored by the share of
 * the name's words covered. Only this direction: "South West London" must not match West London NHS Trust.
 */
function matchName(name: string, list: TrustList): TrustMatch | null {
  const q = trustNameTokens(name);
  if (q.length === 0) return null;
  // Current and former names alike: a reply may carry a trust's new name or its old one.
  const names = allNames(list);
  const exact = [...new Set(names.filter((t) => normaliseTrustName(t.name) === q.join(' ')).map((t) => t.odsCode))];
  if (exact.length === 1) return { odsCode: exact[0]!, method: 'name', score: 1 };
  if (exact.length > 1) return null;
  const scores = new Map<string, number>();
  for (const t of names) {
    const tokens = new Set(trustNameTokens(t.name));
    const score = q.every((w) => tokens.has(w)) ? q.length / tokens.size : 0;
    scores.set(t.odsCode, Math.max(scores.get(t.odsCode) ?? 0, score));
  }
  const best = unique(
    [...scores].map(([odsCode, score]) => ({ odsCode, score })),
    0.5,
  );
  return best && { odsCode: best.odsCode, method: 'name', score: Math.min(best.score, 0.95) };
}

/**
 * Every trust a name or a sender's domain could mean, best first, for a person to choose from (the
 * unmatched queue): loose name scores (each word typed found in the trust's name) and domain coverage.
 */
export function rankTrusts(
  query: { name?: string | null; names?: readonly string[]; emailDomain?: string | null },
  list: TrustList,
): { ods: string; why: string; score: number }[] {
  const out = new Map<string, { ods: string; why: string; score: number }>();
  const add = (ods: string, why: string, score: number) => {
    const prev = out.get(ods);
    if (score > 0 && (!prev || prev.score < score)) out.set(ods, { ods, why, score: Math.round(score * 100) / 100 });
  };
  for (const name of [query.name, ...(query.names ?? [])]) {
    if (!name) continue;
    const q = trustNameTokens(name);
    if (q.length === 0) continue;
    for (const t of allNames(list)) {
      const tokens = new Set(trustNameTokens(t.name));
      const hits = q.filter((w) => tokens.has(w)).length;
      if (hits > 0) add(t.odsCode, `name "${name}"`, (hits / Math.max(q.length, tokens.size)) * 0.95);
    }
  }
  const label = query.emailDomain ? domainLabel(query.emailDomain) : null;
  if (label !== null)
    for (const t of allNames(list)) add(t.odsCode, `domain ${query.emailDomain}`, labelCoverage(label, t.name) * 0.9);
  return [...out.values()].sort((a, b) => b.score - a.score || (a.ods < b.ods ? -1 : 1)).slice(0, 5);
}

// Words many trust names share; they may spell part of a domain but do not identify the trust.
const GENERIC = new Set(['health', 'care', 'mental', 'partnership', 'university', 'teaching', 'combined', 'community']);
// Mail hosts shared by many organisations: their label tells nothing about the trust.
const SHARED_HOSTS = new Set([
  'nhs',
  'gmail',
  'outlook',
  'hotmail',
  'yahoo',
  'googlemail',
  'whatdotheyknow',
  'mail',
  'email',
]);

/** The organisation label of an address or domain: "foi@oxleas.nhs.uk" -> "oxleas"; nhs.net -> null. */
export function domainLabel(emailOrDomain: string): string | null {
  const host = emailOrDomain.trim().toLowerCase().replace(/^.*@/, '').replace(/\.$/, '');
  const labels = host.split('.').filter((l) => l !== '');
  const secondLevel = ['nhs', 'org', 'co', 'gov', 'ac'];
  const cut = labels.length >= 3 && secondLevel.includes(labels.at(-2)!) && labels.at(-1) === 'uk' ? 3 : 2;
  const label = labels.at(-cut)?.replace(/-/g, '');
  return label && !SHARED_HOSTS.has(label) ? label : null;
}

/**
 * Weak, table-free domain heuristic. Trust domains are built from the name: whole words
 * ("berkshirehealthcare"), initials ("slam", "cntw", "bsmhft") or word starts ("swlstg": South West London St George's).
 * So the label must split into pieces that are each the start of a successive word of the name
 * (words may be skipped; "nhs", "foundation", "trust", "and", "of" count as words here, "healthcare"
 * as "health care"). Abbreviations that are not word starts ("notts", "leics") do not match. The score is the share of the name's distinctive words the pieces used, times
 * 0.9 because renamed trusts keep old domains (southernhealth for RW1) and nothing confirms the match.
 * A label covering under half of any name, or two trusts tied, gives no match.
 */
function matchDomain(emailOrDomain: string, list: TrustList): TrustMatch | null {
  const label = domainLabel(emailOrDomain);
  if (label === null) return null;
  const best = unique(
    [...bestPer(allNames(list).map((t) => ({ odsCode: t.odsCode, score: labelCoverage(label, t.name) })))],
    0.5,
  );
  return best && { odsCode: best.odsCode, method: 'domain', score: Math.round(best.score * 0.9 * 100) / 100 };
}

/** The highest score per trust, when a trust is scored under each of its names. */
function bestPer(scored: { odsCode: string; score: number }[]): { odsCode: string; score: number }[] {
  const m = new Map<string, number>();
  for (const s of scored) m.set(s.odsCode, Math.max(m.get(s.odsCode) ?? 0, s.score));
  return [...m].map(([odsCode, score]) => ({ odsCode, score }));
}

function labelCoverage(label: string, name: string): number {
  const words = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['\u2019]/g, '')
    .replace(/healthcare/g, 'health care')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const distinctive = words.map((w) => !FILLER.has(w) && !GENERIC.has(w));
  const total = distinctive.filter(Boolean).length;
  if (total === 0) return 0;
  const memo = new Map<string, number>();
  // Most distinctive words usable to spell label[pos..] from words[w..]; -1 when impossible.
  const best = (pos: number, w: number): number => {
    if (pos === label.length) return 0;
    if (w === words.length) return -1;
    const key = `${pos},${w}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result = best(pos, w + 1);
    const word = words[w]!;
    for (let k = 1; k <= word.length && pos + k <= label.length && label[pos + k - 1] === word[k - 1]; k++) {
      const rest = best(pos + k, w + 1);
      if (rest >= 0) result = Math.max(result, rest + (distinctive[w] ? 1 : 0));
    }
    memo.set(key, result);
    return result;
  };
  return Math.max(0, best(0, 0)) / total;
}
