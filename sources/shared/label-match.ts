import { matchKey } from '../../schemas/answers/normalise-text.ts';

/**
 * Ties a label found in a return (a 2019 hand-workbook row, a survey-export header, a template row
 * whose id column was deleted) to a question id.
 *
 * Score, on normalised labels: 1 for an exact match; otherwise 0.7 x Dice coefficient of the
 * content-word sets (stop words dropped, words lightly stemmed) + 0.3 x Levenshtein ratio of the
 * whole normalised strings. Word sets carry the meaning and shrug off reordering ("Team name" vs
 * "Name of your team"); the character ratio catches typos and spelling variants that change a word.
 * Character similarity alone is dangerous here: "Reporting period start" and "...end" are 80% alike.
 * A match must reach the threshold (default 0.75) and beat the best other question by a margin
 * (default 0.05): two near-equal candidates are reported as no match rather than guessed.
 */
export interface LabelledQuestion {
  id: string;
  label: string;
  aliases?: readonly string[];
}

export interface MatchOptions {
  threshold?: number;
  margin?: number;
}

const DEFAULT_THRESHOLD = 0.75;
const DEFAULT_MARGIN = 0.05;

// "Q12.", "3)", "4a." numbering that hand workbooks put in front of labels.
const NUMBERING = /^\s*(?:q(?:uestion)?\s*)?\d+[a-z]?\s*[.):-]\s+/i;

// Returns repeat the same labels file after file: normalising is most of a reader's own work.
const normalised = new Map<string, string>();
const MEMO_LIMIT = 20_000;

/** Case, punctuation, dashes, quotes, spacing and leading question numbers removed: "team s name" stays comparable. */
export function normaliseLabel(s: string): string {
  const hit = normalised.get(s);
  if (hit !== undefined) return hit;
  const out = matchKey(s.replace(NUMBERING, ''));
  if (s.length <= 500) {
    if (normalised.size >= MEMO_LIMIT) normalised.clear();
    normalised.set(s, out);
  }
  return out;
}

// "your"/"you" stay: they are what tells "Your name" from "Name of your team".
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'for',
  'to',
  'in',
  'on',
  'by',
  'with',
  'and',
  'or',
  'do',
  'does',
  'is',
  'are',
  'was',
  'were',
  'if',
  'any',
  'please',
  'this',
  'that',
  // question words and fillers of hand-typed labels ("How many families do you support a year?")
  'how',
  'what',
  'which',
  'who',
  'when',
  'where',
  'did',
  'many',
  'much',
  'number',
  'approximately',
  'each',
  'per',
  'used',
  'eg',
  'ie',
  'etc',
]);

/**
 * Abbreviations typed in hand-made labels, expanded before normalising (the dot matters: "No." is a
 * number, "No" an answer). Applied to both sides, so "WTE" and "whole-time equivalent" meet.
 */
const ABBREVIATIONS: [RegExp, string][] = [
  [/\bapprox\.?(?=\s|$)/gi, 'approximately'],
  [/\b(?:no|nr|num)\.(?=\s|$)/gi, 'number'],
  [/\bno of\b/gi, 'number of'],
  [/\bwte\b/gi, 'whole time equivalent'],
  [/\bfte\b/gi, 'whole time equivalent'],
  [/\bNI\b/g, 'Northern Ireland'],
  [/\byrs?\b\.?/gi, 'year'],
  [/&/g, ' and '],
];

function expandAbbreviations(s: string): string {
  let out = s;
  for (const [re, to] of ABBREVIATIONS) out = out.replace(re, to);
  return out;
}

/**
 * Words that mean the same in these questionnaires, after stemming, to one canonical word: a team is
 * also called a service; a team "began", was "established", "first" saw families; families are
 * "seen" or "supported".
 */
const SYNONYMS: Record<string, string> = {
  servic: 'team',
  service: 'team',
  began: 'start',
  begin: 'start',
  establish: 'start',
  first: 'start',
  seeing: 'support',
  seen: 'support',
  saw: 'support',
  see: 'support',
};

/**
 * The forms of a label compared: as typed, and without what it holds in parentheses (the answer
 * options "(England / Scotland / Wales / NI)", "(Y/N)", "(e.g. NHS trust, charity)"), both with
 * abbreviations expanded.
 */
function labelForms(label: string): string[] {
  const expanded = expandAbbreviations(label);
  const bare = expanded
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const forms = [normaliseLabel(expanded)];
  const nb = normaliseLabel(bare);
  if (nb !== '' && nb !== forms[0]) forms.push(nb);
  return forms;
}

