import type { AgeBand, CodedValue, FoiQuestionList, ReferralBasis } from '../../schemas/foi.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { findAgeBand, parseAgeBand } from './age-band.ts';
import { normalise } from './coded.ts';
import { codeCount, countableNumbers, type CountCode } from './count.ts';
import { NOT_A_COUNT } from './grid.ts';
import { NUMBER_WORDS } from './numbers.ts';
import { findPeriods, parsePeriod, periodFromDates, type PeriodContext } from './period.ts';
import { codedValue } from './value.ts';

/**
 * Counts written as sentences ("In 2022/23 we received fewer than 5 referrals", "12 in 2021/22, 4 in
 * 2022/23"): each period of a sentence is paired with the one count after it, or else before it; a
 * sentence that pairs neither way goes to a person.
 */

export interface Line {
  text: string;
  location: Location;
  /** The whole source line when `text` is only part of it (the answer after "Response:"). */
  quote?: string;
  /** Cells where the source shows columns (a PDF table row, a tab-separated line); two or more make a table row. */
  cells?: string[];
  /** Set when the cells could not all be placed under their columns with confidence: why (a person places them). */
  weak?: string;
}
export interface ProseContext {
  wave: FoiQuestionList;
  period: PeriodContext;
  notes: readonly string[];
  questionId: string;
  basis: ReferralBasis;
  band: AgeBand;
}

/**
 * "seven of the eleven in 2023/24 were accepted": the part and the whole of one period, the accepted
 * count and the received one. Read only in a sentence about accepting.
 */
const PART_OF_WHOLE = new RegExp(
  String.raw`(?<![\w/.-])(\d+|${NUMBER_WORDS})\s+(?:out\s+)?of\s+(?:the\s+|these\s+|those\s+)?(\d+|${NUMBER_WORDS})(?![\w/-])`,
  'gi',
);

const TRAILING_END = /^[^()]*?\d[^()]*?(\(\s*(?:to|up to|until|as at)\s[^)]*\))/i;

const CONNECTORS = /(?:[\s,;:.]+|\b(?:and|in|or|for|with|the|during|of|while|then)\b)+$/i;
const EACH =
  /\beach (?:of the )?(?:three |3 )?(?:financial )?(?:years?|periods?)\b|\ball (?:three |3 )?(?:financial )?(?:years|periods)\b|\bevery year\b|\bany of the (?:years|periods)\b/;

/** Sentence ends: a stop before a capital (so "approx. 40" and "12. 2022/23: 4" stay whole) or a semicolon. */
function sentences(text: string, breaks: readonly number[] = []): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  let start = 0;
  const ends = [
    // Also a stop after a word before a year label ("... the referral first. 2023/24 is to 29 February 2024.").
    ...[...text.matchAll(/[.!?]+(?=\s+[A-Z(]|\s*$)|(?<=[a-z]{2})\.(?=\s+\d{4}\s*[/-]\s*\d{2}\b)|;/g)].map(
      (m) => m.index + m[0].length,
    ),
    ...breaks.filter((b) => b > 0),
  ].sort((a, b) => a - b);
  for (const end of ends) {
    if (end <= start) continue;
    out.push({ text: text.slice(start, end), index: start });
    start = end;
  }
  if (start < text.length) out.push({ text: text.slice(start), index: start });
  return out.filter((s) => s.text.trim() !== '');
}

/** A count of nought said as one: "nil", "none", "nil return", "zero", "0" (not a bare "No."). */
const isNil = (c: CountCode, text: string): boolean =>
  c.interval !== null && c.interval.low === 0 && c.interval.high === 0 && /\b(?:nil|none|zero|0)\b/.test(text);

