import type { QuestionList } from '../question-list.ts';
import { matchKey } from '../answers/normalise-text.ts';

/**
 * What zod cannot say about a question list: ids and codes unique, bands ordered and not
 * overlapping with an open top, checks and conditions naming questions that exist, and no two
 * questions sharing a label or alias (label matching could not tell them apart).
 * Returns one line per problem; empty when the list is sound.
 */
export function lintQuestionList(list: QuestionList): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const labelOwner = new Map<string, string>();
  for (const [i, q] of list.questions.entries()) {
    const at = `questions.${i} (${q.id})`;
    if (ids.has(q.id)) problems.push(`${at}: the id "${q.id}" is used twice`);
    ids.add(q.id);
    for (const label of [q.label, ...q.aliases]) {
      const key = matchKey(label);
      const owner = labelOwner.get(key);
      if (owner !== undefined && owner !== q.id)
        problems.push(`${at}: the label or alias "${label}" is also used by ${owner}`);
      labelOwner.set(key, q.id);
    }
    const needsOptions = q.type === 'single' || q.type === 'multi';
    if (needsOptions && !(q.options && q.options.length > 0))
      problems.push(`${at}: a ${q.type} question needs options`);
    if (q.type === 'band' && !(q.bands && q.bands.length > 0)) problems.push(`${at}: a band question needs bands`);
    const optionKeys = new Map<string, string>();
    for (const o of q.options ?? []) {
      for (const s of [o.label, o.code, ...o.synonyms]) {
        const k = matchKey(s);
        const other = optionKeys.get(k);
        if (other !== undefined && other !== o.code)
          problems.push(`${at}: "${s}" names both options ${other} and ${o.code}`);
        optionKeys.set(k, o.code);
      }
    }
    const codes = (q.options ?? []).map((o) => o.code);
    if (new Set(codes).size !== codes.length) problems.push(`${at}: an option code is used twice`);
    (q.bands ?? []).forEach((b, j, all) => {
      if (b.high !== null && b.high < b.low) problems.push(`${at}: band ${b.code} has high below low`);
      const next = all[j + 1];
      if (next && (b.high === null || next.low !== b.high + 1))
        problems.push(`${at}: band ${next.code} does not start right after ${b.code}`);
      if (!next && b.high !== null) problems.push(`${at}: the top band ${b.code} should be open (high null)`);
    });
  }
  for (const [i, q] of list.questions.entries()) {
    const at = `questions.${i} (${q.id})`;
    const named = q.checks.flatMap((c) => (c.kind === 'sum_of' ? c.questions : 'other' in c ? [c.other] : []));
    for (const c of q.checks) {
      if (c.kind === 'within' && c.high < c.low) problems.push(`${at}: a within check has high below low`);
      if (c.kind === 'within' && !['count', 'band', 'decimal', 'days', 'year'].includes(q.type))
        problems.push(`${at}: a within check needs a number question, not ${q.type}`);
      if (c.kind === 'not_before') {
        const other = list.questions.find((x) => x.id === c.other);
        if (q.type !== 'date' || (other && other.type !== 'date'))
          problems.push(`${at}: a not_before check compares two date questions`);
      }
    }
    for (const c of [q.requiredWhen, q.blankWhen]) if (c) named.push(c.question);
    for (const other of named) if (!ids.has(other)) problems.push(`${at}: refers to the unknown question "${other}"`);
  }
  return problems;
}
