import type {
  AgeBand,
  AskedPeriod,
  CodedValue,
  FoiFlag,
  FoiPeriod,
  FoiQuestionList,
  ReferralBasis,
  ValuePart,
  ValueRule,
} from '../../schemas/foi.ts';
import type { Location } from '../../schemas/issue.ts';
import type { CountCode } from './count.ts';
import { matchAskedPeriod } from './period.ts';

/** Building CodedValues the same way in every reader. */

/** The wave's count question for a basis (q2 received, q3 accepted in 2024). */
function questionFor(wave: FoiQuestionList, basis: ReferralBasis): string {
  return wave.questions.find((q) => q.answerType === 'count_per_period' && q.basis === basis)?.id ?? `count_${basis}`;
}

export interface ValueInput {
  wave: FoiQuestionList;
  questionId?: string;
  basis: ReferralBasis;
  period?: FoiPeriod;
  code: CountCode;
  /** Flags from the period, the age band, a sum: merged with the count's own. */
  flags?: readonly FoiFlag[];
  ageBand: AgeBand;
  service?: string;
  location: Location;
  quote: string;
  derivedFrom?: ValuePart[];
  /** The confidence gate: the rule that read it, its evidence, and why it is only a suggestion (weak rule). */
  rule?: ValueRule;
  evidence?: string;
  suggestion?: string;
}

export function codedValue(v: ValueInput): CodedValue {
  const flags = [
    ...new Set<FoiFlag>([
      ...v.code.flags,
      ...(v.flags ?? []),
      ...(v.ageBand.exact ? [] : (['band_mismatch'] as const)),
    ]),
  ].sort();
  const out: CodedValue = {
    questionId: v.questionId ?? questionFor(v.wave, v.basis),
    interval: v.code.interval,
    flags,
    ageBand: v.ageBand,
    basis: v.basis,
    exemptions: v.code.exemptions,
    location: v.location,
    quote: v.quote,
    method: 'automatic',
  };
  if (v.period) {
    out.period = v.period;
    const asked = matchAskedPeriod(v.period, v.wave.periods) ?? overlapping(v.period, v.wave.periods);
    if (asked) out.askedPeriodId = asked.id;
  }
  if (v.service !== undefined) out.service = v.service;
  if (v.code.missingReason !== undefined) out.missingReason = v.code.missingReason;
  if (v.derivedFrom !== undefined) out.derivedFrom = v.derivedFrom;
  if (v.rule !== undefined) out.rule = v.rule;
  if (v.evidence !== undefined) out.evidence = v.evidence;
  if (v.suggestion !== undefined) out.suggestion = v.suggestion;
  // An estimate ("approximately 2-3 a month") is not a count a figure can rest on: a person decides.
  else if (flags.includes('approximate')) out.suggestion = 'the reply gives an estimate, not a count';
  return out;
}

const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000 + 1;

/**
 * A calendar year given where financial years were asked answers the asked year it overlaps most
 * (2021 -> 2021/22: nine months of twelve); it keeps its own dates and its partial_period flag.
 */
function overlapping(period: FoiPeriod, asked: readonly AskedPeriod[]): AskedPeriod | undefined {
  if (period.type !== 'calendar_year') return undefined;
  const scored = asked
    .filter((a) => a.type === 'financial_year')
    .map((a) => {
      const [s, e] = [a.start > period.start ? a.start : period.start, a.end < period.end ? a.end : period.end];
      return { a, overlap: s <= e ? days(s, e) : 0 };
    })
    .sort((x, y) => y.overlap - x.overlap);
  return scored[0] && scored[0].overlap > days(period.start, period.end) / 2 ? scored[0].a : undefined;
}

export function partOf(
  v: Pick<CodedValue, 'location' | 'quote' | 'interval' | 'period' | 'ageBand' | 'service'>,
): ValuePart {
  const p: ValuePart = { location: v.location, quote: v.quote, interval: v.interval ?? { low: 0, high: null } };
  if (v.period) p.period = v.period;
  p.ageBand = v.ageBand;
  if (v.service !== undefined) p.service = v.service;
  return p;
}
