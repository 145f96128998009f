import type { CodedValue, FoiQuestion, FoiQuestionList } from '../../schemas/foi.ts';
import { yesNo } from './answers.ts';
import { POINTS_ELSEWHERE } from './count.ts';
import { canonicalExemption } from './exemptions.ts';
import { periodFromDates } from './period.ts';
import { codedValue } from './value.ts';
import type { LetterResult } from './letter-result.ts';
import type { Line } from './prose.ts';

/**
 * What a letter refuses, and on what ground (foi.md "The request register": refused, not held, ncnd; the
 * coding rules for withheld counts): a whole letter that answers nothing and refuses, says the
 * information is not held, or neither confirms nor denies; one question refused on its own (s12 for some
 * questions, figures for others); counts withheld under s40(2) with no figure. Used by sources/foi/letter.ts.
 */

const NCND = /\bneither\s+confirms?\s+nor\s+den(?:y|ies)\b|\bNCND\b/i;

// Refusal of the whole request, by the section of the Act it rests on.
const REFUSAL: [string, RegExp][] = [
  ['s12', /\b(?:section|s\.?)\s*12\b|\bappropriate limit\b|\bcost of compliance\b/i],
  ['s14', /\b(?:section|s\.?)\s*14\b|\bvexatious\b/i],
  ['s21', /\b(?:section|s\.?)\s*21\b|\breasonably accessible\b/i],
  ['s40(2)', /\b(?:section|s\.?)\s*40\s*\(\s*2\s*\)/i],
  ['s43', /\b(?:section|s\.?)\s*43\b|\bcommercial(?:ly)? (?:interests|sensitive)\b/i],
];
const REFUSING =
  /\bunable to comply\b|\bnot obliged to comply\b|\brefus(?:e|ed|es|al|ing)\b|\bvexatious\b|\bwill not (?:be )?(?:respond|responding|answer|answering)\b|\bwithheld in full\b|\bwithhold(?:s|ing)? (?:all|the whole|the entirety)\b|\bexempt(?:ion)? (?:from disclosure|under)\b|\breasonably accessible\b|\bis (?:therefore )?withheld\b/i;

// "Not held" in the words trusts use (foi.md "not held said without those words"): the Trust does not hold,
// record or collect it; it is not recorded on our system; no information is held; this item is not coded.
const NOT_HELD_WHOLE = new RegExp(
  [
    String.raw`\bnot (?:a field|an item|information) (?:we|the trust) (?:record|hold|capture|collect)s?\b`,
    String.raw`\bnot (?:coded|recorded|held|captured|collected) (?:on|in|by|within) (?:our|the trust's|its|the) (?:electronic )?(?:patient )?(?:system|records|databases?|record)s?\b`,
    String.raw`\b(?:does|do|did) not (?:hold|record|collect|capture|keep|routinely record)\b(?! (?:a |any )?(?:waiting|waits?)\b)`,
    String.raw`\b(?:information|data|figures?|details?)(?: (?:you have )?requested)? (?:is|are) not (?:held|recorded|collected|captured|available)\b`,
    String.raw`\bno (?:information|data|records?) (?:is|are) held\b|\bholds? no (?:information|data|records?)\b`,
    String.raw`\bis not (?:a )?(?:recorded|captured|coded) (?:field|item)\b`,
  ].join('|'),
  'i',
);

// One question refused (or not held) while others are answered (foi.md "partial": s12 for some questions,
// figures for others): its answer cites a ground of the Act, or points to another question's refusal.
const SEE_QUESTION = /\b(?:see|refer to|as (?:per|in))\b[^.;]*?\b(?:question|q)\s*(\d{1,2})\b/i;
const SAME_GROUND =
  /\bsame (?:exemption|reason|grounds?|section)\b|\b(?:also|likewise|equally) (?:applies|apply|exempt)\b/i;
const CITES_GROUND =
  /^\W*(?:section|s\.?)\s*\d{2}\b|^\W*withheld (?:under|in full)\b|\b(?:appropriate|cost) limit\b|\bexceed the (?:cost|limit)\b/i;
interface OwnRefusal {
  reason: 'refused' | 'not_held';
  exemptions: string[];
}
// "No charge ... the appropriate limit was not reached": a note about cost, not a refusal.
const NOT_A_REFUSAL = /\bno charge\b|\bnot (?:been )?(?:reached|exceeded)\b|\bwithin the (?:appropriate|cost) limit\b/i;
// "... would exceed the appropriate limit under section 12(1). We are therefore unable to answer questions 2 and 3."
const UNABLE =
  /\b(?:rely|relying|relies) on (?:section|s\.?)\s*\d{2}\b|\bcost (?:above|over|exceeding|in excess of)\b[^.;]*\blimit\b|\bunable to (?:answer|provide|comply|respond)\b|\b(?:cannot|can ?not) (?:answer|provide|comply)\b|\bexceed(?:s|ed|ing)? (?:the )?(?:appropriate|cost) limit\b/i;

