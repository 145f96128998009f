import type { Row } from '../csv.ts';
import { formatCell } from '../disclosure.ts';
import { formatPercent, formatRange } from '../format.ts';
import { listWords } from '../statements.ts';
import { median, point, sum, type Bounds } from '../intervals.ts';
import { cellAt, dependent, isShown, protectCounts, roundBounds, smallRemainder } from '../protect.ts';
import { needOf, NeedError, reachPercent, type BirthRow } from '../reach.ts';
import { CensusError } from '../../schemas/fault.ts';
import type { WaveData } from '../input.ts';
import { coverage, intervalSum, intervalsOf, labelOf, numbersOf } from '../measures.ts';
import type { Figure } from '../figures.ts';
import { denominatorText, Section, teamsDenominator, type Env, type SectionOut } from '../model.ts';

const Q = 'families_supported';

/** report.md section 4: families supported (bands, national range), babies under two, reach under each need scenario, waits. */
export async function familiesSection(env: Env, d: WaveData, births: readonly BirthRow[]): Promise<SectionOut> {
  const s = new Section('families', '4. Families reached and the gap', env);
  const cap = env.params.openBandCaps[Q];
  const bands = d.list.questions.find((x) => x.id === Q)?.bands ?? [];
  const items = intervalsOf(d, Q);
  const groups = [
    ...bands.map((b) => ({ label: b.label, items: items.filter((i) => i.row.band === b.code) })),
    { label: 'Across more than one band', items: items.filter((i) => i.row.band === null) },
  ].filter((g, i) => i < bands.length || g.items.length > 0);
  const table = protectCounts(
    groups.map((g) => g.label),
    groups.map((g) => g.items.length),
    true,
    env.protection,
  );
  const total = intervalSum(d, Q, cap === undefined ? {} : { cap });
  const den = teamsDenominator(total);
  const capNote =
    cap === undefined
      ? 'An open top band has no cap, so a sum with it prints as "over" its low end.'
      : `The open top band counts as at most ${cap} families at its high end (a parameter of the build).`;
  const rangeNote = `Banded answers are summed at both ends: the lowest total adds every band's low end, the highest every band's high end. ${capNote}`;
  const rows: Row[] = groups.map((g, i) => {
    const teams = cellAt(table, i);
    const families = dependent(
      teams,
      sum(
        g.items.map((x) => x.value),
        cap === undefined ? {} : { cap },
      ),
    );
    return { band: g.label, teams, families };
  });
  rows.push({ band: 'Total (teams that answered)', teams: cellAt(table, groups.length), families: total.value });
  const defTotal = s.def(
    'total',
    `Families supported directly in the reporting period, summed over teams that answered: lows and highs added separately. ${capNote}`,
  );
  const none = total.answered === 0;
  const totalFig = s.figure({
    id: 'families.total',
    label: 'Families supported directly, all teams',
    value: none ? null : total.value,
    ...(none ? { status: 'x' as const } : {}),
    text: none ? '[x]' : formatRange(total.value),
    unit: 'families',
    denominator: den,
    definition: defTotal,
    records: total.records,
  });
  const chosen = groups
    .slice(0, bands.length)
    .map((g, i) => ({ ...g, cell: cellAt(table, i) }))
    .filter((g) => g.items.length > 0);
  const smallest = chosen[0];
  const largest = chosen[chosen.length - 1];
  if (smallest && largest) {
    const defRange = s.def(
      'band_range',
      'The lowest and the highest band of the wave that at least one team chose (or typed a number within); withheld in a public build when its count is.',
    );
    const bandFig = (id: string, label: string, g: typeof smallest): Figure =>
      s.figure({
        id,
        label,
        value: null,
        ...(g.cell.status === 'c' ? { status: 'c' as const } : {}),
        text: g.label,
        unit: 'band',
        denominator: den,
        definition: defRange,
        records: g.items.map((i) => i.id),
      });
    const lo = bandFig('families.smallest_band', 'Smallest band chosen', smallest);
    const hi = bandFig('families.largest_band', 'Largest band chosen', largest);
    // A band is named only when its count is shown: naming a withheld band says a team chose it.
    const range =
      lo.status === 'c' || hi.status === 'c'
        ? ' The lowest and highest bands chosen are not named, as few teams chose them.'
        : ` Per team, answers ran from "${lo.text.toLowerCase()}" to "${hi.text.toLowerCase()}".`;
    s.para(`Teams supported ${totalFig.text} families directly in the year, ${denominatorText(den)}.${range}`);
  }
  await s.bars(
    {
      title: `Families supported directly per team, wave ${d.wave}`,
      denominator: denominatorText(den),
      source: env.source,
      xTitle: 'Teams',
      yTitle: 'Families supported (band)',
      integer: true,
      bars: rows.slice(0, groups.length).map((r) => {
        const c = r.teams as ReturnType<typeof cellAt>;
        return isShown(c)
          ? { label: String(r.band), value: c.value! }
          : { label: String(r.band), value: null, text: formatCell(c) };
      }),
    },
    (t) =>
      `The most common answer was ${listWords(t.labels.map((l) => `"${l.toLowerCase()}"`))} families supported in the year (${t.text} teams${t.labels.length > 1 ? ' each' : ''}).`,
    `Denominator: ${denominatorText(den)}. ${rangeNote}`,
  );
  s.table(
    {
      name: 'families_by_band',
      title: `Families supported directly, by band, wave ${d.wave}`,
      columns: [
        { key: 'band', header: 'Families supported (band)', kind: 'text' },
        { key: 'teams', header: 'Teams', kind: 'number' },
        { key: 'families', header: 'Families', kind: 'range' },
      ],
      rows,
      notes: [
        `Denominator: ${denominatorText(den)}.`,
        rangeNote,
        'A number typed instead of a band counts in the band that holds it; a range across bands is counted apart.',
      ],
    },
    table,
  );

  const babies = intervalSum(d, 'babies_under_2');
  if (d.list.questions.some((x) => x.id === 'babies_under_2')) {
    const bDen = teamsDenominator(babies);
    const def = s.def(
      'babies',
      'Babies under two seen: counts summed at both ends; an answer open above ("over 100") makes the total open, printed as "over" the sum of lows.',
    );
    const babiesFig = s.figure({
      id: 'families.babies_under_2',
      label: 'Babies under two seen',
      value: babies.answered ? babies.value : null,
      ...(babies.answered ? {} : { status: 'x' as const }),
      text: babies.answered ? formatRange(babies.value) : '[x]',
      unit: 'babies',
      denominator: bDen,
      definition: def,
      records: babies.records,
    });
    s.para(
      babies.answered === 0
        ? `No team said how many babies under two it saw (${babies.notAnswered} did not answer).`
        : babiesFig.status === 'c'
          ? `The number of babies under two seen is withheld ([c]): fewer than ${s.env.protection.threshold} teams answered.`
          : `Teams saw ${babiesFig.text} babies under two, ${denominatorText(bDen)}.`,
    );
  }
  await reach(s, d, births, cap);
  waits(s, d);
  return s.out();
}

