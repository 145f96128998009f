import { normalise } from './coded.ts';

/** Yes/no and text answers of a letter (q1, q4, q5 of wave 2024). */

// Verbs a trust says it does (or does not do) with under-two referrals or a service.
const DOES = '(?:accept|host|commission|have|provide|offer|run|see|take|treat|receive|deliver|work with)';
const NO = new RegExp(
  [
    String.raw`\b(?:do(?:es)? not|don't|doesn't|cannot|can't|will not|won't|did not)\s+(?:currently\s+|routinely\s+|normally\s+)?${DOES}\b`,
    String.raw`\bno such (?:service|team)\b|\bare not (?:accepted|seen)\b|\b(?:is|are) not commissioned\b`,
    // "only accepts referrals for children aged 2 and over", "only sees children from the age of two"
    String.raw`\bonly\s+${DOES}s?\b[^.;]*?\b(?:aged?|from|over|above)\b[^.;]*?\b(?:2|two)\b(?!\s*(?:months?|weeks?))`,
    // "under twos are not seen by our CAMHS", "children under 2 are not accepted"
    String.raw`\bunder[- ]?(?:2|two)s?\b[^.;]*\b(?:are|is) not\b`,
    String.raw`\bno (?:service|provision|pathway) for (?:children|infants|babies)\b`,
    // A joint reply for two trusts: "Neither Trust hosts a specialist team", "neither of the Trusts accepts".
    String.raw`\bneither\s+(?:of\s+(?:the|our)\s+)?(?:(?:trusts?|organisations?|service)\s+)?(?:currently\s+)?${DOES}s?\b`,
  ].join('|'),
);
const YES = new RegExp(
  String.raw`\b(?:we|the trust|trust|(?:both|each of the|all)\s+(?:trusts|organisations))\s+(?:do(?:es)?\s+)?(?:currently\s+)?(?:accepts?|hosts?|commissions?|(?:has|have)\s+(?:a|an|its own|our own)\b|provides?|offers?|runs?)\b|\bare accepted\b` +
    // "Camden and Islington hosts the Camden Parent Infant Psychology Service" (a joint reply names the trust).
    String.raw`|\b(?:hosts|commissions)\s+(?:the|a|an)\b[^.;]*\b(?:service|team)\b` +
    // "Oxford Health accepts referrals ...", "Mersey Care provides ...": the trust by its name.
    String.raw`|\b(?:health|healthcare|nhs|partnership|care)\s+(?:does\s+)?(?:currently\s+)?(?:accepts|hosts|commissions|provides|offers|runs)\b`,
);

