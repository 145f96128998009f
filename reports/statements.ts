/**
 * Sentences whose wording depends on the data, derived by rule so a published phrase ("most receive
 * 0-10", "around half", "a third") is printed only when the figures bear it out.
 */
import { formatCount } from './format.ts';

export interface Statement {
  /** Whether the claim in the published wording holds. */
  readonly holds: boolean;
  readonly text: string;
}

/**
 * "Most" means more than half of the group: `matching` of `total` items. The sentence states the
 * count and the group either way, so a reader sees why it says what it says.
 */
export function mostStatement(input: {
  matching: number;
  total: number;
  subject: string;
  predicate: string;
}): Statement {
  const { matching, total, subject, predicate } = input;
  const counts = `(${formatCount(matching)} of ${formatCount(total)})`;
  if (total === 0)
    return { holds: false, text: `No ${subject} to describe: none gave a figure that could be counted.` };
  if (2 * matching > total) return { holds: true, text: `Most ${subject} ${counts} ${predicate}.` };
  if (2 * matching === total) return { holds: false, text: `Half of the ${subject} ${counts} ${predicate}.` };
  return { holds: false, text: `Fewer than half of the ${subject} ${counts} ${predicate}.` };
}

// Named fractions, each with how far the share may be from it and still be called so.
const NAMED: readonly { fraction: number; words: string; within: number }[] = [
  { fraction: 1 / 4, words: 'a quarter', within: 0.03 },
  { fraction: 1 / 3, words: 'a third', within: 0.035 },
  { fraction: 1 / 2, words: 'around half', within: 0.05 },
  { fraction: 2 / 3, words: 'two thirds', within: 0.035 },
  { fraction: 3 / 4, words: 'three quarters', within: 0.03 },
];

/**
 * Words for a share of a group: a named fraction when the share is within a few points of it,
 * otherwise "almost all" (90% or more), "most" (over half), "fewer than half", "few" (under 10%),
 * "none" or "all". Null when nothing answered.
 */
export function shareWords(count: number, total: number): string | null {
  if (total <= 0) return null;
  const r = count / total;
  if (count === 0) return 'none';
  if (count === total) return 'all';
  const named = NAMED.find((n) => Math.abs(r - n.fraction) <= n.within);
  if (named) return named.words;
  if (r >= 0.9) return 'almost all';
  if (r > 0.5) return 'most';
  if (r < 0.1) return 'few';
  return 'fewer than half';
}

/** "A", "A and B", "A, B and C", "A, B, C and 4 others". */
export function listWords(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} others`;
}

/**
 * The largest bars of a chart among those it shows (a withheld or missing bar has no value and is never
 * named): their labels and the printed value they share. Ranges compare by their low end, then their
 * high end; null when no bar is shown.
 */
export function largestBars(
  bars: readonly { label: string; value: { low: number; high: number | null } | number | null; text?: string }[],
  format: (low: number, high: number | null) => string,
): { labels: string[]; text: string; value: { low: number; high: number | null } } | null {
  const shown = bars
    .filter((b) => b.value !== null)
    .map((b) => ({ label: b.label, v: typeof b.value === 'number' ? { low: b.value, high: b.value } : b.value! }));
  if (shown.length === 0) return null;
  const key = (v: { low: number; high: number | null }) => [v.low, v.high ?? Infinity] as const;
  const top = shown.reduce((m, b) => {
    const [a, c] = [key(b.v), key(m.v)];
    return a[0] > c[0] || (a[0] === c[0] && a[1] > c[1]) ? b : m;
  });
  const labels = shown.filter((b) => b.v.low === top.v.low && b.v.high === top.v.high).map((b) => b.label);
  return { labels, text: format(top.v.low, top.v.high), value: top.v };
}
