import { normalise } from './coded.ts';
import { findPeriods } from './period.ts';
import type { Line } from './prose.ts';

/**
 * A letter's lines as the letter reader (letter.ts) reads them: a correction that quotes the figure it
 * corrects reads as the corrected figure where it stands (on one line or over several), and a page's
 * footer ("SLaM FOI 2024-0455 Page 2 of 2") or page number is no count. Each changed line keeps its quote.
 */
export function preparedLines(given: readonly Line[]): Line[] {
  return correctedAcrossLines(given).map(withoutPageNumber).map(correctedFigure);
}

// "We wrote 31 referrals for 2023/24 under question 2. This was a typing error: the correct figure is 13."
const CORRECTED = new RegExp(
  String.raw`\bwe (?:wrote|gave|stated|said|reported|sent)\s+([^\s.,;]+)\s+(referrals?\b[^.]*?)\.\s*(?:this|that|it)\s+(?:was|is)\s+(?:a|an)\s+(?:typing |typographical |clerical |transcription )?(?:error|mistake)\b[^.:]*[:.]?\s*the correct(?:ed)? (?:figure|number|count|total)\s+(?:is|should (?:be|read|have been))\s+([^\s.,;]+)\.?`,
  'i',
);

/**
 * A correction that quotes the figure it corrects: the line as the corrected answer alone ("Question 2:
 * 13 referrals for 2023/24."), so the wrong figure is never read and the right one is read as a count.
 */
// "Referrals received in 2024/25: we said 31; the correct figure is 13.": the corrected figure in place.
const SAID_THEN_CORRECT = new RegExp(
  String.raw`\bwe (?:wrote|gave|stated|said|reported|sent)\s+([^\s.,;]+)\s*[;,:]?\s*(?:but\s+|however,?\s+)?(?:the correct(?:ed)? (?:figure|number|count|total)\s+(?:is|should (?:be|read|have been))|(?:it|this) should (?:be|read|have been))\s+([^\s,;]+?)(?=[.,;]?(?:\s|$))`,
  'i',
);

// "... in 2022/23 should read 21, not 19.", "the figure of 19 should read 21": the corrected figure in place.
const SHOULD_READ = [
  /\bshould (?:read|be|have been)\s+([^\s,;]+?),?\s+(?:and\s+)?not\s+[^\s,;]+?(?=[.,;]?(?:\s|$))/i,
  /\b(?:figure|number|count|total) of\s+[^\s,;]+\s+(?:should|ought to) (?:read|be|have been)\s+([^\s,;]+?)(?=[.,;]?(?:\s|$))/i,
];

function correctedFigure(l: Line): Line {
  // The matched words replaced by what they say the figure is; the quote stays the line as written.
  const put = (m: RegExpExecArray, by: string): Line => ({
    ...l,
    text: l.text.slice(0, m.index) + by + l.text.slice(m.index + m[0].length),
    quote: l.quote ?? l.text,
  });
  const said = SAID_THEN_CORRECT.exec(l.text);
  if (said) return put(said, said[2]!);
  for (const re of SHOULD_READ) {
    const m = re.exec(l.text);
    if (m) return put(m, ` ${m[1]!}`);
  }
  const m = CORRECTED.exec(l.text);
  if (!m) return l;
  const q = /\bquestion\s*(\d{1,2})\b/i.exec(m[2]!);
  const what = m[2]!.replace(/\s*\b(?:under|in|for|to)\s+question\s*\d{1,2}\b/i, '').trim();
  return put(m, `${q ? `Question ${q[1]}: ` : ''}${m[3]} ${what}.`);
}

// "In our response of 8 April we stated that the Trust received 31 referrals / of children aged 0-23 months in
// 2022-23. This was a transcription error: the / correct figure is 13.": a correction written over lines.
const STATED_IN_ERROR =
  /\bwe (?:wrote|gave|stated|said|reported|sent|told you)(?: that)?\b[^.]*?(?<![\w/.-])(\d{1,3}(?:,\d{3})*)(?![\w/-])[^.]*\.\s*(?:this|that|it)\s+(?:was|is)\s+(?:a|an)\s+[^.:]*?\b(?:error|mistake)\b[^.:]*[:.]?\s*the\s+correct(?:ed)?\s+(?:figure|number|count|total)\s+(?:is|should\s+(?:be|read|have\s+been))\s+(\d{1,3}(?:,\d{3})*)(?![\w/])/dgi;

/**
 * A correction that names the wrong figure in one sentence and the right one in the next, over several
 * lines: the wrong figure is read as the right one where it stands (its period and question stay), and the
 * right one is not read a second time. Each changed line quotes itself as written.
 */
function correctedAcrossLines(lines: readonly Line[]): Line[] {
  const texts = lines.map((l) => l.text);
  const joined = texts.join('\n');
  const edits: { at: number; len: number; by: string }[] = [];
  for (const m of joined.matchAll(STATED_IN_ERROR)) {
    const [wrong, right] = [m.indices![1]!, m.indices![2]!];
    edits.push(
      { at: wrong[0], len: wrong[1] - wrong[0], by: m[2]! },
      { at: right[0], len: right[1] - right[0], by: '' },
    );
  }
  if (edits.length === 0) return [...lines];
  const out = lines.map((l) => ({ ...l }));
  let start = 0;
  texts.forEach((t, i) => {
    const end = start + t.length;
    for (const e of edits.filter((x) => x.at >= start && x.at < end).sort((a, b) => b.at - a.at)) {
      const l = out[i]!;
      const off = e.at - start;
      l.quote ??= lines[i]!.quote ?? lines[i]!.text;
      l.text = l.text.slice(0, off) + e.by + l.text.slice(off + e.len);
    }
    start = end + 1;
  });
  return out;
}

/**
 * "Page 2 of 2" ending a line numbers no count, and "SLaM FOI 2024-0455 Page 2 of 2" is a page's footer
 * (a few words before it: the reference it repeats is no count either); longer words before it stay.
 */
function withoutPageNumber(l: Line): Line {
  const m = /(?:^|\s)page \d{1,3} (?:of|\/) \d{1,3}\s*$/i.exec(l.text);
  if (!m) return l;
  const rest = l.text.slice(0, m.index);
  // Only a short run of words that is no sentence and names no period ("Accepted 2022/23 not available. Page 2
  // of 2" keeps its words).
  const footer =
    rest.trim().split(/\s+/).length <= 4 &&
    !/[.!?:]\s*$/.test(rest.trim()) &&
    findPeriods(normalise(rest)).length === 0;
  const cells = footer ? undefined : l.cells?.filter((c) => !/^page \d{1,3} (?:of|\/) \d{1,3}$/i.test(c.trim()));
  return {
    ...l,
    text: footer ? m[0].trim() : rest,
    quote: l.quote ?? l.text,
    cells: (cells?.length ?? 0) >= 2 ? cells : undefined,
  };
}
