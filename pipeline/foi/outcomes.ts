import type { QuestionOutcome, ReplyCoding } from './status.ts';

/**
 * How a reply's stored values code each question for pipeline/foi/status.ts. A question is answered
 * when every value of it gives an answer (a count, yes/no or text); one period not held or refused
 * makes the whole question that, so a reply that skips a year is partial, never answered (the
 * cautious reading of foi.md "partial").
 */
export interface ValueOutcomeInput {
  question_id: string;
  low: string | number | null;
  high: string | number | null;
  yes_no: boolean | null;
  text_value: string | null;
  missing_reason: string | null;
  exemptions: readonly string[];
}

const BY_REASON: Record<string, QuestionOutcome> = {
  not_held: 'not_held',
  withheld: 'refused',
  refused: 'refused',
  ncnd: 'ncnd',
};
// Worst first: the outcome a question takes when its values disagree.
const SEVERITY: QuestionOutcome[] = ['refused', 'ncnd', 'not_held', 'answered'];

function questionOutcome(values: readonly ValueOutcomeInput[]): QuestionOutcome | null {
  const outcomes = new Set<QuestionOutcome>();
  for (const v of values) {
    if (v.missing_reason !== null) outcomes.add(BY_REASON[v.missing_reason] ?? 'refused');
    // Withheld under an exemption with no bound ([0, open]) discloses nothing: refused, exemption kept.
    else if (Number(v.low) === 0 && v.high === null && v.exemptions.length > 0 && v.yes_no === null)
      outcomes.add('refused');
    else if (v.low !== null || v.yes_no !== null || (v.text_value ?? '') !== '') outcomes.add('answered');
  }
  return SEVERITY.find((o) => outcomes.has(o)) ?? null;
}

/**
 * `notApplicable`: count questions a trust that takes no under-two referrals has nothing to count for;
 * when the reply says "no" to `gate`, they count as answered if left blank.
 */
export function replyCoding(
  values: readonly ValueOutcomeInput[],
  questionIds: readonly string[],
  applies?: { gate: string; counts: readonly string[] },
): ReplyCoding {
  const coding: Required<ReplyCoding> = { answered: [], refused: [], notHeld: [], ncnd: [], exemptions: [] };
  const list: Record<QuestionOutcome, string[]> = {
    answered: coding.answered,
    refused: coding.refused,
    not_held: coding.notHeld,
    ncnd: coding.ncnd,
  };
  const declines = applies !== undefined && values.some((v) => v.question_id === applies.gate && v.yes_no === false);
  for (const q of questionIds) {
    const o = questionOutcome(values.filter((v) => v.question_id === q));
    if (o !== null) list[o].push(q);
    else if (declines && applies.counts.includes(q)) list.answered.push(q);
  }
  coding.exemptions = [...new Set(values.flatMap((v) => v.exemptions))].sort();
  return coding;
}

/** A review outcome typed on the command line applies to every question asked; none means upheld. */
export function outcomeCoding(
  outcome: QuestionOutcome | undefined,
  exemptions: readonly string[],
  questionIds: readonly string[],
): ReplyCoding {
  const ids = [...questionIds];
  // Exemptions only when given: an outcome that lists them replaces those cited before (status.ts).
  const c: ReplyCoding = exemptions.length > 0 ? { exemptions: [...exemptions] } : {};
  if (outcome === 'answered') c.answered = ids;
  if (outcome === 'refused') c.refused = ids;
  if (outcome === 'not_held') c.notHeld = ids;
  if (outcome === 'ncnd') c.ncnd = ids;
  return c;
}
