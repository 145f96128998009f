import type { FoiQuestionList } from '../../schemas/foi.ts';
import { normalise } from './coded.ts';
import { NUMBER_WORDS } from './numbers.ts';
import { blankPeriods, findPeriods } from './period.ts';
import type { Line } from './prose.ts';

/**
 * Counts written as phrases and lists in a letter, turned into lines the table and prose readers read
 * (spec/foi.md "What real replies do"): both counts of a period in one sentence ("received 5, of which <5
 * were accepted", "21 referrals (17 accepted)"), counts paired with periods by "respectively", a line of
 * years over a line of counts, a PDF line of "period: count" cells. Used by sources/foi/letter.ts.
 */

export const ALL_ACCEPTED =
  /\b(?:all|each|every one)\b(?: of)?(?: (?:these|them|those|the|which|such))?(?: above)?(?: referrals?)?(?: received)?(?: (?:listed|shown|given|reported|set out|detailed)(?: above| below| in (?:the|this) table)?)? (?:were|was|have been|had been) accepted\b|\baccepted (?:all of them|them all|every one of them|all of these)\b/i;

// A count as written: digits, words ("twelve", "less than ten"), a suppression form, or "all"/"none".
const COUNT_WORDS = String.raw`(?:[<>]\s*\d+|(?:fewer|less) than (?:\d+|five|ten)|\d+ or fewer|\d[\d,]*|(?<!\b(?:under|aged?|over|below|than)\s+)${NUMBER_WORDS}(?![\w-])|all|none|nil|\*)`;
const ACCEPTED_CLAUSE = new RegExp(
  String.raw`,?\s*(?:of (?:which|whom|these|those)\s+)?(${COUNT_WORDS})\s+(?:of (?:them|these|those)\s+)?(?:(?:were|was|have been|had been)\s+)?accepted\b|\s*\(\s*(all|none) (?:were )?accepted\s*\)`,
  'gi',
);
const RECEIVED_CLAUSE = new RegExp(
  String.raw`\breceived\s+(${COUNT_WORDS})(?:\s+referrals?)?\b|(${COUNT_WORDS})\s+(?:referrals?\s+)?received\b|\bthere (?:were|was) (${COUNT_WORDS})\s+referrals?\b`,
  'gi',
);

const OF_WHICH_ACCEPTED = new RegExp(
  String.raw`(?<![\w/-])(${COUNT_WORDS})\s*,?\s+of (?:which|whom|these|those)\s+(${COUNT_WORDS})\s+(?:(?:were|was|have been|had been)\s+)?accepted\b`,
  'gi',
);

const RECEIVED_OF_WHICH = new RegExp(
  String.raw`\breceived\s+(${COUNT_WORDS})\b[^;.\d()<>*]*?,?\s+of (?:which|whom|these|those)\s+(${COUNT_WORDS})\s+(?:(?:were|was|have been|had been)\s+)?accepted\b`,
  'gi',
);

const NUM_LIST = new RegExp(
  String.raw`(?<![\w/.-])((?:${COUNT_WORDS})(?:\s*(?:,|and|&)\s*(?:${COUNT_WORDS}))+)(?![\w/])`,
  'gi',
);

/** The counts of a list as written ("12, 17 and 15" -> 12, 17, 15). */
const countsOf = (list: string): string[] => list.split(/\s*(?:,|\band\b|&)\s*/i).filter((c) => c.trim() !== '');

/** The one list of two or more counts in a text, or null when it has none or several. */
function onlyList(text: string): string[] | null {
  const lists = [...text.matchAll(NUM_LIST)].map((m) => countsOf(m[1]!));
  return lists.length === 1 ? lists[0]! : null;
}

/** Counts paired with period labels in order, as a line the prose reader reads: "2021/22: 12; 2022/23: 17". */
const pairedText = (labels: readonly string[], counts: readonly string[]): string =>
  labels.map((l, i) => `${l}: ${counts[i]}`).join('; ');
const RESPECTIVELY = new RegExp(
  String.raw`[;,]?\s*(?:of (?:these|which|those|them),?\s*)?((?:${COUNT_WORDS})(?:\s*(?:,|and|&)\s*(?:${COUNT_WORDS}))+)\s*,?\s+respectively\s+(?:(?:were|was|have been|had been)\s+)?accepted\b[^.;]*`,
  'i',
);

