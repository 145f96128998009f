/**
 * "Possibly the same team": why two teams of the register may be one team written two ways
 * (questionnaire.md "Resubmissions and identity": teams keep a stable identity across waves even when
 * renamed or re-hosted; the match is recorded with how it was made). Pure: the register is read by
 * team-candidates.ts. Nothing here merges anything; a person confirms a pair with `census teams alias`.
 *
 * 2019 workbooks were written by hand, so the same team arrives as "Growing Together St. Helens
 * (pilot)", "Wolverhampton PIP" for "Wolverhampton Parent Infant Partnership", "Tiny Steps & Co" for
 * "Tiny Steps and Co", or with its host written another way ("NHS FT" for "NHS Foundation Trust").
 * The reasons a pair is listed, strongest first:
 *   - same_name: the names are equal once case, punctuation, "&"/"and", "St"/"Saint", a "(pilot)"
 *     mark and abbreviations spelled by the other name's initials ("PIP" = "Parent Infant
 *     Partnership") are set aside;
 *   - similar_name: most of the words are shared (Dice coefficient of the word sets >= 0.6);
 *   - same_host / similar_host: the host organisations, normalised the same way ("NHS FT" = "NHS
 *     Foundation Trust");
 *   - same_area: a local authority area named in both teams' names or areas covered.
 * A pair is listed when the names are the same, or similar with the same host or area, or the host
 * and the area are both the same (a renamed team: "Halton Parent Infant Project" and "Halton
 * Parent-Infant Relationship Service"). Two teams with a loaded return in the same wave, or in
 * different nations, are never listed: one team sends one return a wave.
 */

export interface TeamFacts {
  id: string;
  name: string;
  host: string | null;
  /** Waves with a loaded return. */
  waves: readonly number[];
  /** Nations the team's returns give (normally one). */
  nations: readonly string[];
  /** Normalised local authority area names found in its names or areas covered. */
  areas: readonly string[];
}

export type CandidateReason = 'same_name' | 'similar_name' | 'same_host' | 'similar_host' | 'same_area';

export interface PairVerdict {
  reasons: CandidateReason[];
  /** 0..1, for ordering: the name's word overlap plus the host and area evidence. */
  score: number;
  /** Words shared by the names (after normalising), for the similar_name reason. */
  nameSimilarity: number;
  /** The areas both teams name. */
  sharedAreas: string[];
}

const SMALL_WORDS = new Set(['and', 'of', 'the', 'for', 'in', 'at']);

/** Lower case, "&"/"+" as "and", "Saint" as "st", punctuation and a "(pilot)" mark removed; the words. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[&+]/g, ' and ')
    .replace(/\(\s*(pilot|pilot site|pilot project|pilot service)\s*\)/g, ' ')
    .replace(/\bpilot\b/g, ' ')
    .replace(/\bsaint\b/g, 'st')
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

/**
 * Host organisation words: as nameWords, with the NHS shorthands written out ("NHS FT", "FT",
 * "UHB") so "X NHS FT" and "X NHS Foundation Trust" are the same host.
 */
function hostWords(host: string): string[] {
  const out: string[] = [];
  for (const w of nameWords(host)) {
    if (w === 'ft') out.push('foundation', 'trust');
    else if (w === 'uhb') out.push('university', 'health', 'board');
    else if (w === 'hsct') out.push('health', 'and', 'social', 'care', 'trust');
    else if (w === 'cc') out.push('county', 'council');
    else if (w === 'mbc') out.push('metropolitan', 'borough', 'council');
    else out.push(w);
  }
  return out;
}

/**
 * Reads a short word of `a` that `b` does not have as an abbreviation of a run of `b`'s words when
 * their initials spell it ("pip" for "parent infant partnership"; small words such as "and" may be
 * left out of the initials): `a` is returned with the run written out. Only words of 2 to 6 letters.
 */
export function expandAbbreviations(a: readonly string[], b: readonly string[]): string[] {
  const inB = new Set(b);
  const out: string[] = [];
  for (const w of a) {
    if (inB.has(w) || w.length < 2 || w.length > 6 || !/^[a-z]+$/.test(w)) {
      out.push(w);
      continue;
    }
    const run = spelledBy(w, b);
    if (run) out.push(...run);
    else out.push(w);
  }
  return out;
}

function spelledBy(abbr: string, words: readonly string[]): string[] | null {
  for (let start = 0; start < words.length; start++) {
    // Initials of every word, or of the content words only ("PAIRS": Parent And Infant Relationship Service).
    for (const skipSmall of [false, true]) {
      let i = 0;
      let j = start;
      const run: string[] = [];
      while (j < words.length && i < abbr.length) {
        const w = words[j]!;
        if (skipSmall && SMALL_WORDS.has(w) && run.length > 0) {
          run.push(w);
          j++;
          continue;
        }
        if (w[0] !== abbr[i]) break;
        run.push(w);
        i++;
        j++;
      }
      if (i === abbr.length && run.length >= 2) return run;
    }
  }
  return null;
}

