import type { CodedValue } from '../../schemas/foi.ts';

/**
 * The confidence gate (spec/foi.md "What real replies do"): a value feeds a figure only when the rule
 * that read it is strong and no other reading of the same reply disagrees with it. Readers mark their
 * weak readings (`suggestion`); this adds the disagreements: two or more values of one reply for the
 * same question, period, basis, age band and team that do not say the same thing are all suggestions,
 * shown on the coding sheet for a person to confirm, never a figure picked by position.
 */

const slot = (v: CodedValue): string =>
  [
    v.questionId,
    v.askedPeriodId ?? (v.period ? `${v.period.start}..${v.period.end}` : ''),
    v.basis,
    v.ageBand.label,
    v.service ?? '',
  ].join('|');

const says = (v: CodedValue): string =>
  v.interval === null ? `missing:${v.missingReason}` : `${v.interval.low}..${v.interval.high ?? 'open'}`;

const show = (v: CodedValue): string =>
  v.interval === null
    ? (v.missingReason ?? 'missing')
    : v.interval.high === v.interval.low
      ? String(v.interval.low)
      : `${v.interval.low}-${v.interval.high ?? 'open'}`;

export function gateValues(values: readonly CodedValue[]): CodedValue[] {
  const groups = new Map<string, CodedValue[]>();
  for (const v of values) {
    if (v.period === undefined) continue;
    groups.set(slot(v), [...(groups.get(slot(v)) ?? []), v]);
  }
  const out = values.map((v) => ({ ...v }));
  const index = new Map(values.map((v, i) => [v, i]));
  for (const group of groups.values()) {
    const readings = [...new Set(group.map(says))];
    if (readings.length < 2) continue;
    const why = `the reply reads ${[...new Set(group.map(show))].join(' and ')} for the same question and period`;
    for (const v of group) {
      const o = out[index.get(v)!]!;
      o.suggestion = o.suggestion === undefined ? why : `${o.suggestion}; ${why}`;
    }
  }
  return out;
}

/** Values that feed figures as read (no person needed). */
const confirmed = (values: readonly CodedValue[]): CodedValue[] => values.filter((v) => v.suggestion === undefined);
