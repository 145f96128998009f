import type { CountInterval, FoiFlag, FoiMissingReason } from '../../schemas/foi.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { AGE_PHRASE } from './age-band.ts';
import { fail, normalise, ok, type Coded } from './coded.ts';
import { NUMBER, readNumber } from './numbers.ts';
import { blankPeriods } from './period.ts';

/** Counts as trusts write them, coded to intervals (spec/foi.md "Coding rules"). */

export interface CountCode {
  /** null exactly when missingReason is set. */
  interval: CountInterval | null;
  flags: FoiFlag[];
  exemptions: string[];
  missingReason?: FoiMissingReason;
}
export interface CountOptions {
  /** Footnotes of the same reply ("* denotes a number between 1 and 4"): they give a mark its meaning. */
  notes?: readonly string[];
  location?: Location;
}

// A number must stand alone: "often" holds "ten", "12%" is not a count, "2.5" is one token.
// Nor part of a reference: "OHFT-23-1877", "FOI-2024-0123" (a letter or digit, then a hyphen, before it).
const NUM = `(?<![\\w.]|[a-z0-9]-)(${NUMBER})(?![\\w%]|\\.\\d)`;
const NONZERO =
  /\bnon-?zero\b|\bnot (?:zero|nil|none)\b|\bat least (?:one|1)\b|\b(?:more|greater) than (?:0|zero|nil|none)\b|\babove (?:0|zero)\b/;
const NOT_HELD =
  /\bnot (?:\w+ )?(?:held|recorded|collected|captured|coded)\b|\bnot (?:currently )?available\b|\bdo(?:es)? not (?:\w+ )?(?:hold|record|collect|capture)\b|\b(?:don't|doesn't) hold\b|\bno (?:such )?(?:information|data|records?) (?:is |are )?held\b/;
/**
 * The figures are given elsewhere ("we do not hold an aggregate report; please find attached a record-level
 * extract"): a text that says so is no "not held" statement, whatever else it says.
 */
export const POINTS_ELSEWHERE =
  /\b(?:attached|enclosed|attachment|see (?:the )?(?:table|spreadsheet|extract|figures) below|set out below|as follows)\b/i;
const SECTION = /\b(?:s|sec|section)\.?\s*(\d{1,2})(?:\s*\(\s*(\d)\s*\))?(?!\d)/g;

type Rule = [RegExp, (a: number, b: number) => { interval: CountInterval; flags: FoiFlag[] } | null];
const sup = (low: number, high: number | null): { interval: CountInterval; flags: FoiFlag[] } => ({
  interval: { low, high },
  flags: ['suppressed'],
});
// Priority order: at a given place the first rule wins, so "between 1 and 4" is never read as two numbers.
const RULES: Rule[] = [
  [new RegExp(`\\bbetween\\s+${NUM}\\s+and\\s+${NUM}`, 'g'), (a, b) => (a <= b ? sup(a, b) : null)],
  // A hyphen joins digits only: "twenty-three" is one number, not a range.
  [
    new RegExp(`(?<![\\w.]|[a-z]-)(\\d+)\\s*-\\s*(\\d+)(?![\\w%]|\\.\\d)|${NUM}\\s+to\\s+${NUM}`, 'g'),
    // A band given for a withheld number is narrow ("1-4", "5-9", "10 to 20"); "23-1877" is no count.
    (a, b) => (a <= b && b <= 2 * a + 10 ? sup(a, b) : null),
  ],
  [new RegExp(`(?:<=|\\bup to|\\bno more than|\\bnot more than|\\bat most)\\s*${NUM}`, 'g'), (a) => sup(0, a)],
  [new RegExp(`${NUM}\\s*or (?:fewer|less)\\b`, 'g'), (a) => sup(0, a)],
  [
    new RegExp(`(?:<|\\bfewer than|\\bless than|\\bunder|\\bbelow)\\s*${NUM}`, 'g'),
    (a) => (a >= 1 ? sup(0, Math.ceil(a) - 1) : null),
  ],
  [
    new RegExp(`(?:>=|\\bat least|\\bminimum of)\\s*${NUM}`, 'g'),
    (a) => ({ interval: { low: a, high: null }, flags: [] }),
  ],
  [
    new RegExp(`(?:>|\\bmore than|\\bover|\\bgreater than|\\bin excess of|\\babove)\\s*${NUM}`, 'g'),
    (a) => ({ interval: { low: Math.floor(a) + 1, high: null }, flags: [] }),
  ],
  [new RegExp(`${NUM}\\s*(?:\\+|or more\\b)`, 'g'), (a) => ({ interval: { low: a, high: null }, flags: [] })],
  [
    new RegExp(
      `(?:\\bapprox(?:imately|\\.)?|\\babout|\\baround|\\bcirca|\\bc\\.|\\broughly|~|\\ban estimated|\\bestimated)\\s*${NUM}`,
      'g',
    ),
    (a) => ({ interval: { low: a, high: a }, flags: ['approximate'] }),
  ],
  [
    /\b(?:nil|none|zero)\b|^no$|^0$|\bno (?:such )?(?:referrals?|children|infants|cases|patients)\b/g,
    () => ({ interval: { low: 0, high: 0 }, flags: [] }),
  ],
  [new RegExp(NUM, 'g'), (a) => ({ interval: { low: a, high: a }, flags: [] })],
];