async function reach(s: Section, d: WaveData, births: readonly BirthRow[], cap: number | undefined): Promise<void> {
  const digits = s.env.params.percentDigits;
  const def = s.def(
    'reach',
    "Reach: families supported by the teams the scenario counts (summed at both ends, open band capped) divided by the scenario's babies in need a year; each end rounded separately.",
  );
  const rows: Row[] = [];
  const bars: { label: string; value: Bounds | null; text?: string }[] = [];
  const all = intervalSum(d, Q, cap === undefined ? {} : { cap });
  const notes: string[] = [];
  for (const sc of s.env.params.needScenarios) {
    let need;
    try {
      need = needOf(sc.need, births, d.wave);
    } catch (err) {
      if (err instanceof NeedError)
        throw new CensusError(
          'usage',
          `Need scenario "${sc.id}": ${err.message}.`,
          'Change the scenario in the --params file (areas or birthsYear).',
          { cause: err },
        );
      throw err;
    }
    const fam = intervalSum(d, Q, { ...(cap === undefined ? {} : { cap }), nations: sc.nations });
    const pct = roundBounds(reachPercent(fam.value, need.babies), digits);
    const den = teamsDenominator(fam);
    // All teams' families are printed (families.total): a scenario of some nations only would give the
    // other nations' families by subtraction, so it is withheld when those are a small group.
    const left = sc.nations !== null && smallRemainder(all.records, fam.records, s.env.protection);
    const fig = s.figure({
      id: `families.reach.${sc.id}`,
      label: `Share of babies in need reached: ${sc.name}`,
      value: pct,
      text: formatPercent(pct, digits),
      unit: 'percent',
      denominator: den,
      definition: def,
      records: fam.records,
      ...(left ? { status: 'c' as const } : {}),
    });
    const hidden = fig.status === 'c';
    rows.push({
      scenario: sc.name,
      teams: fam.answered,
      families: hidden ? { value: null, status: 'c' } : fam.value,
      need: Math.round(need.babies),
      reach: hidden ? { value: null, status: 'c' } : pct,
    });
    bars.push(hidden ? { label: sc.name, value: null, text: '[c]' } : { label: sc.name, value: pct });
    notes.push(
      `${sc.name}: need ${need.basis}; ${sc.nations ? `teams in ${sc.nations.map((n) => labelOf(d, 'nation', n)).join(', ')} only` : 'all teams'}, ${denominatorText(den)}. Source: ${sc.citation}`,
    );
  }
  if (rows.length === 0) return;
  await s.bars(
    {
      title: `Share of babies in need reached, wave ${d.wave}`,
      denominator: 'families supported / babies in need a year, per scenario',
      source: s.env.source,
      xTitle: 'Babies in need reached (%)',
      yTitle: 'Need scenario',
      bars,
      formatValue: (b) => formatPercent(b, digits),
    },
    () => {
      const shown = bars.flatMap((b) => (b.value === null || typeof b.value === 'number' ? [] : [b.value]));
      const open = shown.some((b) => b.high === null);
      const most = Math.max(...shown.map((b) => b.high ?? b.low));
      const all = shown.length === bars.length ? 'every need scenario' : 'every need scenario shown';
      return open
        ? `Teams reached at least ${formatPercent({ low: Math.min(...shown.map((b) => b.low)), high: null }, digits)} of babies in need under ${all}.`
        : `Teams reached no more than ${formatPercent(most, digits)} of babies in need a year under ${all}.`;
    },
    'Each scenario is named and cited in the build parameters; ranges come from banded answers summed at both ends.',
  );
  s.table({
    name: 'reach',
    title: `Share of babies in need reached, by need scenario, wave ${d.wave}`,
    columns: [
      { key: 'scenario', header: 'Need scenario', kind: 'text' },
      { key: 'teams', header: 'Teams counted', kind: 'number' },
      { key: 'families', header: 'Families supported', kind: 'range' },
      { key: 'need', header: 'Babies in need a year', kind: 'number' },
      { key: 'reach', header: 'Reached (%)', kind: 'range' },
    ],
    rows,
    notes,
  });
}

