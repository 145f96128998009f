import type { AnswerRow, WaveData } from './input.ts';

/**
 * The report parameter `leaveOutFlagged` (questionnaire.md "What a problem in a return does to it"):
 * a flagged answer (kept as given, with an issue: babies under two above the families band, a wait
 * order reversed, a staffing sum off, ...) counts by default; for the questions named (or "all") it
 * is left out of every statistic of the question, as if not answered, and the number left out is
 * printed (coverage section and the report's notes).
 *
 * `flagged`: question id -> content keys of the returns whose answer is flagged (the keys WaveData
 * cites returns by: sha256 prefix and part).
 */
export function leaveOutFlagged(
  d: WaveData,
  flagged: ReadonlyMap<string, ReadonlySet<string>>,
  questions: readonly string[],
): { data: WaveData; leftOut: Map<string, number> } {
  const leftOut = new Map<string, number>();
  if (questions.length === 0) return { data: d, leftOut };
  const all = questions.includes('all');
  const answers = new Map(d.answers);
  const coverage = new Map(d.coverage);
  const options = new Map(d.options);
  for (const [q, keys] of flagged) {
    if (!all && !questions.includes(q)) continue;
    const rows = answers.get(q);
    if (!rows) continue;
    let n = 0;
    const opts = new Map(options.get(q) ?? []);
    answers.set(
      q,
      rows.map((a): AnswerRow => {
        if (!a.answered || !keys.has(a.returnId)) return a;
        n += 1;
        for (const c of a.codes) if (opts.has(c)) opts.set(c, Math.max(0, opts.get(c)! - 1));
        return {
          ...a,
          answered: false,
          kind: 'missing',
          text: null,
          codes: [],
          interval: null,
          band: null,
          num: null,
          missingReason: 'left_out',
        };
      }),
    );
    if (n === 0) continue;
    leftOut.set(q, n);
    if (options.has(q)) options.set(q, opts);
    const c = coverage.get(q);
    if (c) coverage.set(q, { ...c, answered: c.answered - n, notAnswered: c.notAnswered + n, leftOut: n });
  }
  return { data: { ...d, answers, coverage, options }, leftOut };
}