/**
 * "received 19 in 2021/22, 25 in 2022/23 and 21 in 2023/24; of these, 12, 17 and 15 respectively were
 * accepted": the accepted counts are given in the order of the periods named before them. Read only when
 * there are as many counts as periods; the received text is what comes before the list.
 */
function respectively(text: string): { received: string; accepted: string } | null {
  // "We received 7, 9 and 12 referrals in 2021/22, 2022/23 and 2023/24 respectively, of which 5, 6 and 10
  // were accepted": both lists in the order of the periods the first names.
  const ofWhich = /\bof (?:which|these|those|whom)\b/i.exec(text);
  if (
    ofWhich &&
    /\brespectively\b/i.test(text.slice(0, ofWhich.index)) &&
    /\baccept/i.test(text.slice(ofWhich.index))
  ) {
    const first = normalise(text.slice(0, ofWhich.index));
    const periods = findPeriods(first);
    const received = onlyList(blankPeriods(first, periods));
    const accepted = onlyList(normalise(text.slice(ofWhich.index)));
    const labels = periods.map((p) => p.text);
    if (periods.length >= 2 && received?.length === periods.length && accepted?.length === periods.length)
      return { received: pairedText(labels, received), accepted: pairedText(labels, accepted) };
  }
  // "Referrals received were 21 in 2021/22, 18 in 2022/23 and 25 in 2023/24. The number accepted was 17,
  // 15 and 20 respectively.": a sentence of its own, with no period, after the one that names them.
  const sentences = text.split(/(?<=[.;])\s+/);
  const own = sentences.findIndex(
    (x, i) => i > 0 && /\brespectively\b/i.test(x) && /\baccept/i.test(x) && findPeriods(normalise(x)).length === 0,
  );
  if (own > 0) {
    const before = sentences.slice(0, own).join(' ');
    const periods = findPeriods(normalise(before));
    const counts = onlyList(normalise(sentences[own]!));
    if (counts !== null && counts.length === periods.length && periods.length >= 2)
      return {
        received: before,
        accepted: pairedText(
          periods.map((p) => p.text),
          counts,
        ),
      };
  }
  const r = RESPECTIVELY.exec(text);
  if (!r) return null;
  const before = text.slice(0, r.index);
  const periods = findPeriods(normalise(before));
  const counts = countsOf(r[1]!);
  if (counts.length < 2 || periods.length !== counts.length) return null;
  return {
    received: before,
    accepted: pairedText(
      periods.map((p) => p.text),
      counts,
    ),
  };
}

const RECEIVED_THEN_ACCEPTED = new RegExp(
  String.raw`\breceived\s+(${COUNT_WORDS})(?:\s+(?:such\s+)?referrals?)?,?\s+and\s+(?:we\s+)?accepted\s+(${COUNT_WORDS})(?![\w/])`,
  'i',
);

/**
 * "In 2021/22 we received 12 referrals and accepted 10; in 2022/23, 14 and 11; and in 2023/24 to date, 9
 * and 9.": the first clause names the two counts in order, each clause after it gives one period's pair in
 * the same order. Read only when every clause of the sentence has one period and one pair; the other
 * sentences of the text are kept for both questions.
 */
function pairsInOrder(text: string): { received: string; accepted: string } | null {
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z])/);
  const at = sentences.findIndex((x) => RECEIVED_THEN_ACCEPTED.test(normalise(x)));
  if (at < 0) return null;
  const labels: string[] = [];
  const received: string[] = [];
  const accepted: string[] = [];
  for (const clause of sentences[at]!.split(/\s*;\s*/).filter((c) => c.trim() !== '')) {
    const t = normalise(clause);
    const periods = findPeriods(t);
    if (periods.length !== 1) return null;
    const named = RECEIVED_THEN_ACCEPTED.exec(t);
    const pair = named ? [named[1]!, named[2]!] : onlyList(blankPeriods(t, periods));
    if (pair?.length !== 2) return null;
    // "2023/24 to date": the running year's words stay with its label.
    const p = periods[0]!;
    const toDate = /^\s*\(?(?:to date|so far|year to date)\)?/i.exec(t.slice(p.index + p.text.length));
    labels.push(`${p.text}${toDate ? ` ${toDate[0].trim()}` : ''}`);
    received.push(pair[0]!);
    accepted.push(pair[1]!);
  }
  const rest = sentences.filter((_, i) => i !== at).join(' ');
  const as = (counts: string[]) => `${pairedText(labels, counts)}.${rest === '' ? '' : ` ${rest}`}`;
  return { received: as(received), accepted: as(accepted) };
}