/** Dice coefficient of two word sets, small words left out. */
function wordDice(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a.filter((w) => !SMALL_WORDS.has(w)));
  const sb = new Set(b.filter((w) => !SMALL_WORDS.has(w)));
  if (sa.size === 0 && sb.size === 0) return 1;
  let both = 0;
  for (const w of sa) if (sb.has(w)) both++;
  return (2 * both) / (sa.size + sb.size);
}

/**
 * A name that is the other's short form given in brackets: "OXPIP" and "Oxford Parent Infant Project
 * (OXPIP)" (a team that now goes by its acronym). Only a bracketed part of 3 or more letters, never
 * "(pilot)".
 */
function shortFormOf(short: string, long: string): boolean {
  const s = nameWords(short).join(' ');
  if (s.replace(/ /g, '').length < 3) return false;
  return [...long.matchAll(/\(([^()]+)\)/g)].some((m) => nameWords(m[1]!).join(' ') === s);
}

/** The two lists' words with each one's abbreviations written out from the other. */
function aligned(a: readonly string[], b: readonly string[]): [string[], string[]] {
  return [expandAbbreviations(a, b), expandAbbreviations(b, a)];
}

const SIMILAR_NAME = 0.6;
const SIMILAR_HOST = 0.8;

/** Why two teams may be one, or null when they are not a candidate pair. */
export function comparePair(a: TeamFacts, b: TeamFacts): PairVerdict | null {
  if (a.id === b.id) return null;
  if (a.waves.some((w) => b.waves.includes(w))) return null;
  if (a.nations.length && b.nations.length && !a.nations.some((n) => b.nations.includes(n))) return null;
  const [na, nb] = aligned(nameWords(a.name), nameWords(b.name));
  const sameName =
    (na.length > 0 && na.join(' ') === nb.join(' ')) || shortFormOf(a.name, b.name) || shortFormOf(b.name, a.name);
  const nameSimilarity = wordDice(na, nb);
  let host: 'same' | 'similar' | null = null;
  if (a.host && b.host) {
    const [ha, hb] = aligned(hostWords(a.host), hostWords(b.host));
    if (ha.join(' ') === hb.join(' ')) host = 'same';
    else if (wordDice(ha, hb) >= SIMILAR_HOST) host = 'similar';
  }
  const sharedAreas = a.areas.filter((x) => b.areas.includes(x));
  const reasons: CandidateReason[] = [];
  if (sameName) reasons.push('same_name');
  else if (nameSimilarity >= SIMILAR_NAME) reasons.push('similar_name');
  if (host === 'same') reasons.push('same_host');
  if (host === 'similar') reasons.push('similar_host');
  if (sharedAreas.length) reasons.push('same_area');
  const listed =
    sameName ||
    (nameSimilarity >= SIMILAR_NAME && (host !== null || sharedAreas.length > 0)) ||
    (host !== null && sharedAreas.length > 0);
  if (!listed) return null;
  const score =
    Math.round(
      (0.6 * (sameName ? 1 : nameSimilarity) +
        (host === 'same' ? 0.25 : host === 'similar' ? 0.15 : 0) +
        (sharedAreas.length ? 0.15 : 0)) *
        100,
    ) / 100;
  return { reasons, score, nameSimilarity: Math.round(nameSimilarity * 100) / 100, sharedAreas };
}

/** A reason as a person reads it. */
export function reasonText(r: CandidateReason, v: PairVerdict): string {
  switch (r) {
    case 'same_name':
      return 'same name once punctuation, "&"/"and", "(pilot)" and abbreviations are set aside';
    case 'similar_name':
      return `similar name (${Math.round(v.nameSimilarity * 100)}% of words shared)`;
    case 'same_host':
      return 'same host';
    case 'similar_host':
      return 'host written differently';
    case 'same_area':
      return `same area (${v.sharedAreas.join(', ')})`;
  }
}

/**
 * Local authority names as a team name may give them: the full name, and for "Bournemouth,
 * Christchurch and Poole", "Glasgow City", "County Durham", "Bristol, City of" the places it is
 * made of. Normalised as nameWords, joined by spaces.
 */
export function areaNameForms(name: string): string[] {
  const forms = new Set<string>([nameWords(name).join(' ')]);
  for (const part of name.split(/,|\band\b|&/i)) {
    const words = nameWords(part).filter((w) => !['city', 'county', 'of', 'the', 'borough'].includes(w));
    if (words.length) forms.add(words.join(' '));
  }
  return [...forms].filter((f) => f.length >= 3);
}

/**
 * The areas a name mentions: each area whose name forms appear as whole words in it. `areas` maps a
 * name form to the area it stands for.
 */
export function areasIn(text: string, areas: ReadonlyMap<string, string>): string[] {
  const hay = ` ${nameWords(text).join(' ')} `;
  const hits = [...areas].filter(([form]) => hay.includes(` ${form} `));
  // "North Lincolnshire" names North Lincolnshire, not Lincolnshire too: a form inside a longer one found is dropped.
  const kept = hits.filter(([form]) => !hits.some(([other]) => other !== form && ` ${other} `.includes(` ${form} `)));
  return [...new Set(kept.map(([, area]) => area))].sort();
}