export function codeProse(
  lines: readonly Line[],
  ctx: ProseContext,
): { values: CodedValue[]; issues: Issue[]; uncoded: number } {
  const texts = lines.map((l) => l.text.replace(/\s+/g, ' ').trim());
  const quotes = lines.map((l) => (l.quote ?? l.text).replace(/\s+/g, ' ').trim());
  const starts: number[] = [];
  let joined = '';
  texts.forEach((t, i) => {
    if (i > 0) joined += ' ';
    starts.push(joined.length);
    joined += t;
  });
  const lineAt = (offset: number) => Math.max(0, starts.filter((s) => s <= offset).length - 1);
  const cite = (from: number, to: number) => {
    const [a, b] = [lineAt(from), lineAt(Math.max(from, to - 1))];
    return { location: lines[a]!.location, quote: quotes.slice(a, b + 1).join(' ') };
  };
  const out = { values: [] as CodedValue[], issues: [] as Issue[], uncoded: 0 };
  const asOf = ctx.period.replyDate ?? ctx.period.sentDate;
  const emit = (
    code: CountCode,
    periodText: string | null,
    sentence: string,
    from: number,
    to: number,
    weak?: string,
  ) => {
    const { location, quote } = cite(from, to);
    const ageText = findAgeBand(sentence);
    const age = ageText === null ? null : parseAgeBand(ageText, location);
    if (age) out.issues.push(...age.issues);
    const band = age?.value?.band ?? ctx.band;
    const parsed = periodText === null ? null : parsePeriod(periodText, ctx.period, location);
    if (parsed && parsed.value === null) {
      out.issues.push(...parsed.issues);
      out.uncoded += 1;
      return;
    }
    const periods =
      parsed === null
        ? ctx.wave.periods.map((a) => periodFromDates(a.start, a.end > asOf && a.start <= asOf ? asOf : a.end, a.label))
        : [parsed.value!];
    for (const p of periods) {
      out.values.push(
        codedValue({
          wave: ctx.wave,
          questionId: ctx.questionId,
          basis: ctx.basis,
          period: p.period,
          code,
          flags: p.flags,
          ageBand: band,
          location,
          quote,
          rule: 'prose',
          evidence: sentence.trim(),
          ...(weak === undefined ? {} : { suggestion: weak }),
        }),
      );
    }
  };
  // A line that starts with a period ("April 2022 - March 2023 – 34") is an item of a list: it starts a
  // sentence of its own, so its count is never paired with the period of the line before.
  // Not when the line before is cut off inside its own period ("2023/2024 (to 31" / "January 2024): nil") or
  // before its count ("2023/24: 40, 2024/25:" / "35, 2025/26: 27.").
  const cut = (t: string) =>
    (t.match(/\(/g) ?? []).length > (t.match(/\)/g) ?? []).length ||
    /(?:\bto|\buntil|\band)\s*\d*$|[-–,:]\s*$/i.test(t);
  const item = (t: string) => {
    const n = normalise(t);
    const lead = /^(?:(?:in|for) )?(?:the )?(?:calendar |financial )?(?:year )?/.exec(n)![0].length;
    return /^[-•*]\s/.test(t) || findPeriods(n)[0]?.index === lead;
  };
  // A list item also ends at its own line end: the line after it ("Numbers under 5 have been
  // suppressed ...") is not part of its count.
  // A blank line ends a paragraph: "2023/24: 8" / "" / "Our answers to questions 1, 4 and 5 are unchanged."
  // (A text or e-mail reader drops blank lines but keeps each line's number, so a gap in them is one.)
  const blankBefore = (i: number): boolean => {
    const [a, b] = [lines[i - 1]!.location, lines[i]!.location];
    if (texts[i - 1] === '') return true;
    return a.line !== undefined && b.line !== undefined && a.page === b.page && b.line - a.line > 1;
  };
  const breaks = starts.filter(
    (_, i) => i > 0 && (blankBefore(i) || (!cut(texts[i - 1]!) && (item(texts[i]!) || item(texts[i - 1]!)))),
  );
  for (const { text: sentence, index: at } of sentences(joined, breaks)) {
    const n = normalise(sentence);
    const lead = sentence.length - sentence.trimStart().length;
    const spans = findPeriods(n).map((s) => ({ ...s, index: s.index + lead }));
    // A line with more numbers than periods to pair them with: which number answers is a guess (a flattened table row).
    // Not when the sentence itself has no more numbers than periods: its line only holds other sentences too
    // ("2023/24: 26 referrals; median wait 35 days; ...") or the end of one begun above ("35, 2025/26: 27.").
    const sentenceCrowded = countableNumbers(sentence) > Math.max(1, spans.length);
    const crowded = !sentenceCrowded
      ? undefined
      : texts
          .slice(lineAt(at), lineAt(at + Math.max(0, sentence.length - 1)) + 1)
          .map((t) => ({ t, numbers: countableNumbers(t), periods: findPeriods(normalise(t)).length }))
          .find((l) => l.numbers > Math.max(1, l.periods));
    const weak = crowded
      ? `the line "${crowded.t}" holds ${crowded.numbers} numbers for ${crowded.periods || 'no'} period${crowded.periods === 1 ? '' : 's'}`
      : undefined;
    const accepting = /\baccept/.test(n);
    const code = (from: number, to: number) =>
      codeCount(
        accepting
          ? sentence.slice(from, to).replace(PART_OF_WHOLE, ctx.basis === 'accepted' ? '$1' : '$2')
          : sentence.slice(from, to),
        { notes: ctx.notes, location: cite(at + from, at + to).location },
      );
    if (spans.length === 0) {
      // "The Oxfordshire population aged 0-4 is about 38,000.": a sentence about no referral count at all.
      if (NOT_A_COUNT.test(n) && !/\breferr|\baccept|\breceiv/.test(n)) continue;
      // "Page 2 of 2": a page number.
      if (/^\s*page \d+(?: of \d+)?\s*$/.test(n)) continue;
      const whole = code(0, sentence.length);
      // "Referrals accepted: nil return." with no period: nothing in any period asked.
      if (whole.value && (whole.value.missingReason !== undefined || EACH.test(n) || isNil(whole.value, n)))
        emit(whole.value, null, sentence, at, at + sentence.length, weak);
      else if (whole.value || whole.issues.some((i) => i.code === 'count_ambiguous')) {
        out.uncoded += 1;
        out.issues.push(
          whole.value
            ? issue(
                'count_without_period',
                'warning',
                'A count with no period it belongs to.',
                cite(at, at + sentence.length).location,
                { raw: sentence, questionId: ctx.questionId },
              )
            : whole.issues[0]!,
        );
      }
      continue;
    }
    const after = spans.map((s, i) => [s.index + s.text.length, spans[i + 1]?.index ?? sentence.length] as const);
    const before = spans.map(
      (s, i) => [i === 0 ? 0 : spans[i - 1]!.index + spans[i - 1]!.text.length, s.index] as const,
    );
    const codedAfter = after.map(([a, b]) => code(a, b));
    const codedBefore = before.map(([a, b]) => code(a, b));
    const pick = codedAfter.every((c) => c.value)
      ? { segs: after, coded: codedAfter }
      : codedBefore.every((c) => c.value)
        ? { segs: before, coded: codedBefore }
        : null;
    // "Referrals received 2021/22, 2022/23, 2023/24: nil return.": one nil after a list of periods is nil in each.
    const lastAfter = codedAfter[codedAfter.length - 1]!.value;
    const nilForAll =
      pick === null &&
      spans.length > 1 &&
      lastAfter !== null &&
      isNil(lastAfter, normalise(sentence.slice(...after[after.length - 1]!))) &&
      after.slice(0, -1).every(([a, b]) => sentence.slice(a, b).replace(CONNECTORS, '').trim() === '');
    if (nilForAll) {
      const end = after[after.length - 1]![1];
      for (const s of spans)
        emit(
          lastAfter,
          sentence.slice(s.index, s.index + s.text.length),
          sentence,
          at + spans[0]!.index,
          at + end,
          weak,
        );
      continue;
    }
    if (pick) {
      spans.forEach((s, i) => {
        const [a, b0] = pick.segs[i]!;
        // Quote up to the count, not the connecting words before the next period ("fewer than 5 and in").
        const b = a + sentence.slice(a, b0).replace(CONNECTORS, '').length;
        // A "*" no note explains: some number was withheld, but what it stands for only a person can say.
        const unexplained = pick.coded[i]!.issues.filter((x) => x.code === 'suppression_mark_without_note');
        out.issues.push(...unexplained);
        // "2023/24 6 (to 29/02/2024)": the bracket after the count says where that period ends.
        const label = sentence.slice(s.index, s.index + s.text.length);
        const ends = pick.segs === after ? TRAILING_END.exec(sentence.slice(a, b0))?.[1] : undefined;
        const dated = ends === undefined ? null : parsePeriod(`${label} ${ends}`, ctx.period).value;
        emit(
          pick.coded[i]!.value!,
          dated !== null && dated.period.end !== parsePeriod(label, ctx.period).value?.period.end
            ? `${label} ${ends}`
            : label,
          sentence,
          at + Math.min(a, s.index),
          at + Math.max(b, s.index + s.text.length),
          weak ?? (unexplained.length > 0 ? 'a "*" stands for a withheld number but no note says which' : undefined),
        );
      });
    } else if (
      [...codedAfter, ...codedBefore].some((c) => c.value || c.issues.some((i) => i.code === 'count_ambiguous'))
    ) {
      out.uncoded += 1;
      out.issues.push(
        issue(
          'count_unpaired',
          'warning',
          'Periods and counts in this sentence could not be paired one to one; a person must code it.',
          cite(at, at + sentence.length).location,
          { raw: sentence, questionId: ctx.questionId },
        ),
      );
    }
  }
  return out;
}