/**
 * Counts paired with periods by "respectively": "17, 21 and 25 such referrals in 2021/22, 2022/23 and
 * 2023/24 respectively"; with no period in the sentence, "3, 4 and 3 were accepted respectively" or "(7,
 * 10 and 12 respectively)" pairs them with the asked periods in order, when there are as many counts as
 * asked periods. The line is read as "2021/22: 17; 2022/23: 21; 2023/24: 25" (its quote stays its own).
 */
function pairRespectively(text: string, wave: FoiQuestionList): string | null {
  // "respectively", or "in each of the years asked ... 2, 3 and 5": the counts in the order of the periods.
  if (!/\brespectively\b|\bin each of the (?:three |3 )?(?:years|periods)\b/i.test(text)) return null;
  const t = normalise(text);
  const periods = findPeriods(t);
  const counts = onlyList(blankPeriods(t, periods));
  if (counts === null) return null;
  const labels =
    periods.length === counts.length
      ? periods.map((p) => p.text)
      : periods.length === 0 && counts.length === wave.periods.length
        ? wave.periods.map((p) => p.label)
        : null;
  return labels === null ? null : `${pairedText(labels, counts)}.`;
}

export function withRespectively(l: Line, wave: FoiQuestionList): Line {
  if (l.cells) return l;
  const paired = pairRespectively(l.text, wave);
  return paired === null ? l : { ...l, text: paired, quote: l.quote ?? l.text };
}

/**
 * A sentence that gives both counts of a period ("26 referrals received, 18 accepted"; "we received 5,
 * of which <5 were accepted; in 2022/23 we received <5 (all accepted)"): the text each count question
 * reads, the other's clause taken out ("all accepted" is the received count). Null when it is not such a sentence.
 */
export function bothCounts(text: string): { received: string; accepted: string } | null {
  const listed = respectively(text) ?? pairsInOrder(text);
  if (listed) return listed;
  // "2021–22: 6, of which <5 were accepted": no "received", the count before "of which" is the received one.
  RECEIVED_CLAUSE.lastIndex = 0;
  OF_WHICH_ACCEPTED.lastIndex = 0;
  if (!RECEIVED_CLAUSE.test(text) && OF_WHICH_ACCEPTED.test(text)) {
    OF_WHICH_ACCEPTED.lastIndex = 0;
    return { received: text.replace(OF_WHICH_ACCEPTED, ' $1 '), accepted: text.replace(OF_WHICH_ACCEPTED, ' $2 ') };
  }
  RECEIVED_CLAUSE.lastIndex = 0;
  OF_WHICH_ACCEPTED.lastIndex = 0;
  if (!RECEIVED_CLAUSE.test(text) || !ACCEPTED_CLAUSE.test(text)) return null;
  RECEIVED_CLAUSE.lastIndex = 0;
  ACCEPTED_CLAUSE.lastIndex = 0;
  const received = text.replace(ACCEPTED_CLAUSE, ' ');
  // "... received 18 referrals ...; in 2022/23, 21. All were accepted": each received count is the accepted one
  // (taking the received clauses out would leave only the other numbers of the sentence).
  // Only when no period's accepted count is given in numbers ("of which <5 were accepted ... all of which were
  // accepted" keeps each period's own).
  const numbered = [...text.matchAll(ACCEPTED_CLAUSE)].some((m) => m[1] !== undefined && !/^(?:all|none)$/i.test(m[1]));
  ACCEPTED_CLAUSE.lastIndex = 0;
  if (!numbered && ALL_ACCEPTED.test(text) && !/\bnot all\b/i.test(text)) return { received, accepted: received };
  const accepted = text
    // "we received 19, of which 17 were accepted", "received 14 referrals for children aged under two, of
    // which 12 were accepted": the count after "of which" is that period's accepted one (taken first, so the
    // received clause's removal below cannot take it with it).
    .replace(RECEIVED_OF_WHICH, ' $2 ')
    // "in 2022/23, 21 referrals (17 accepted)": the count in brackets is that period's accepted one.
    .replace(
      new RegExp(
        String.raw`(?<![\w/-])(?:${COUNT_WORDS})\s+referrals?\s*\(\s*(${COUNT_WORDS})\s+(?:were\s+|was\s+)?accepted\s*\)`,
        'gi',
      ),
      ' $1 ',
    )
    // "6, of which <5 were accepted": the bare count before "of which" is that period's received count.
    .replace(OF_WHICH_ACCEPTED, ' $2 ')
    .replace(
      new RegExp(String.raw`\breceived\s+(${COUNT_WORDS})(?:\s+referrals?)?\s*\(\s*all (?:were )?accepted\s*\)`, 'gi'),
      ' $1 ',
    )
    // "there were 3 referrals, all of which were accepted": that period's accepted count is its received one.
    .replace(
      new RegExp(
        String.raw`\b(?:received|there (?:were|was))\s+(${COUNT_WORDS})(?:\s+referrals?)?,?\s+(?:all of (?:which|them|these)|each of which|every one of which)\s+(?:were|was|have been|had been)\s+accepted\b`,
        'gi',
      ),
      ' $1 ',
    )
    // "we received seven referrals; five were accepted": the clause and the stop after it, one sentence left.
    .replace(new RegExp(String.raw`(?:${RECEIVED_CLAUSE.source})\s*[;,]?`, 'gi'), ' ')
    .replace(ACCEPTED_CLAUSE, (m, n: string | undefined) => (n === undefined ? ' ' : ` ${n} `));
  return { received, accepted };
}