function waits(s: Section, d: WaveData): void {
  const def = s.def(
    'waits',
    "Median of the teams' own median waits in days (mean of the two middle values for an even count), of teams that answered.",
  );
  for (const [q, what] of [
    ['wait_assessment_days', 'assessment'],
    ['wait_intervention_days', 'first intervention'],
  ] as const) {
    if (!d.list.questions.some((x) => x.id === q)) continue;
    const values = numbersOf(d, q);
    const m = median(values.map((v) => point(v.value)));
    const cov = coverage(d, q);
    const den = teamsDenominator(cov);
    // A median of whole days is a whole number or a half: print the half only when there is one.
    const text = m ? formatRange(m, Number.isInteger(m.low) && Number.isInteger(m.high) ? 0 : 1) : '[x]';
    const fig = s.figure({
      id: `families.${q}`,
      label: `Median wait from referral to ${what} (days)`,
      value: m ?? null,
      ...(m ? {} : { status: 'x' as const }),
      text,
      unit: 'days',
      denominator: den,
      definition: def,
      records: values.map((v) => v.id),
    });
    const shown =
      fig.status === 'c' ? 'withheld ([c]), as few teams answered' : m ? `${fig.text} days` : 'not available';
    s.para(`Median wait from referral to ${what}: ${shown}, ${denominatorText(den)}.`);
  }
}
