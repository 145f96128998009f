import type { FoiQuestionList } from '../schemas/foi.ts';
import type { FoiData, FoiValue } from './input.ts';
import { byId, byText } from './order.ts';

/**
 * report.md section 6 rules, on plain rows: the headline year, which trusts accept under-two
 * referrals, and which referral values enter the distribution (and why the others do not).
 */

/** The latest financial year asked that was complete when the request was sent; a "to date" year never. */
export function headlinePeriod(list: FoiQuestionList): FoiQuestionList['periods'][number] | null {
  const complete = list.periods.filter((p) => !p.toDate && p.type === 'financial_year' && p.end < list.sentDate);
  return complete.sort((a, b) => byText(b.end, a.end))[0] ?? null;
}

/** Request id -> true (accepts), false (does not) for every request whose reply answers the question. */
export function acceptance(d: FoiData, question: string): Map<string, { accepts: boolean; valueId: string }> {
  const out = new Map<string, { accepts: boolean; valueId: string }>();
  for (const v of d.values) {
    if (v.questionId === question && v.yesNo !== null && !out.has(v.requestId))
      out.set(v.requestId, { accepts: v.yesNo, valueId: v.id });
  }
  return out;
}

export type Exclusion = 'does_not_accept' | 'not_given' | 'partial_period' | 'incomplete' | 'band_mismatch';

export const EXCLUSION_TEXT: Readonly<Record<Exclusion, string>> = {
  does_not_accept:
    'the trust says it does not accept under-two referrals but reported some (kept as "does not"; the count is left out)',
  not_given: 'not held, withheld or refused',
  partial_period: 'the period is not the whole year',
  incomplete: 'months missing from the year',
  band_mismatch: 'an age band other than under two, not accepted by a person',
};

export interface Classified {
  /** One value per trust that enters the distribution (age band exactly under two). */
  included: FoiValue[];
  /** As included, plus band-mismatch values a person accepted (the sensitivity table). */
  sensitivity: FoiValue[];
  excluded: { value: FoiValue; reason: Exclusion }[];
}

function reasonFor(v: FoiValue, accepts: boolean | undefined): Exclusion | 'sensitivity' | null {
  if (accepts === false) return 'does_not_accept';
  if (v.value === null || v.missing !== null) return 'not_given';
  if (v.flags.includes('partial_period')) return 'partial_period';
  if (v.flags.includes('incomplete')) return 'incomplete';
  if (v.ageExact !== true) return v.bandAccepted === true ? 'sensitivity' : 'band_mismatch';
  return null;
}

/** The headline year's received under-two referrals of each trust, sorted into included, sensitivity-only and excluded. */
export function classifyReferrals(d: FoiData, questions: { accepts: string; referrals: string }): Classified {
  const period = headlinePeriod(d.list);
  const accepts = acceptance(d, questions.accepts);
  const out: Classified = { included: [], sensitivity: [], excluded: [] };
  const seen = new Set<string>();
  const candidates = d.values.filter(
    (v) =>
      v.questionId === questions.referrals && period !== null && v.periodId === period.id && v.basis !== 'accepted',
  );
  // An exact-band value of a trust comes before a mismatched one, so each trust counts once.
  candidates.sort(
    (a, b) => Number(b.ageExact === true) - Number(a.ageExact === true) || byText(a.ods, b.ods) || byId(a.id, b.id),
  );
  for (const v of candidates) {
    const r = reasonFor(v, accepts.get(v.requestId)?.accepts);
    if (r === null || r === 'sensitivity') {
      if (seen.has(v.requestId)) continue;
      seen.add(v.requestId);
      if (r === null) out.included.push(v);
      out.sensitivity.push(v);
    } else out.excluded.push({ value: v, reason: r });
  }
  const byOds = (a: FoiValue, b: FoiValue) => byText(a.ods, b.ods);
  out.included.sort(byOds);
  out.sensitivity.sort(byOds);
  out.excluded.sort((a, b) => byOds(a.value, b.value) || byId(a.value.id, b.value.id));
  return out;
}

export const REPLIED = new Set(['answered', 'partial', 'refused', 'not_held']);
export const NO_REPLY = new Set(['awaiting', 'overdue', 'long_overdue', 'clarification']);