/**
 * A PDF line set out in columns whose every cell is a period and its count ("2023/24: 19 | 2024/25: 24 |
 * 2025/26 to date: 13"): a list written across the page, read as the sentence it is, not as a table row.
 */
export function pairCells(l: Line): Line {
  if (!l.cells || l.cells.length < 2) return l;
  const paired = l.cells.every((c) => {
    const t = normalise(c);
    const spans = findPeriods(t);
    return spans.length === 1 && spans[0]!.index === 0 && /^\s*[:=]\s*\S/.test(t.slice(spans[0]!.text.length));
  });
  if (!paired) return l;
  const { cells: _cells, ...rest } = l;
  return { ...rest, text: l.cells.join('; '), quote: l.quote ?? l.text };
}

/**
 * A table flattened to two lines with no row label: the periods ("2021/22 2022/23 2023/24") over as many
 * counts ("13 15 *"). The counts line is read as "2021/22: 13; 2022/23: 15; 2023/24: *" (its quote is
 * both lines). Only when the first line is nothing but periods and the second nothing but counts, as
 * many of each; a "*" is a cell of its own when that makes the numbers match, else a marker on the count.
 */
export function periodsOverCounts(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const [head, row] = [lines[i]!, lines[i + 1]];
    const labels = row && !head.cells && !row.cells ? periodsOnly(head.text) : null;
    const counts = labels ? countsOnly(row!.text, labels.length) : null;
    if (labels === null || counts === null) {
      out.push(head);
      continue;
    }
    out.push(head, {
      ...row!,
      text: `${pairedText(labels, counts)}.`,
      quote: `${head.text}\n${row!.quote ?? row!.text}`,
    });
    i += 1;
  }
  return out;
}

/** The period labels of a line that is two or more periods and nothing else (bar separators). */
function periodsOnly(text: string): string[] | null {
  const t = normalise(text);
  const spans = findPeriods(t);
  if (spans.length < 2 || blankPeriods(t, spans).replace(/[\s|,;]/g, '') !== '') return null;
  return spans.map((p) => p.text);
}

const COUNT_TOKEN = /^(?:[<>]\d+|\d[\d,]*\*{0,2}|\*{1,2}|nil|none)$/i;

/** `n` counts making up the whole line ("13 15 *", "<5 7 12"), or null. */
function countsOnly(text: string, n: number): string[] | null {
  const strict = text
    .trim()
    .replace(/([<>])\s+(?=\d)/g, '$1')
    .split(/\s+/);
  const marked = text
    .trim()
    .replace(/([<>])\s+(?=\d)/g, '$1')
    .replace(/(\d)\s+(\*+)(?=\s|$)/g, '$1$2')
    .split(/\s+/);
  for (const tokens of [strict, marked])
    if (tokens.length === n && tokens.every((c) => COUNT_TOKEN.test(c))) return tokens;
  return null;
}
