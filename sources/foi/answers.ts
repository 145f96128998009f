import { normalise } from './coded.ts';

/** Yes/no and text answers of a letter (q1, q4, q5 of wave 2024). */

// Verbs a trust says it does (or does not do) with under-two referrals or a service.
const DOES = '(?:accept|host|commission|have|provide|offer|run|see|take|treat|receive|deliver|work with)';
const NO = new RegExp(
  [
    String.raw`\b(?:do(?:es)? not|don't|doesn't|cannot|can't|will not|won't|did not)\s+(?:currently\s+|routinely\s+|normally\s+)?${DOES}\b`,
    String.raw`\bno such (?:service|team)\b|\bare not (?:accepted|seen)\b|\b(?:is|are) not commissioned\b`,
    // "only accepts referrals for children aged 2 and over", "only sees children from the age of two"
    String.raw`\bonly\s+${DOES}s?\b[^.;]*?\b(?:aged?|from|over|above)\b[^.;]*?\b(?:2|two)\b(?!\s*(?:months?|weeks?))`,
    // "under twos are not seen by our CAMHS", "children under 2 are not accepted"
    String.raw`\bunder[- ]?(?:2|two)s?\b[^.;]*\b(?:are|is) not\b`,
    String.raw`\bno (?:service|provision|pathway) for (?:children|infants|babies)\b`,
    // A joint reply for two trusts: "Neither Trust hosts a specialist team", "neither of the Trusts accepts".
    String.raw`\bneither\s+(?:of\s+(?:the|our)\s+)?(?:trusts?|organisations?|service)\s+(?:currently\s+)?${DOES}s?\b`,
  ].join('|'),
);
const YES = new RegExp(
  String.raw`\b(?:we|the trust|trust|(?:both|each of the|all)\s+(?:trusts|organisations))\s+(?:do(?:es)?\s+)?(?:currently\s+)?(?:accepts?|hosts?|commissions?|has|have|provides?|offers?|runs?)\b|\bare accepted\b` +
    // "Camden and Islington hosts the Camden Parent Infant Psychology Service" (a joint reply names the trust).
    String.raw`|\b(?:hosts|commissions)\s+(?:the|a|an)\b[^.;]*\b(?:service|team)\b`,
);

/** Yes, no, or null when the answer says neither. A leading "Yes"/"No" of any sentence wins over wording. */
export function yesNo(text: string): boolean | null {
  const sentences = normalise(text).split(/(?<=[.;!?])\s+/);
  for (const s of sentences) {
    const m = /^[\s\-–—:•*]*(?:(?:response|answer)\s*:?\s*)?(yes|no)\b/.exec(s);
    if (m) return m[1] === 'yes';
  }
  const t = normalise(text);
  // A label then its answer, as a form or a flattened table gives it: "Accept referrals under two: Yes",
  // "Specialist parent-infant relationship team No.", "...: Yes (CAMHS and the perinatal service)." (a short
  // answer only: a long one is read by its words).
  const last = /(?:[:\-–—]|\s)\s*(yes|no)\b\s*[.,;]?\s*(?:\([^()]*\))?\s*\.?\s*$/.exec(t);
  if (last && t.length <= 120) return last[1] === 'yes';
  if (NO.test(t)) return false;
  if (YES.test(t)) return true;
  return null;
}

/** A service's name: after "called"/"known as", else a run of capitalised words ending in Service or Team. */
export function serviceName(text: string): string | undefined {
  const called = /\b(?:called|named|known as)\s+(?:the\s+)?["“']?([^"”'.,;()]+)/i.exec(text);
  if (called) return called[1]!.trim();
  const titled = /\b((?:[A-Z][\w'&-]*\s+){1,8}(?:Service|Team|Project|Partnership|Pathway))\b/.exec(text);
  return titled ? titled[1]!.replace(/^(?:Yes|No|The|Our)\s+/, '').trim() : undefined;
}

const KNOWN = [
  ['CAMHS', /\bcamhs\b|child and adolescent mental health/],
  ['perinatal mental health', /\bperinatal\b/],
  ['parent-infant', /\bparent[- ]infant\b/],
  ['infant mental health', /\binfant mental health\b/],
  ['learning disability', /\blearning disabilit/],
  ['adult mental health', /\badult mental health\b/],
  ['paediatric psychology', /\bpaediatric psycholog/],
] as const;

/** Kinds of service a text names, in a fixed order so the footnote reads the same for every reply. */
export function servicesNamed(text: string): string[] {
  const t = normalise(text);
  return KNOWN.filter(([, re]) => re.test(t)).map(([name]) => name);
}