/** A crude suffix stripper, enough for "consulted"/"consultation", "supervised"/"supervision", "organization"/"organisation". */
function stem(w: string): string {
  const base = w.replace(/iz/g, 'is').replace(/ies$/, 'y');
  const cut = /^(.{4,}?)(?:ations?|ions?|ings?|ed|es|s|e)$/.exec(base);
  return cut ? cut[1]! : base;
}

function words(normalised: string): Set<string> {
  // Numbers ("2019", "12 months") and single letters ("source(s)", "Y/N") carry no meaning of their own.
  const all = normalised.split(' ').filter((w) => w.length > 1 && !/^\d+$/.test(w));
  const content = all.filter((w) => !STOP_WORDS.has(w));
  // A label of stop words only ("Your team") keeps them, or it would match nothing.
  return new Set(
    (content.length > 0 ? content : all).map((w) => {
      const st = stem(w);
      return SYNONYMS[w] ?? SYNONYMS[st] ?? st;
    }),
  );
}

/** Share of the candidate's words found in the label: 1 when a reworded label holds the whole candidate. */
function containment(label: Set<string>, candidate: Set<string>): number {
  if (candidate.size < 2) return 0;
  let common = 0;
  for (const w of candidate) if (label.has(w)) common += 1;
  return common / candidate.size;
}

/** What a label holding every word of a candidate (of two or more words) scores, whatever else it says. */
const CONTAINED_SCORE = 0.9;
/** What a label of three or more words scores when a candidate holds every one of them. */
const HELD_SCORE = 0.84;
/** What a label with exactly a candidate's words (not its text) scores. */
const SAME_WORDS_SCORE = 0.97;

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const w of a) if (b.has(w)) common += 1;
  return (2 * common) / (a.size + b.size);
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Similarity of two labels in [0, 1]; 1 only when they normalise to the same text. */
export function labelSimilarity(a: string, b: string): number {
  const na = normaliseLabel(a);
  const nb = normaliseLabel(b);
  if (na === '' || nb === '') return 0;
  if (na === nb) return 1;
  let best = 0;
  for (const fa of new Set([na, ...labelForms(a)]))
    for (const fb of new Set([nb, ...labelForms(b)])) best = Math.max(best, formScore(fa, words(fa), fb, words(fb)));
  return best;
}

/**
 * Similarity of two normalised label forms below 1: 0.7 x Dice of the word sets + 0.3 x Levenshtein
 * ratio; or, when higher, the same words in another order or form (three or more words:
 * "Year the team started seeing families"), or one label holding every word of the other
 * ("Approx. number of families supported each year" holds "families supported").
 */
function formScore(na: string, wa: Set<string>, nb: string, wb: Set<string>): number {
  if (na === '' || nb === '') return 0;
  return Math.min(0.99, Math.max(wordScore(wa, wb), fuzzyScore(na, wa, nb, wb)));
}

function wordScore(wa: Set<string>, wb: Set<string>): number {
  const d = dice(wa, wb);
  if (d === 1 && wa.size >= 3) return SAME_WORDS_SCORE;
  // A label held whole by a longer candidate scores below a label holding a whole candidate, so that
  // "Families supported per year" goes to "Families supported", not to "Year the team first saw families".
  return Math.max(CONTAINED_SCORE * containment(wa, wb), wa.size >= 3 ? HELD_SCORE * containment(wb, wa) : 0);
}

function fuzzyScore(na: string, wa: Set<string>, nb: string, wb: Set<string>): number {
  return 0.7 * dice(wa, wb) + 0.3 * (1 - levenshtein(na, nb) / Math.max(na.length, nb.length));
}

interface PreparedCandidate {
  id: string;
  norm: string;
  words: Set<string>;
  /** The label as written (normalised only), which alone can score 1. */
  exact: boolean;
}
interface Prepared {
  candidates: PreparedCandidate[];
  results: Map<string, { id: string; score: number } | null>;
}

// Candidates normalised once per question list, and each label's result kept: a reader matches
// many labels against one list, and a parse worker sees the same list (as a fresh copy) file after
// file, so lists are also found by their content.
const byArray = new WeakMap<readonly LabelledQuestion[], Prepared>();
const byContent = new Map<string, Prepared>();

function prepare(questions: readonly LabelledQuestion[]): Prepared {
  let p = byArray.get(questions);
  if (p) return p;
  const key = JSON.stringify(questions.map((q) => [q.id, q.label, q.aliases ?? []]));
  p = byContent.get(key);
  if (!p) {
    p = {
      candidates: questions.flatMap((q) =>
        [q.label, ...(q.aliases ?? [])].flatMap((c) => {
          const exact = normaliseLabel(c);
          const forms = [...new Set([exact, ...labelForms(c)])];
          return forms.map((norm) => ({ id: q.id, norm, words: words(norm), exact: norm === exact }));
        }),
      ),
      results: new Map(),
    };
    if (byContent.size >= 16) byContent.clear();
    byContent.set(key, p);
  }
  byArray.set(questions, p);
  return p;
}

