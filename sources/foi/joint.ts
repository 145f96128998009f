import type { CodedValue, TextAnswer, ValuePart } from '../../schemas/foi.ts';
import { yesNo } from './answers.ts';
import { sumIntervals } from './totals.ts';

/**
 * A joint reply (foi.md "Who replied": a shared FOI office answering for two trusts): which of its
 * values and answers are one trust's. A count is that trust's when its row or sentence names that trust
 * and no other ("Gloucestershire 7 8 10"); a figure split into rows that each name one of the trusts
 * gives each trust its own row, never their sum. A count that names none of them, or all of them, may be
 * a combined figure: it goes to each trust's coding sheet as a suggestion and feeds no figure until a
 * person says whose it is. A yes/no or text answer that names one trust is that trust's; one that names
 * none ("5) CAMHS.") or speaks of them together ("Both Trusts accept", "Neither Trust hosts") answers the
 * identical request of each.
 */

export interface JointTrust {
  ods: string;
  name: string;
}

// Words every trust name shares: they tell no trust from another.
const GENERIC = new Set(
  'nhs foundation trust trusts health care and of the mental partnership services service community social integrated university hospitals hospital teaching'.split(
    ' ',
  ),
);

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/[\u2019']/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);

/** "Gloucestershire Health and Care NHS Foundation Trust" -> "GHC", "GHCT", "GHCNFT": the initials trusts go by. */
function initials(name: string): string[] {
  const all = name.split(/\s+/).filter((w) => !/^(?:and|of|the|&)$/i.test(w));
  const short = name
    .replace(/\bNHS\b.*$/i, '')
    .split(/\s+/)
    .filter((w) => w !== '' && !/^(?:and|of|the|&)$/i.test(w));
  const noNhs = all.filter((w) => !/^(?:NHS|Foundation)$/i.test(w));
  return [short, noNhs, all].map((ws) => ws.map((w) => w[0]!.toUpperCase()).join('')).filter((s) => s.length >= 2);
}

/** The words and codes that name this trust and none of the others of the reply. */
function marks(t: JointTrust, all: readonly JointTrust[]): { words: Set<string>; codes: Set<string> } {
  const others = all.filter((o) => o.ods !== t.ods);
  const otherWords = new Set(others.flatMap((o) => words(o.name)));
  const own = words(t.name).filter((w) => !GENERIC.has(w) && w.length >= 4 && !otherWords.has(w));
  const otherCodes = new Set(others.flatMap((o) => [o.ods, ...initials(o.name)]));
  const codes = [t.ods, ...initials(t.name)].filter((c) => !otherCodes.has(c));
  return { words: new Set(own), codes: new Set(codes) };
}

/** The trusts of the reply a text names (by a distinctive word of the name, its initials or ODS code). */
export function trustsNamed(text: string, all: readonly JointTrust[]): string[] {
  const ws = new Set(words(text));
  const tokens = new Set(text.split(/[^A-Za-z0-9]+/).filter((w) => /^[A-Z0-9]{2,6}$/.test(w)));
  return all
    .filter((t) => {
      const m = marks(t, all);
      return [...m.words].some((w) => ws.has(w)) || [...m.codes].some((c) => tokens.has(c));
    })
    .map((t) => t.ods);
}

const unattributed = (all: readonly JointTrust[]) =>
  `a joint reply for ${all.map((t) => t.ods).join(' and ')}: this figure names no one trust (it may be their total); a person says whose it is`;

/** One trust's share of a value whose parts are rows that each name one trust; null when the split is not by trust. */
function partOfTrust(v: CodedValue, t: JointTrust, all: readonly JointTrust[]): CodedValue | null | 'none' {
  const parts = v.derivedFrom ?? [];
  if (parts.length < 2) return null;
  const whose = parts.map((p) => trustsNamed(`${p.service ?? ''} ${p.quote}`, all));
  if (whose.some((w) => w.length !== 1)) return null;
  const mine = parts.filter((_, i) => whose[i]![0] === t.ods);
  if (mine.length === 0) return 'none';
  const first: ValuePart = mine[0]!;
  const interval = mine.length === 1 ? first.interval : sumIntervals(mine.map((p) => p.interval));
  // Several rows of one trust (its teams, or rows the reader could not tell apart, such as "Received" and
  // "Accepted" under a Measure column): their sum is a person's call.
  const doubt =
    mine.length > 1
      ? {
          suggestion: `${mine.length} rows of ${t.ods} in a joint reply, added together: a person checks they are parts of one count`,
        }
      : {};
  const { derivedFrom: _parts, service: _service, ...rest } = v;
  return {
    ...rest,
    interval,
    location: first.location,
    quote: mine.map((p) => p.quote).join('\n'),
    ...(first.ageBand ? { ageBand: first.ageBand } : {}),
    ...(mine.length > 1 ? { derivedFrom: mine } : {}),
    evidence: `${v.evidence ? `${v.evidence}; ` : ''}the row${mine.length > 1 ? 's' : ''} of ${t.ods} in a joint reply for ${all.map((x) => x.ods).join(' and ')}`,
    ...doubt,
  };
}

/** The values and answers of a joint reply that are trust `t`'s (`all`: every trust the reply answers for). */
export function jointShare(
  read: { values: readonly CodedValue[]; textAnswers: readonly TextAnswer[] },
  t: JointTrust,
  all: readonly JointTrust[],
): { values: CodedValue[]; textAnswers: TextAnswer[] } {
  const values: CodedValue[] = [];
  for (const v of read.values) {
    const split = partOfTrust(v, t, all);
    if (split === 'none') continue;
    if (split !== null) {
      values.push(split);
      continue;
    }
    const named = trustsNamed(`${v.service ?? ''} ${v.quote}`, all);
    if (named.length === 1) {
      if (named[0] === t.ods) values.push(v);
      continue;
    }
    // A refusal or "not held" said once for the joint request answers each trust's request alike.
    if (v.interval === null) {
      values.push(v);
      continue;
    }
    values.push({ ...v, suggestion: v.suggestion ?? unattributed(all) });
  }
  const textAnswers: TextAnswer[] = [];
  for (const a of read.textAnswers) {
    const named = trustsNamed(a.text, all);
    if (named.length === 1) {
      if (named[0] === t.ods) textAnswers.push(a);
      continue;
    }
    if (named.length === 0) {
      textAnswers.push(a);
      continue;
    }
    // "Camden and Islington: Yes. Barnet, Enfield and Haringey: no.": each trust's own sentences.
    const own = a.text
      .split(/(?<=[.;])\s+/)
      .filter((x) => {
        const n = trustsNamed(x, all);
        return n.length === 1 && n[0] === t.ods;
      })
      .join(' ')
      .trim();
    if (own === '') textAnswers.push(a);
    else textAnswers.push({ ...a, text: own, yesNo: yesNo(own) });
  }
  return { values, textAnswers };
}

/**
 * A reply read as one trust's whose summed rows each name a different trust asked in the wave
 * ("Birmingham and Solihull 7 8 10" / "Oxleas 3 5 6"): a joint reply no word said was joint. The sum is
 * only a suggestion, and says how to give each trust its rows.
 */
export function doubtTrustSplits(values: readonly CodedValue[], asked: readonly JointTrust[]): CodedValue[] {
  return values.map((v) => {
    const parts = v.derivedFrom ?? [];
    if (parts.length < 2 || v.suggestion !== undefined) return v;
    const whose = parts.map((p) => trustsNamed(`${p.service ?? ''} ${p.quote}`, asked));
    const named = [...new Set(whose.flatMap((w) => (w.length === 1 ? w : [])))];
    if (named.length < 2 || whose.some((w) => w.length !== 1)) return v;
    return {
      ...v,
      suggestion: `its rows name different trusts (${named.join(', ')}): a joint reply? census foi match --trust ${named.join(',')} gives each trust its own rows`,
    };
  });
}
