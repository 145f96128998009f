import type { Column, Row } from './csv.ts';
import type { PublicCell, PublicTable } from './disclosure.ts';
import { formatCell } from './disclosure.ts';
import { formatPercent } from './format.ts';
import { cellAt, isShown, protectCounts, shareCell, type Protection } from './protect.ts';
import type { Bar } from './charts.ts';
import { shareWords } from './statements.ts';
import type { Coverage, WaveData } from './input.ts';
import { denominatorText, teamsDenominator, type Section } from './model.ts';
import { coverage, optionCount, optionsOf, type Counted } from './measures.ts';

export interface ShareRow {
  code: string;
  label: string;
  teams: PublicCell;
  share: PublicCell;
  count: number;
  records: string[];
}
export interface ShareResult {
  rows: ShareRow[];
  answered: number;
  notAnswered: number;
  /** Of notAnswered: unreadable answers and flagged answers left out, when any. */
  unreadable?: number;
  leftOut?: number;
  bars: Bar[];
}

const SHARE_COLUMNS: readonly Column[] = [
  { key: 'option', header: 'Answer', kind: 'text' },
  { key: 'teams', header: 'Teams', kind: 'number' },
  { key: 'share', header: 'Share of teams that answered (%)', kind: 'range' },
];

/** "[c]" or "45%": how a share cell reads in a sentence or on a bar. */
export function shareText(c: PublicCell, digits: number): string {
  return isShown(c) ? formatPercent(c.value!, digits) : formatCell(c);
}

/**
 * The protected counts of a question's options. Section 7 reads a wave's shares through this too, so
 * a cell withheld (or withheld as a complement) in a section is withheld there as well.
 */
export function optionTable(
  d: WaveData,
  q: string,
  p: Protection,
): { listed: { code: string; label: string }[]; counts: Counted[]; total: boolean; table: PublicTable } {
  const listed = optionsOf(d, q);
  const counts = listed.map((o) => optionCount(d, q, o.code));
  const total = d.list.questions.find((x) => x.id === q)?.type !== 'multi';
  return {
    listed,
    counts,
    total,
    table: protectCounts(
      listed.map((o) => o.label),
      counts.map((c) => c.count),
      total,
      p,
    ),
  };
}

/**
 * The teams choosing each option of a single, yes/no or multi question, as counts and shares of the
 * teams that answered, with a figure per option and the disclosure rule applied. A single-choice
 * question's counts add up to the teams that answered, so its table has a total row (and secondary
 * suppression); a multi-choice question's do not.
 */
export function shareTable(
  s: Section,
  d: WaveData,
  q: string,
  opts: { name: string; title: string; coverage?: Coverage },
): ShareResult {
  const question = d.list.questions.find((x) => x.id === q);
  const cov = opts.coverage ?? coverage(d, q);
  const { listed, counts, total: single, table } = optionTable(d, q, s.env.protection);
  const digits = s.env.params.percentDigits;
  const def = s.def(
    `${q}_share`,
    `Teams with a loaded return for wave ${d.wave} choosing the answer, as a count and as a percentage of the teams that answered "${question?.label ?? q}"${single ? '' : ' (a team counts as answering when it chose at least one option)'}; percentages rounded to ${digits} decimals.`,
  );
  const rows: ShareRow[] = listed.map((o, i) => {
    const teams = cellAt(table, i);
    const share = shareCell(teams, cov.answered, digits);
    const c = counts[i]!;
    const den = teamsDenominator(cov);
    const status = isShown(teams) ? {} : { status: teams.status ?? ('x' as const) };
    s.figure({
      id: `${s.id}.${q}.${o.code}.teams`,
      label: `${question?.label ?? q}: ${o.label} (teams)`,
      value: teams.value,
      ...status,
      text: formatCell(teams),
      unit: 'teams',
      denominator: den,
      definition: def,
      records: c.records,
    });
    s.figure({
      id: `${s.id}.${q}.${o.code}.share`,
      label: `${question?.label ?? q}: ${o.label} (share)`,
      value: share.value,
      ...status,
      text: shareText(share, digits),
      unit: 'percent',
      denominator: den,
      definition: def,
      records: c.records,
    });
    return { code: o.code, label: o.label, teams, share, count: c.count, records: c.records };
  });
  const tableRows: Row[] = rows.map((r) => ({ option: r.label, teams: r.teams, share: r.share }));
  if (single)
    tableRows.push({
      option: 'Total (teams that answered)',
      teams: cellAt(table, listed.length),
      share: cov.answered > 0 ? 100 : null,
    });
  const notes = [
    `Denominator: ${denominatorText(teamsDenominator(cov))}.`,
    ...(single ? [] : ['Teams could choose more than one answer, so the shares do not add up to 100.']),
  ];
  s.table({ name: opts.name, title: opts.title, columns: SHARE_COLUMNS, rows: tableRows, notes }, table);
  const bars = rows.map((r) =>
    isShown(r.share)
      ? { label: r.label, value: r.share.value! }
      : { label: r.label, value: null, text: formatCell(r.share) },
  );
  return { rows, ...teamsDenominator(cov), bars };
}

/** "around half (52%, 23 of 44 teams that answered)"; the words only when the count is shown. */
export function shareSentence(r: ShareRow, answered: number, digits: number): string {
  if (!isShown(r.teams)) return `${shareText(r.share, digits)} (withheld: fewer than the disclosure threshold)`;
  const words = shareWords(r.count, answered);
  return `${words ? `${words} ` : ''}(${shareText(r.share, digits)}, ${r.count} of ${answered} teams that answered)`;
}