/**
 * The question whose label or alias best matches, or null when none is close enough or two tie.
 * Scores are labelSimilarity's; a candidate whose score cannot reach threshold - margin (bounded
 * from its word overlap and length difference) is not scored in full, as it can neither win nor
 * tie: the result is the same as scoring every candidate, at a fraction of the Levenshtein work.
 */
export function matchLabel(
  label: string,
  questions: readonly LabelledQuestion[],
  opts: MatchOptions = {},
): { id: string; score: number } | null {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const margin = opts.margin ?? DEFAULT_MARGIN;
  const na = normaliseLabel(label);
  if (na === '') return null;
  const prepared = prepare(questions);
  const memoKey = `${threshold}\u0000${margin}\u0000${label}`;
  const known = prepared.results.get(memoKey);
  if (known !== undefined) return known === null ? null : { ...known };
  // The label as typed, then with its abbreviations expanded and without its parentheses.
  const forms = [{ norm: na, asTyped: true }, ...labelForms(label).map((norm) => ({ norm, asTyped: false }))];
  const result = bestMatch(forms, prepared.candidates, threshold, margin);
  if (label.length <= 500) {
    if (prepared.results.size >= MEMO_LIMIT) prepared.results.clear();
    prepared.results.set(memoKey, result);
  }
  return result === null ? null : { ...result };
}

function bestMatch(
  forms: readonly { norm: string; asTyped: boolean }[],
  candidates: readonly PreparedCandidate[],
  threshold: number,
  margin: number,
): { id: string; score: number } | null {
  const floor = threshold - margin;
  const best = new Map<string, number>();
  for (const f of forms) {
    const na = f.norm;
    const wa = words(na);
    for (const c of candidates) {
      let s: number;
      if (c.norm === '') s = 0;
      else if (c.norm === na && f.asTyped && c.exact) s = 1;
      else if (c.norm === na) s = 0.99;
      else {
        const w = wordScore(wa, c.words);
        const longer = Math.max(na.length, c.norm.length);
        const levBound = 1 - Math.abs(na.length - c.norm.length) / longer;
        // A candidate that cannot reach threshold - margin can neither win nor tie: not scored in full.
        if (0.7 * dice(wa, c.words) + 0.3 * levBound < floor && w < floor) continue;
        s = Math.min(0.99, Math.max(w, fuzzyScore(na, wa, c.norm, c.words)));
      }
      if (s > (best.get(c.id) ?? -1)) best.set(c.id, s);
    }
  }
  const ranked = [...best.entries()].sort((x, y) => y[1] - x[1]);
  const [first, second] = ranked;
  if (!first || first[1] < threshold) return null;
  // An exact match wins over any near one, but two exact matches are as ambiguous as two near ones.
  if (second && (first[1] === 1 ? second[1] === 1 : first[1] - second[1] < margin)) return null;
  return { id: first[0], score: Math.round(first[1] * 1000) / 1000 };
}

export interface OptionedQuestion extends LabelledQuestion {
  options?: readonly { code: string; label: string; synonyms?: readonly string[] }[];
}

/**
 * A per-option header "Question label: Option" (survey export columns, template option rows). Option
 * labels rarely hold ": " but question labels might, so split points are tried from the last one
 * back, and the first whose left part is exactly a known question label (or alias) wins; failing
 * that, the split whose left part matches best by fuzzy score (the later one on a tie). `optionCode`
 * is null when the option text names none of that question's options (the caller reports it).
 */
export function matchOptionHeader(
  header: string,
  questions: readonly OptionedQuestion[],
  opts: MatchOptions = {},
): { id: string; score: number; option: string; optionCode: string | null } | null {
  const cuts: number[] = [];
  for (let i = header.indexOf(': '); i >= 0; i = header.indexOf(': ', i + 1)) cuts.push(i);
  let best: { id: string; score: number; option: string } | null = null;
  for (const cut of cuts.reverse()) {
    const option = header.slice(cut + 2).trim();
    const m = option === '' ? null : matchLabel(header.slice(0, cut), questions, opts);
    if (m && (best === null || m.score > best.score)) best = { ...m, option };
    if (best?.score === 1) break;
  }
  if (best === null) return null;
  const q = questions.find((x) => x.id === best.id);
  const key = normaliseLabel(best.option);
  const hit = q?.options?.find((o) => [o.label, o.code, ...(o.synonyms ?? [])].some((s) => normaliseLabel(s) === key));
  return { ...best, optionCode: hit?.code ?? null };
}