function exemptionsIn(t: string): string[] {
  const out = new Set<string>();
  for (const m of t.matchAll(SECTION)) out.add(`s${m[1]}${m[2] ? `(${m[2]})` : ''}`);
  if (/\bcost limit|appropriate limit\b/.test(t)) out.add('s12');
  if (/\bvexatious\b/.test(t)) out.add('s14');
  if (/\b(?:withheld|exempt|redacted|not disclosed)\b/.test(t) && /\bpersonal (?:data|information)\b|\bidentif/.test(t))
    out.add('s40(2)');
  return [...out].sort();
}

const DASH_NOTE =
  /["“'‘]\s*[-–—]\s*["”'’]\s*(?:=|means|denotes|indicates|represents|is)\s*(nil|none|zero|0|not (?:held|available|recorded|known))\b/;

const NOT_REFERRALS = new RegExp(
  `(?<![\\w.])${NUMBER}\\s+(?:separate\\s+|different\\s+|other\\s+)?(?:teams?|sites?|services?|boroughs?|localit(?:y|ies)|trusts?|organisations?|times|occasions|hubs?|clinics?|practitioners?|posts?|sessions?|beds?|counties|councils?|providers?)\\b`,
  'g',
);

/** Blanks out what is not a count: periods, dates, ages, section numbers, question numbers. */
function mask(t: string): string {
  const s = blankPeriods(t);
  const blank = (m: string) => ' '.repeat(m.length);
  return (
    s
      .replace(new RegExp(AGE_PHRASE.source, 'g'), blank)
      .replace(SECTION, blank)
      .replace(/\b(?:question|q|page|point|paragraph)\s*\d+\b/g, blank)
      // A denominator beside the count ("18 referrals (of 2,431 referrals to CAMHS, 0.7%)", "4 out of 312"): never a count.
      .replace(/\(\s*of\s+(?:all\s+|a total of\s+)?\d[\d,]*\b|\bout of\s+(?:a total of\s+)?\d[\d,]*\b/g, blank)
      // A number of teams, sites or times ("a child referred to two teams", "across 3 sites") is no count of referrals.
      .replace(NOT_REFERRALS, blank)
      // An age ("6 weeks old", "was 6 months", "aged 18 months") is never a count.
      .replace(/\b\d+(?:\.\d+)?\s*(?:days?|weeks?|months?|years?|yrs?)(?:\s+old)?\b/g, blank)
      .replace(
        /\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{4}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g,
        blank,
      )
  );
}

function scan(s: string, nonzero: boolean): { interval: CountInterval; flags: FoiFlag[] }[] | 'invalid' {
  const taken: [number, number][] = [];
  const found: { interval: CountInterval; flags: FoiFlag[] }[] = [];
  for (const [re, code] of RULES) {
    for (const m of s.matchAll(re)) {
      const [from, to] = [m.index, m.index + m[0].length];
      if (taken.some(([a, b]) => from < b && to > a)) continue;
      taken.push([from, to]);
      const nums = m
        .slice(1)
        .filter((g) => g !== undefined)
        .map((g) => readNumber(g));
      if (nums.some((n) => n === null || !Number.isInteger(n))) return 'invalid';
      const c = code((nums[0] ?? 0) as number, (nums[1] ?? 0) as number);
      if (c === null) return 'invalid';
      if (nonzero && c.flags.includes('suppressed') && c.interval.low === 0) c.interval.low = 1;
      found.push(c);
    }
  }
  return found;
}

/**
 * "12" -> [12, 12]; "<5", "fewer than 5" -> [0, 4] suppressed ([1, 4] when the text says non-zero);
 * "1-4" -> [1, 4] suppressed; "<10" -> [0, 9]; "nil", "none", "0" -> [0, 0]; "*" -> what the reply's
 * note says it means; withheld under s40(2) with no bound -> [0, open] suppressed; "not held" -> missing.
 */
export function codeCount(text: string, opts: CountOptions = {}): Coded<CountCode> {
  const raw = String(text ?? '');
  const loc = opts.location ?? {};
  // The separator after a period label ("2021/22 - *", "2022/23: *") is not part of the count.
  const t = normalise(raw)
    .replace(/[.;:]+$/, '')
    .replace(/^[\s:=-]+(?=\D)/, '')
    .trim();
  if (t === '') return fail('count_blank', 'No count given.', loc, raw, 'info');
  const exemptions = exemptionsIn(t);
  if (NOT_HELD.test(t) && !POINTS_ELSEWHERE.test(t))
    return ok({ interval: null, flags: [], exemptions, missingReason: 'not_held' });
  // A dash for a count means what a note of the reply says ('"-" = nil'); without one, nil or not known.
  if (/^[-–—]$/.test(t)) {
    const said = (opts.notes ?? [])
      .map(normalise)
      .map((n) => DASH_NOTE.exec(n)?.[1])
      .find((x) => x !== undefined);
    if (said !== undefined && /^(?:nil|none|zero|0)$/.test(said))
      return ok({ interval: { low: 0, high: 0 }, flags: [], exemptions });
    if (said !== undefined) return ok({ interval: null, flags: [], exemptions, missingReason: 'not_held' });
    return fail(
      'count_unreadable',
      'A dash with no note saying what it means (nil, or not known): a person must say.',
      loc,
      raw,
    );
  }
  const markMatch = /^(\*+|\[c\]|\[x\]|c|x)(?:\s+(.*))?$/.exec(t);
  if (markMatch) return codeMark(markMatch[1]!, markMatch[2], raw, opts, exemptions);
  const nonzero = NONZERO.test(t);
  const found = scan(mask(t).replace(NONZERO, ' '), nonzero);
  if (found === 'invalid')
    return fail('count_unreadable', 'A number here is not a whole count or its range is back to front.', loc, raw);
  const distinct = found.filter((f, i) => found.findIndex((g) => JSON.stringify(g) === JSON.stringify(f)) === i);
  if (distinct.length > 1)
    return fail(
      'count_ambiguous',
      'More than one count in this text; a person must say which answers the question.',
      loc,
      raw,
    );
  if (distinct.length === 1) {
    const c = distinct[0]!;
    // A bound given under s40(2) is a suppressed figure even when worded as "no more than 5".
    let flags: FoiFlag[] =
      exemptions.includes('s40(2)') && !c.flags.includes('suppressed') ? [...c.flags, 'suppressed'] : c.flags;
    // "approximately 2-3 a month": an estimate or a rate, whichever rule read the number.
    if (
      !flags.includes('approximate') &&
      /\b(?:approx\w*|about|around|circa|roughly|estimated?|an estimate|on average)\b|\b(?:a|per) (?:month|week|year)\b/.test(
        t,
      )
    )
      flags = [...flags, 'approximate'];
    return ok({ interval: c.interval, flags, exemptions });
  }
  // A "*" standing alone inside a sentence ("we received * referrals", "in 2022/23, *") is the suppression
  // mark, meaning what a note of the reply says it stands for; without such a note it is [0, open] with a
  // warning (suppression_mark_without_note), which a sentence reader makes only a suggestion.
  if ([...t.matchAll(/(?<![\w*])\*(?![\w*])/g)].length === 1) return codeMark('*', undefined, raw, opts, exemptions);
  if (nonzero) return ok({ interval: { low: 1, high: null }, flags: ['suppressed'], exemptions });
  if (exemptions.includes('s40(2)')) return ok({ interval: { low: 0, high: null }, flags: ['suppressed'], exemptions });
  if (exemptions.some((e) => e === 's12' || e === 's14') || /\brefus/.test(t))
    return ok({ interval: null, flags: [], exemptions, missingReason: 'refused' });
  // A count withheld, redacted or suppressed with no bound is some number the trust did not disclose:
  // [0, open], suppressed (spec/foi.md coding rules), never a missing answer.
  if (/\b(?:withheld|exempt|redacted|not disclosed|suppressed)\b/.test(t))
    return ok({ interval: { low: 0, high: null }, flags: ['suppressed'], exemptions });
  return fail('count_unreadable', 'No count could be read.', loc, raw);
}

/** A suppression mark: its meaning comes from a note of the reply; without one it is only "some number". */
function codeMark(
  mark: string,
  rest: string | undefined,
  raw: string,
  opts: CountOptions,
  exemptions: string[],
): Coded<CountCode> {
  const loc = opts.location ?? {};
  const suppressed = (c: CountCode): CountCode => ({
    ...c,
    flags: [...new Set<FoiFlag>([...c.flags, 'suppressed'])],
    exemptions: [...new Set([...exemptions, ...c.exemptions])].sort(),
  });
  if (rest !== undefined) {
    const inline = codeCount(rest.replace(/^\(|\)$/g, ''), { location: loc });
    if (inline.value?.interval) return ok(suppressed(inline.value));
  }
  // "c" and "[c]" are one mark; a star mark must match its own length, so "**" notes do not explain "*".
  const token = mark.startsWith('*')
    ? new RegExp(`(?<!\\*)\\*{${mark.length}}(?!\\*)`, 'g')
    : /\[\s*[cx]\s*\]|(?<=["'])[cx](?=["'])/g;
  const note = (opts.notes ?? []).map(normalise).find((n) => n.search(token) >= 0);
  if (note !== undefined) {
    const meaning = codeCount(note.replace(token, ' '), { location: loc });
    if (meaning.value?.interval) return ok(suppressed(meaning.value));
  }
  const why: Issue = issue(
    'suppression_mark_without_note',
    'warning',
    `"${mark}" marks a suppressed number but no note of the reply says what it stands for; coded [0, open].`,
    loc,
    { raw },
  );
  return ok({ interval: { low: 0, high: null }, flags: ['suppressed'], exemptions }, [why]);
}

/**
 * A note that says what a suppression form stands for ("where the number is between 1 and 4 it is shown
 * as fewer than 5", "1-4 are shown as <5"): the bound it gives, [1, high], or null when no note says so.
 * The note decides, not the symbol: a "<5" under such a note is [1, 4], not [0, 4].
 */
export function nonzeroNote(texts: readonly string[]): { low: number; high: number } | null {
  for (const t of texts.map(normalise)) {
    if (
      !/\b(?:shown|displayed|reported|recorded|presented|given|replaced|suppressed|represented)\b|<|\bfewer than\b|\bless than\b/.test(
        t,
      )
    )
      continue;
    // "* denotes a figure between 1 and 4": what the mark stands for (codeCount reads the mark by it), not
    // what "<5" or "fewer than 5" elsewhere in the reply mean; those stay [0, 4] (spec/foi.md Coding rules).
    if (/[*†‡]/.test(t) && !/<|\bfewer than\b|\bless than\b/.test(t)) continue;
    const m = /\bbetween\s+1\s+and\s+(\d+)\b|\b1\s*(?:-|–|to)\s*(\d+)\b(?!\s*(?:months?|years?|weeks?))/.exec(t);
    if (!m) continue;
    const high = Number(m[1] ?? m[2]);
    if (high >= 1 && high < 20) return { low: 1, high };
  }
  return null;
}

/** Suppressed [0, high] values raised to [1, high] when a note of the reply says the form means 1..high. */
export function applyNonzeroNote<T extends { interval: CountInterval | null; flags: readonly string[] }>(
  values: T[],
  note: { low: number; high: number } | null,
): T[] {
  if (note === null) return values;
  for (const v of values)
    if (v.interval && v.flags.includes('suppressed') && v.interval.low === 0 && v.interval.high === note.high)
      v.interval = { low: note.low, high: note.high };
  return values;
}

/** How many numbers of a text could be counts once periods, dates, ages, sections and references are blanked out. */
export function countableNumbers(text: string): number {
  const t = mask(normalise(text).replace(/£\s*[\d,]+(?:\.\d+)?|\b\d+(?:\.\d+)?\s*%/g, ' '))
    // One count however it is spelt: "fewer than 5", "5 or fewer", "<5", "1-4", "between 1 and 4".
    .replace(
      /\b(?:fewer|less) than\s+\d+|\b\d+\s+or (?:fewer|less)\b|<\s*\d+|\b\d+\s*(?:-|–|to)\s*\d+\b|\bbetween\s+\d+\s+and\s+\d+|\bunder\s+\d+/g,
      ' 1 ',
    );
  return [...t.matchAll(/\d[\d,]*(?:\.\d+)?/g)].length;
}