/** Yes, no, or null when the answer says neither. A leading "Yes"/"No" of any sentence wins over wording. */
export function yesNo(text: string): boolean | null {
  const sentences = normalise(text).split(/(?<=[.;!?])\s+/);
  for (const s of sentences) {
    // (A quoted answer too: '“Yes” – NELFT’s service accepts ...'.)
    const m = /^[\s\-–—:•*"“”'‘’]*(?:(?:response|answer)\s*:?\s*)?(yes|no)\b/.exec(s);
    if (m) return m[1] === 'yes';
  }
  const t = normalise(text);
  // A label then its answer, as a form or a flattened table gives it: "Accept referrals under two: Yes",
  // "Specialist parent-infant relationship team No.", "...: Yes (CAMHS and the perinatal service)." (a short
  // answer only: a long one is read by its words).
  const last = /(?:[:\-–—]|\s)\s*(yes|no)\b\s*[.,;]?\s*(?:\([^()]*\))?\s*\.?\s*$/.exec(t);
  if (last && t.length <= 120) return last[1] === 'yes';
  if (NO.test(t)) return false;
  if (YES.test(t)) return true;
  return null;
}

/** A service's name: after "called"/"known as", else a run of capitalised words ending in Service or Team. */
export function serviceName(text: string): string | undefined {
  const called = /\b(?:called|named|known as)\s+(?:the\s+)?["“']?([^"”'.,;()]+)/i.exec(text);
  if (called) return called[1]!.trim();
  const titled = /\b((?:[A-Z][\w'&-]*\s+){1,8}(?:Service|Team|Project|Partnership|Pathway))\b/.exec(text);
  return titled ? titled[1]!.replace(/^(?:Yes|No|The|Our)\s+/, '').trim() : undefined;
}

const KNOWN = [
  ['CAMHS', /\bcamhs\b|child and adolescent mental health/],
  ['perinatal mental health', /\bperinatal\b/],
  ['parent-infant', /\bparent[- ]infant\b/],
  ['infant mental health', /\binfant mental health\b/],
  ['learning disability', /\blearning disabilit/],
  ['adult mental health', /\badult mental health\b/],
  ['paediatric psychology', /\bpaediatric psycholog/],
] as const;

/** Kinds of service a text names, in a fixed order so the footnote reads the same for every reply. */
export function servicesNamed(text: string): string[] {
  const t = normalise(text);
  return KNOWN.filter(([, re]) => re.test(t)).map(([name]) => name);
}

const UNDER_TWO =
  /\bunder[- ]?(?:2|two)s?\b|\b0\s*[-–]\s*23 months\b|\baged (?:under|below) (?:2|two)\b|\binfants?\b|\bbabies\b/;
const SERVICE_SENT = [
  // "referrals go to CAMHS and perinatal services", "are passed to our perinatal team"
  /\breferrals?\s+(?:are\s+|were\s+|is\s+)?(?:go|goes|went|sent|passed|directed|routed|forwarded)\s+(?:on\s+)?to\s+([^.;]+)/i,
  // "these referrals were seen by CAMHS", "are accepted into the perinatal service"
  /\breferrals?\b[^.;]*?\b(?:are|were|is|was)\s+(?:seen|received|managed|treated|accepted|assessed)\s+(?:by|into|within|in)\s+([^.;]+)/i,
];

/** A question's answer stated in a sentence of an unnumbered letter (what statedAnswers reads). */
export interface StatedAnswer {
  questionId: string;
  yesNo: boolean | null;
  text: string;
  name?: string;
  /** Index of the sentence's first line in the lines given, and of its last. */
  from: number;
  to: number;
}

/**
 * Yes/no and text answers a letter states in its own words, with no question numbers (spec/foi.md "What
 * real replies do": a reply in prose): "The Trust does accept referrals of children under two." (the
 * yes/no question about under-two referrals), "We do not host a specialist parent-infant team" (the
 * parent-infant service question, with its name when one is given), "referrals go to CAMHS and perinatal
 * services" (which services). A sentence is read only when it names what the question asks (referrals
 * and under-twos; a parent-infant team or service; a service by kind) and says yes or no in words the
 * yes/no reader knows; anything else is left for a person. Questions in `answered` are not read again.
 */
export function statedAnswers(
  texts: readonly string[],
  questions: readonly { id: string; answerType: string }[],
  answered: ReadonlySet<string>,
): StatedAnswer[] {
  const out: StatedAnswer[] = [];
  // Sentences across line breaks: the lines joined, each sentence's first and last line kept.
  const starts: number[] = [];
  let joined = '';
  for (const t of texts) {
    starts.push(joined.length);
    joined += `${t.trim()} `;
  }
  const lineAt = (i: number) => {
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1]! <= i) k += 1;
    return k;
  };
  const sentences: { text: string; from: number; to: number }[] = [];
  const re = /[^.!?]+(?:[.!?]+|$)/g;
  for (const m of joined.matchAll(re)) {
    if (m[0].trim() === '') continue;
    sentences.push({ text: m[0].trim(), from: lineAt(m.index), to: lineAt(m.index + m[0].trimEnd().length - 1) });
  }
  const take = (id: string, found: Omit<StatedAnswer, 'questionId'> | undefined) => {
    if (found) out.push({ questionId: id, ...found });
  };
  // "yes we accept under-2s (Q1).", "No PIRT (Q4).", "Services: CAMHS, perinatal (Q5).": a sentence that names
  // the question it answers in brackets at its end is that question's answer, whatever its words.
  const tagged = new Map<number, (typeof sentences)[number]>();
  for (const x of sentences) {
    const m = /\(\s*(?:q|question)\s*(\d{1,2})\s*\)\s*[.;]?$/i.exec(x.text);
    if (m && !tagged.has(Number(m[1]))) tagged.set(Number(m[1]), { ...x, text: x.text.slice(0, m.index).trim() });
  }
  questions.forEach((q, i) => {
    const x = tagged.get(i + 1);
    if (x === undefined || answered.has(q.id) || q.answerType === 'count_per_period') return;
    const answer = x.text.replace(
      /^(?:(?:hello|hi|dear [^,]*),?\s*)?(?:in answer to your questions?\s*[:,-]\s*)?/i,
      '',
    );
    if (q.answerType === 'text_list') {
      take(q.id, { yesNo: null, text: answer.replace(/^services?\s*:\s*/i, ''), from: x.from, to: x.to });
      return;
    }
    const yn = yesNo(answer);
    if (yn === null) return;
    const name = q.answerType === 'yes_no_text' && yn ? serviceName(answer) : undefined;
    take(q.id, { yesNo: yn, text: answer, from: x.from, to: x.to, ...(name === undefined ? {} : { name }) });
  });
  for (const q of questions) {
    if (answered.has(q.id) || out.some((a) => a.questionId === q.id)) continue;
    if (q.answerType === 'yes_no') {
      const s = sentences.find((x) => {
        const t = normalise(x.text);
        return /\breferr/.test(t) && UNDER_TWO.test(t) && /\b(?:accept|take|see)s?\b/.test(t);
      });
      const yn = s && (NO.test(normalise(s.text)) ? false : YES.test(normalise(s.text)) ? true : null);
      if (s && yn !== null && yn !== undefined) take(q.id, { yesNo: yn, text: s.text, from: s.from, to: s.to });
    } else if (q.answerType === 'yes_no_text') {
      const s = sentences.find((x) =>
        /\bparent[- ]infant\b[^.;]*\b(?:team|service|project|programme)\b/.test(normalise(x.text)),
      );
      if (!s) continue;
      const t = normalise(s.text);
      const yn = NO.test(t) ? false : YES.test(t) || /\b(?:is called|is named|known as)\b/.test(t) ? true : null;
      if (yn === null) continue;
      const name = yn ? serviceName(s.text) : undefined;
      take(q.id, { yesNo: yn, text: s.text, from: s.from, to: s.to, ...(name === undefined ? {} : { name }) });
    } else if (q.answerType === 'text_list') {
      for (const s of sentences) {
        const m = SERVICE_SENT.map((r) => r.exec(s.text)).find((x) => x !== null);
        if (m && servicesNamed(m[1]!).length > 0) {
          take(q.id, { yesNo: null, text: m[1]!.trim(), from: s.from, to: s.to });
          break;
        }
      }
    }
  }
  return out;
}
