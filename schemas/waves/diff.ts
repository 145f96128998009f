import type { Question, QuestionList } from '../question-list.ts';

interface OptionsChange {
  id: string;
  added: string[];
  removed: string[];
  relabelled: { code: string; from: string; to: string }[];
}

export interface BandsChange {
  id: string;
  from: { code: string; label: string; low: number; high: number | null }[];
  to: { code: string; label: string; low: number; high: number | null }[];
}

export interface QuestionsDiff {
  /** Ids asked in b but not in a, in b's order. */
  added: string[];
  /** Ids asked in a but not in b, in a's order. */
  removed: string[];
  reworded: { id: string; from: string; to: string }[];
  typeChanged: { id: string; from: string; to: string }[];
  optionsChanged: OptionsChange[];
  bandsChanged: BandsChange[];
}

function optionsChange(qa: Question, qb: Question): OptionsChange | null {
  const a = new Map((qa.options ?? []).map((o) => [o.code, o.label]));
  const b = new Map((qb.options ?? []).map((o) => [o.code, o.label]));
  const added = [...b.keys()].filter((c) => !a.has(c));
  const removed = [...a.keys()].filter((c) => !b.has(c));
  const relabelled = [...b.entries()]
    .filter(([c, l]) => a.has(c) && a.get(c) !== l)
    .map(([code, to]) => ({ code, from: a.get(code)!, to }));
  return added.length || removed.length || relabelled.length ? { id: qb.id, added, removed, relabelled } : null;
}

const bounds = (q: Question): BandsChange['from'] =>
  (q.bands ?? []).map(({ code, label, low, high }) => ({ code, label, low, high }));

/** What changed between two waves' lists (a: earlier, b: later), question by question id. */
export function questionsDiff(a: QuestionList, b: QuestionList): QuestionsDiff {
  const byIdA = new Map(a.questions.map((q) => [q.id, q]));
  const byIdB = new Map(b.questions.map((q) => [q.id, q]));
  const diff: QuestionsDiff = {
    added: b.questions.filter((q) => !byIdA.has(q.id)).map((q) => q.id),
    removed: a.questions.filter((q) => !byIdB.has(q.id)).map((q) => q.id),
    reworded: [],
    typeChanged: [],
    optionsChanged: [],
    bandsChanged: [],
  };
  for (const qb of b.questions) {
    const qa = byIdA.get(qb.id);
    if (!qa) continue;
    if (qa.label !== qb.label) diff.reworded.push({ id: qb.id, from: qa.label, to: qb.label });
    if (qa.type !== qb.type) diff.typeChanged.push({ id: qb.id, from: qa.type, to: qb.type });
    const oc = optionsChange(qa, qb);
    if (oc) diff.optionsChanged.push(oc);
    const [fa, fb] = [bounds(qa), bounds(qb)];
    if (JSON.stringify(fa) !== JSON.stringify(fb)) diff.bandsChanged.push({ id: qb.id, from: fa, to: fb });
  }
  return diff;
}