/**
 * An answer refused on cost (s12) wherever in it the refusal is said: the reason it gives first ("the Trust
 * does not record age at referral in a reportable field") is why the cost is too high, not a "not held".
 */
export function costRefusal(text: string): OwnRefusal | null {
  if (NOT_A_REFUSAL.test(text) || !REFUSAL[0]![1].test(text) || !(REFUSING.test(text) || UNABLE.test(text)))
    return null;
  return { reason: 'refused', exemptions: REFUSAL.filter(([, re]) => re.test(text)).map(([x]) => x) };
}

/** `first`: the answer's first line, which must say it (an answer given, then a note citing a section, is an answer). */
export function ownRefusal(
  first: string,
  text: string,
  q: FoiQuestion,
  refused: ReadonlyMap<number, string[]>,
): OwnRefusal | null {
  if (NOT_A_REFUSAL.test(first)) return null;
  const cost = costRefusal(text);
  if (cost !== null) return cost;
  if (NOT_HELD_WHOLE.test(first) && !REFUSING.test(first) && !POINTS_ELSEWHERE.test(first))
    return { reason: 'not_held', exemptions: [] };
  const see = SEE_QUESTION.exec(first);
  const earlier = see ? refused.get(Number(see[1])) : undefined;
  if (earlier !== undefined && SAME_GROUND.test(first)) return { reason: 'refused', exemptions: earlier };
  if (!REFUSING.test(first) && !CITES_GROUND.test(first)) return null;
  // s40(2) beside counts is small-number suppression, coded as a value ([0, open]), unless withheld in full.
  const grounds = REFUSAL.filter(([, re]) => re.test(text))
    .map(([s]) => s)
    .filter((s) => s !== 's40(2)' || q.answerType !== 'count_per_period' || /\bin full\b|\brefus/i.test(text));
  return grounds.length > 0 ? { reason: 'refused', exemptions: grounds } : null;
}
export function refusedValue(
  q: FoiQuestion,
  wave: FoiQuestionList,
  own: OwnRefusal,
  location: CodedValue['location'],
  quote: string,
): CodedValue {
  return {
    questionId: q.id,
    interval: null,
    flags: [],
    ageBand: wave.askedAgeBand,
    basis: q.basis ?? 'received',
    exemptions: own.exemptions,
    missingReason: own.reason,
    location,
    quote,
    method: 'automatic',
    rule: 'refusal',
    evidence: quote,
  };
}

/**
 * A letter that answers nothing and refuses: every question of the wave is coded refused with the
 * exemptions cited, so its status reads "refused" (never "partial" for questions left blank). A letter
 * that gives any count or yes/no keeps its answers and nothing is added.
 */
export function wholeRefusal(out: LetterResult, lines: readonly Line[], wave: FoiQuestionList): LetterResult {
  const texts = lines.map((l) => l.text);
  // Only a count of a period asked answers anything: "14 requests ... since January 2025" in a refusal is no answer.
  const answered =
    out.values.some((v) => v.interval !== null && v.askedPeriodId !== undefined && v.suggestion === undefined) ||
    out.textAnswers.some((a) => a.yesNo !== null && !out.stated?.has(a.questionId));
  if (answered) return out;
  const body = texts.join(' ');
  // "The Trust neither confirms nor denies whether it holds the information" (s40(5B) and the like): ncnd.
  if (NCND.test(body)) {
    const cited = [...body.matchAll(/\b(?:section|s\.?)\s*(\d{2}\s*(?:\(\s*[0-9a-z]+\s*\)\s*)*)/gi)]
      .map((m) => canonicalExemption(m[1]!))
      .filter((e): e is string => e !== null);
    return codeEveryQuestion(out, lines, wave, NCND, 'ncnd', [...new Set(cited)]);
  }
  // Refused on cost, whatever it says first about what is not recorded.
  const cost = costRefusal(body);
  if (cost !== null) return codeEveryQuestion(out, lines, wave, REFUSAL[0]![1], 'refused', cost.exemptions);
  // "Not held" said in other words, for the whole request: every question is coded not held. Not when the
  // letter also answers in sentences no heading numbers ("We do accept referrals for under twos. ... We do
  // not hold these by year."): what it holds and what it does not is a person's to code.
  const affirms = body.split(/(?<=[.!?])\s+/).some((sentence) => yesNo(sentence) === true);
  if (!REFUSING.test(body) && NOT_HELD_WHOLE.test(body) && !POINTS_ELSEWHERE.test(body) && !affirms)
    return codeEveryQuestion(out, lines, wave, NOT_HELD_WHOLE, 'not_held', []);
  if (!REFUSING.test(body)) return out;
  const exemptions = REFUSAL.filter(([, re]) => re.test(body)).map(([s]) => s);
  if (exemptions.length === 0) return out;
  return codeEveryQuestion(out, lines, wave, REFUSING, 'refused', exemptions);
}

