import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foiQuestionListSchema, type FoiQuestionList } from '../foi.ts';

/** FOI question lists, one JSON file per wave in this folder: a later wave is a new file, no code change. */
const DIR = fileURLToPath(new URL('.', import.meta.url));

export function foiWaves(dir: string = DIR): number[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 4)))
    .sort((a, b) => a - b);
}

/** Throws when the file is missing or does not match the schema: a wave file is program data, not input. */
export function loadFoiWave(wave: number, dir: string = DIR): FoiQuestionList {
  const raw: unknown = JSON.parse(readFileSync(`${dir}/${wave}.json`, 'utf8'));
  const parsed = foiQuestionListSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `FOI wave file ${dir}/${wave}.json does not match the question-list schema: ${parsed.error.message}. Fix the file.`,
    );
  }
  if (parsed.data.wave !== wave)
    throw new Error(`FOI wave file ${wave}.json says wave ${parsed.data.wave}; rename the file or fix "wave".`);
  return completeWave(parsed.data);
}

const STOP = new Set(
  'a an and any are as at be by did do does each for from how if in into is it its many of on or other the their these this those to trust was were what which who with'.split(
    ' ',
  ),
);
const words = (t: string) => t.toLowerCase().match(/[a-z][a-z'-]+/g) ?? [];

/**
 * What a wave file may leave out, as a research officer writes one from the request they sent:
 * - a count question's `basis`: accepted when its text asks what was accepted (assessed, treated), else received;
 * - `keywords` (how a restated question is recognised): the words of its text no other question of the wave uses;
 * - a period's `toDate`: set when its label says "to date" or it ends before its financial year does
 *   ("2025/26 (to date)", 1 April 2025 to the day the request was sent); such a period is the whole financial
 *   year asked to date, so it ends on 31 March like the asked periods of wave 2024 (a reply's own dates say
 *   how far its figures go).
 * A file that states them keeps what it states.
 */
export function completeWave(list: FoiQuestionList): FoiQuestionList {
  const texts = list.questions.map((q) => new Set(words(q.text).filter((w) => !STOP.has(w) && w.length >= 4)));
  const questions = list.questions.map((q, i) => {
    const out = { ...q };
    if (q.answerType === 'count_per_period' && q.basis === undefined)
      out.basis = /\baccept|\bassessed\b|\btreated\b/i.test(q.text) ? 'accepted' : 'received';
    if (q.keywords.length === 0)
      out.keywords = [...texts[i]!].filter((w) => texts.every((other, j) => j === i || !other.has(w)));
    return out;
  });
  const periods = list.periods.map((p) => {
    const [y, m, d] = p.start.split('-').map(Number) as [number, number, number];
    const fyEnd = `${m >= 4 ? y + 1 : y}-03-31`;
    const startsFy = m === 4 && d === 1;
    const toDate =
      p.toDate || /\bto date\b|\bso far\b|\byear to date\b|\bytd\b/i.test(p.label) || (startsFy && p.end < fyEnd);
    if (!toDate) return p;
    return startsFy ? { ...p, toDate, end: fyEnd, type: 'financial_year' as const } : { ...p, toDate };
  });
  return { ...list, questions, periods };
}
