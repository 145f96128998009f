import { atMost, distribute } from '../bands.ts';
import type { Row } from '../csv.ts';
import { formatCell } from '../disclosure.ts';
import { formatRange } from '../format.ts';
import { median } from '../intervals.ts';
import { cellAt, isShown, protectCounts } from '../protect.ts';
import { mostStatement } from '../statements.ts';
import { foiValueKey, type FoiValue } from '../input.ts';
import type { Section } from '../model.ts';

/**
 * The distribution of under-two referrals per trust over the parameter bands, with a "spans bands"
 * row for intervals across a band boundary (counted, never guessed), as a table with disclosure.
 */
export function distributionTable(
  s: Section,
  input: {
    name: string;
    title: string;
    values: readonly FoiValue[];
    notes: string[];
    figurePrefix: string;
    def: string;
  },
): { bars: { label: string; value: number | null; text?: string }[]; withheld: Set<FoiValue['id']> } {
  const bands = s.env.params.foi.referralBands;
  const dist = distribute(
    input.values.map((v) => ({ id: v.id, value: v.value! })),
    bands,
  );
  // A figure the trust withheld ("<5") that fits no band is its own category, named by its range, so
  // the chart and the sentence beside it ("most received 0-10") agree; other intervals across bands
  // are "spans bands". The category is listed only when a trust wrote such a figure.
  const withheldIds = new Set(input.values.filter((v) => v.suppressed).map((v) => v.id));
  const bySource = dist.spans.filter((id) => withheldIds.has(id));
  const spans = dist.spans.filter((id) => !withheldIds.has(id));
  const highest = Math.max(
    ...input.values.filter((v) => bySource.includes(v.id)).map((v) => v.value!.high ?? Number.POSITIVE_INFINITY),
  );
  const fewer = Number.isFinite(highest)
    ? `Fewer than ${highest + 1} (withheld by the trust)`
    : 'Withheld by the trust';
  const labels = [...bands.map((b) => b.label), ...(bySource.length > 0 ? [fewer] : []), 'Spans bands'];
  const members = [...dist.members, ...(bySource.length > 0 ? [bySource] : []), spans];
  const table = protectCounts(
    labels,
    members.map((m) => m.length),
    true,
    s.env.protection,
    false,
    'Trusts',
  );
  const den = { answered: input.values.length, notAnswered: 0, of: 'trusts' };
  labels.forEach((label, i) => {
    const c = cellAt(table, i);
    s.figure({
      id: `${input.figurePrefix}.${i}`,
      label: `Trusts receiving ${label} under-two referrals a year`,
      value: c.value,
      ...(isShown(c) ? {} : { status: 'c' as const }),
      text: formatCell(c),
      unit: 'trusts',
      denominator: den,
      definition: input.def,
      records: (members[i] ?? []).map(foiValueKey),
    });
  });
  const rows: Row[] = table.rows.map((label, i) => ({ band: label, trusts: cellAt(table, i) }));
  s.table(
    {
      name: input.name,
      title: input.title,
      columns: [
        { key: 'band', header: 'Under-two referrals in the year', kind: 'text' },
        { key: 'trusts', header: 'Trusts', kind: 'number' },
      ],
      rows,
      notes: input.notes,
    },
    table,
  );
  // Trusts counted in a withheld cell: the per-trust table must not print their figures (it would
  // give the cell back by counting), so they are listed here for it.
  const withheld = new Set(members.flatMap((m, i) => (isShown(cellAt(table, i)) ? [] : m)));
  return {
    withheld,
    bars: labels.map((label, i) => {
      const c = cellAt(table, i);
      return isShown(c) ? { label, value: c.value!.low } : { label, value: null, text: formatCell(c) };
    }),
  };
}

/** "Most receive 0-10" (a high end at most `max`), computed from the values, with its count either way. */
export function fewStatement(s: Section, values: readonly FoiValue[], max: number, def: string): string {
  const few = values.filter((v) => atMost(v.value!, max));
  const st = mostStatement({
    matching: few.length,
    total: values.length,
    subject: 'trusts that accept under-two referrals and gave a figure for the year',
    predicate: `received 0-${max} referrals for under-twos`,
  });
  const published = s.figure({
    id: 'foi.few_referrals',
    label: `Trusts receiving 0-${max} under-two referrals a year`,
    value: { low: few.length, high: few.length },
    text: st.text,
    unit: 'trusts',
    denominator: { answered: values.length, notAnswered: 0, of: 'trusts' },
    definition: def,
    records: few.map((v) => foiValueKey(v.id)),
  });
  // The sentence as published: a withheld count says nothing.
  return published.status === 'c' ? '' : published.text;
}

/** Median referrals of trusts with and without a parent-infant team (hosted, by ODS code, or named in the reply). */
export function teamComparison(
  s: Section,
  values: readonly FoiValue[],
  linked: (v: FoiValue) => boolean,
  def: string,
): void {
  const groups = [
    { key: 'with_team', label: 'With a parent-infant team hosted or named', values: values.filter(linked) },
    { key: 'without_team', label: 'Without', values: values.filter((v) => !linked(v)) },
  ];
  const table = protectCounts(
    groups.map((g) => g.label),
    groups.map((g) => g.values.length),
    true,
    s.env.protection,
    false,
    'Trusts',
  );
  const rows: Row[] = groups.map((g, i) => {
    const c = cellAt(table, i);
    const m = median(g.values.map((v) => v.value!));
    const shown = isShown(c) && m !== undefined;
    s.figure({
      id: `foi.median.${g.key}`,
      label: `Median under-two referrals a year, trusts ${g.label.toLowerCase()}`,
      value: shown ? m! : null,
      ...(shown ? {} : { status: isShown(c) ? ('x' as const) : ('c' as const) }),
      text: shown ? formatRange(m!, 1) : formatCell(isShown(c) ? { value: null, status: 'x' } : c),
      unit: 'referrals',
      denominator: { answered: g.values.length, notAnswered: 0, of: 'trusts' },
      definition: def,
      records: g.values.map((v) => foiValueKey(v.id)),
    });
    return { group: g.label, trusts: c, median: shown ? m! : { value: null, status: isShown(c) ? 'x' : 'c' } };
  });
  s.table(
    {
      name: 'foi_with_without_team',
      title: 'Under-two referrals per trust, with and without a parent-infant team',
      columns: [
        { key: 'group', header: 'Group of trusts', kind: 'text' },
        { key: 'trusts', header: 'Trusts', kind: 'number' },
        { key: 'median', header: 'Median referrals a year', kind: 'range' },
      ],
      rows,
      notes: [
        'Median of intervals: the median of the low ends and the median of the high ends, computed separately.',
        'A trust counts as "with" when a team of the questionnaire wave names it as host (ODS code, or its successor after a merger) or its own reply says it hosts or commissions a parent-infant service. The bundled reference data has no trust catchment areas, so teams in a trust\'s area are not linked by area.',
      ],
    },
    table,
  );
}