/**
 * Every question of the wave coded with one missing reason, quoting the first line that says so.
 * Restated questions read as "answers" are not answers of such a letter, so they are dropped.
 */
function codeEveryQuestion(
  out: LetterResult,
  lines: readonly Line[],
  wave: FoiQuestionList,
  says: RegExp,
  missingReason: 'not_held' | 'refused' | 'ncnd',
  exemptions: string[],
): LetterResult {
  const at = Math.max(
    0,
    lines.findIndex((l) => says.test(l.text)),
  );
  const line = lines[at]?.text ?? '';
  const location = lines[at]?.location ?? {};
  // Counts withheld whole under s40(2) (personal data) and nothing else: each asked period is [0, open],
  // suppressed (spec/foi.md coding rules), not a missing value; the other questions stay refused.
  const s40Only = missingReason === 'refused' && exemptions.length > 0 && exemptions.every((e) => e.startsWith('s40'));
  const asOf = out.replyDate ?? wave.sentDate;
  out.values = wave.questions.flatMap((q): CodedValue[] =>
    s40Only && q.answerType === 'count_per_period'
      ? withheldCounts(q, wave, asOf, location, line, exemptions)
      : [
          {
            questionId: q.id,
            interval: null,
            flags: [],
            ageBand: wave.askedAgeBand,
            basis: q.basis ?? 'received',
            exemptions,
            missingReason,
            location,
            quote: line,
            method: 'automatic',
            rule: 'refusal',
            evidence: line,
          },
        ],
  );
  out.textAnswers = [];
  out.uncoded = 0;
  return out;
}

/**
 * A count question's every asked period withheld under s40(2) with no bound (foi.md coding rules):
 * [0, open], suppressed, the exemption recorded; a period still running at `asOf` ends there.
 */
function withheldCounts(
  q: FoiQuestion,
  wave: FoiQuestionList,
  asOf: string,
  location: CodedValue['location'],
  quote: string,
  exemptions: string[],
): CodedValue[] {
  return wave.periods.map((a) => {
    const p = periodFromDates(a.start, a.end > asOf && a.start <= asOf ? asOf : a.end, a.label);
    return codedValue({
      wave,
      questionId: q.id,
      basis: q.basis ?? 'received',
      period: p.period,
      code: { interval: { low: 0, high: null }, flags: ['suppressed'], exemptions },
      flags: p.flags,
      ageBand: wave.askedAgeBand,
      location,
      quote,
      rule: 'refusal',
      evidence: quote,
    });
  });
}

const S40_WITHHELD = /\b40\s*\(\s*2\s*\)/i;
const WITHHOLDS = /\bwithh(?:e|o)ld|\bredact|\bsuppress|\bnot (?:be )?(?:disclosed|released|provided)\b/i;

/**
 * Count questions an answer withholds under s40(2) with no figure and no period ("The numbers in each year
 * are very small ... therefore withheld under section 40(2)"): each asked period is [0, open], suppressed,
 * in place of the "count with no period" the sentence gave.
 */
export function withheldWithoutFigures(
  questions: readonly FoiQuestion[],
  answer: readonly Line[],
  wave: FoiQuestionList,
  period: { sentDate: string; replyDate?: string },
  out: LetterResult,
  before: { values: number; issues: number; uncoded: number },
): void {
  const text = answer.map((l) => l.text).join(' ');
  if (!S40_WITHHELD.test(text) || !WITHHOLDS.test(text)) return;
  // "The total of 15 is disclosed in full; a breakdown of this figure by borough has been withheld under
  // section 40(2)": only a finer split is withheld, the counts themselves are given (or left to a person).
  const withholding = text.split(/(?<=[.;])\s+/).filter((x) => S40_WITHHELD.test(x) || WITHHOLDS.test(x));
  if (withholding.some((x) => /break ?down|broken down|disclosed in full|split by/i.test(x))) return;
  const added = out.values.slice(before.values);
  const bare = questions.filter(
    (q) => q.answerType === 'count_per_period' && !added.some((v) => v.questionId === q.id),
  );
  if (bare.length === 0) return;
  const at = answer.find((l) => S40_WITHHELD.test(l.text)) ?? answer[0]!;
  const asOf = period.replyDate ?? period.sentDate;
  for (const q of bare) out.values.push(...withheldCounts(q, wave, asOf, at.location, text, ['s40(2)']));
  const raised = out.issues.slice(before.issues);
  const kept = raised.filter((i) => i.code !== 'count_without_period');
  out.issues.splice(before.issues, raised.length, ...kept);
  // Those counts with no period were what left the answer to a person.
  out.uncoded = Math.max(before.uncoded, out.uncoded - (raised.length - kept.length));
}
