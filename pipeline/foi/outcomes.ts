import type { CodedOutcome, QuestionOutcome, ReplyCoding } from './status.ts';

/**
 * How a reply's stored values code each question for pipeline/foi/status.ts. A question is answered
 * when every value of it gives an answer (a count, yes/no or text); one period not held or refused
 * makes the whole question that, so a reply that skips a year is partial, never answered (the
 * cautious reading of foi.md "partial").
 *
 * Small numbers withheld without a bound. foi.md "Coding rules" codes "withheld under s40(2) with no
 * bound" as a value: interval [0, open], flag suppressed, exemption recorded; it sits in the same table
 * as "<5" and "*", the other spellings of small-number suppression, and is not listed among the
 * refusals of "The request register". So a count withheld that way is a suppressed value: its
 * question is answered, its exemption is kept on the request. The same holds for a count stored as
 * missing with reason `withheld` ("2021/22: redacted") -- both spellings are read alike here. Only
 * count questions can be suppressed: a yes/no or text question withheld is refused. A reply that
 * withholds every count and answers nothing else (no count, yes/no, text or not-held statement) has
 * disclosed nothing at all: that is a refusal of the whole request under the exemption it cites (a
 * s40(2) refusal), and every withheld question is coded refused.
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

type ValueOutcome = QuestionOutcome | 'withheld' | 'unread';

const BY_REASON: Record<string, ValueOutcome> = {
  not_held: 'not_held',
  withheld: 'withheld',
  refused: 'refused',
  ncnd: 'ncnd',
};
// Worst first: the outcome a question takes when its values disagree. A withheld period beside
// counts given for the others is still a suppressed value of an answered question.
const SEVERITY: ValueOutcome[] = ['refused', 'ncnd', 'not_held', 'answered', 'withheld', 'unread'];

/** `yesNo`: the question asks yes or no, so its text alone (the reader could not tell which) answers nothing. */
function questionOutcome(values: readonly ValueOutcomeInput[], yesNo = false): ValueOutcome | null {
  const outcomes = new Set<ValueOutcome>();
  for (const v of values) {
    if (v.missing_reason !== null) outcomes.add(BY_REASON[v.missing_reason] ?? 'refused');
    // Withheld under an exemption with no bound ([0, open]): a suppressed value (see above).
    else if (Number(v.low) === 0 && v.high === null && v.exemptions.length > 0 && v.yes_no === null)
      outcomes.add('withheld');
    else if (v.low !== null || v.yes_no !== null || (!yesNo && (v.text_value ?? '') !== '')) outcomes.add('answered');
    // Text under a yes/no question whose yes or no could not be read: restated, not yet answered.
    else if (yesNo && (v.text_value ?? '') !== '') outcomes.add('unread');
  }
  return SEVERITY.find((o) => outcomes.has(o)) ?? null;
}

/**
 * `notApplicable`: count questions a trust that takes no under-two referrals has nothing to count for;
 * when the reply says "no" to `gate`, they count as answered if left blank. `unanswered`: questions the
 * reply restates but leaves without any answer (the reader's answer_missing): such a reply is partial,
 * never answered; a value coded for the question (e.g. a refusal of the whole letter) wins. `applies.yesNo`:
 * questions answered only by a yes or a no (a text whose yes or no could not be read waits for a person).
 */
export function replyCoding(
  values: readonly ValueOutcomeInput[],
  questionIds: readonly string[],
  applies?: { gate: string; counts: readonly string[]; yesNo?: readonly string[] },
  unanswered: readonly string[] = [],
): ReplyCoding {
  const coding: Required<ReplyCoding> = {
    answered: [],
    refused: [],
    notHeld: [],
    ncnd: [],
    unanswered: [],
    exemptions: [],
  };
  const list: Record<CodedOutcome, string[]> = {
    answered: coding.answered,
    refused: coding.refused,
    not_held: coding.notHeld,
    ncnd: coding.ncnd,
    unanswered: coding.unanswered,
  };
  const declines = applies !== undefined && values.some((v) => v.question_id === applies.gate && v.yes_no === false);
  const counts = new Set(applies?.counts ?? []);
  const yesNo = new Set(applies?.yesNo ?? []);
  const per = new Map(
    questionIds.map((q) => [
      q,
      questionOutcome(
        values.filter((v) => v.question_id === q),
        yesNo.has(q),
      ),
    ]),
  );
  // Withheld counts are answers unless the reply discloses nothing at all (see the module comment).
  const disclosesSomething = [...per.values()].some((o) => o === 'answered' || o === 'not_held' || o === 'ncnd');
  for (const q of questionIds) {
    const o = per.get(q) ?? null;
    if (o === 'withheld') list[counts.has(q) && disclosesSomething ? 'answered' : 'refused'].push(q);
    else if (o === 'unread') list.unanswered.push(q);
    else if (o !== null) list[o].push(q);
    else if (declines && counts.has(q)) list.answered.push(q);
    else if (unanswered.includes(q)) list.unanswered.push(q);
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
