import type { Row } from '../csv.ts';
import type { PublicCell } from '../disclosure.ts';
import { formatCell } from '../disclosure.ts';
import { formatCount, formatPercent, formatRange } from '../format.ts';
import { reachPercent, needOf, type BirthRow } from '../reach.ts';
import { cellAt, isShown, protectCounts, roundBounds, shareCell, smallRemainder } from '../protect.ts';
import type { WaveData } from '../input.ts';
import { asked, harmonisedCount, intervalSum, type Counted, type Summed } from '../measures.ts';
import { optionTable } from '../share-table.ts';
import { teamsByWave } from './growth.ts';
import { Section, type Env, type SectionOut } from '../model.ts';

interface Headline {
  key: string;
  label: string;
  unit: string;
  cell: (d: WaveData) => { cell: PublicCell; records: string[] } | null;
}

/** report.md section 7: every headline figure for each loaded wave, side by side, harmonised where wording changed. */
export async function overTimeSection(
  env: Env,
  waves: readonly WaveData[],
  births: readonly BirthRow[],
): Promise<SectionOut> {
  const s = new Section('over-time', '7. Over time', env);
  const digits = env.params.percentDigits;
  const { statusCols, grid } = teamsByWave(waves, env.protection);
  const status = (code: string) => (d: WaveData) => {
    const [i, j] = [waves.indexOf(d), statusCols.findIndex((c) => c.code === code)];
    return asked(d, 'status') && j >= 0 ? { cell: cellAt(grid, i, j), records: [] } : null;
  };
  // The same protected table as the section showing the question, so the same cells are withheld.
  const optionShare = (q: string, code: string) => (d: WaveData) => {
    if (!asked(d, q)) return null;
    const t = optionTable(d, q, env.protection);
    const i = t.listed.findIndex((o) => o.code === code);
    return i < 0
      ? null
      : { cell: shareCell(cellAt(t.table, i), t.counts[i]!.answered, digits), records: t.counts[i]!.records };
  };
  // A sum over no answers is not 0 families: it is not available.
  const summed = (t: Summed | null) =>
    t === null
      ? null
      : { cell: t.answered > 0 ? { value: t.value } : { value: null, status: 'x' as const }, records: t.records };
  const share = (c: Counted) => ({
    cell: shareCell(cellAt(protectCounts(['x'], [c.count], false, env.protection), 0), c.answered, digits),
    records: c.records,
  });
  const cap = env.params.openBandCaps.families_supported;
  const families = (nations: readonly string[] | null) => (d: WaveData) =>
    asked(d, 'families_supported')
      ? intervalSum(d, 'families_supported', { ...(cap === undefined ? {} : { cap }), nations })
      : null;
  const categories = [
    ...new Set(
      waves.flatMap(
        (w) =>
          w.list.questions
            .find((q) => q.id === 'funding_sources')
            ?.options?.flatMap((o) => (o.harmonised ? [o.harmonised] : [])) ?? [],
      ),
    ),
  ].sort();
  const headlines: Headline[] = [
    {
      key: 'teams',
      label: 'Teams in the network',
      unit: 'teams',
      cell: (d) => ({ cell: cellAt(grid, waves.indexOf(d), statusCols.length), records: [] }),
    },
    { key: 'established', label: 'Established teams', unit: 'teams', cell: status('established') },
    { key: 'in_development', label: 'Teams in development', unit: 'teams', cell: status('in_development') },
    {
      key: 'families',
      label: 'Families supported directly (all teams)',
      unit: 'families',
      cell: (d) => summed(families(null)(d)),
    },
    ...env.params.needScenarios.map((sc): Headline => ({
      key: `reach_${sc.id}`,
      label: `Babies in need reached: ${sc.name}`,
      unit: '%',
      cell: (d) => {
        const f = families(sc.nations)(d);
        const all = families(null)(d);
        // As in section 4: a scenario of some nations is withheld when the other nations' teams are few.
        if (f && all && sc.nations && smallRemainder(all.records, f.records, env.protection))
          return { cell: { value: null, status: 'c' as const }, records: f.records };
        return f && f.answered > 0
          ? {
              cell: { value: roundBounds(reachPercent(f.value, needOf(sc.need, births, d.wave).babies), digits) },
              records: f.records,
            }
          : summed(f);
      },
    })),
    {
      key: 'parental_mh',
      label: 'Teams offering mental health support to parents',
      unit: '%',
      cell: optionShare('parental_mh_support', 'yes'),
    },
    {
      key: 'perinatal_pathway',
      label: 'Teams sharing a referral pathway with perinatal mental health',
      unit: '%',
      cell: optionShare('shared_pathways', 'perinatal_mental_health'),
    },
    {
      key: 'parents_in_design',
      label: 'Teams involving parents in service design or feedback',
      unit: '%',
      cell: optionShare('parents_in_design', 'yes'),
    },
    ...(
      [
        ['professionals_consulted', 'consultation'],
        ['professionals_supervised', 'supervision'],
        ['professionals_trained', 'training'],
      ] as const
    ).map(([q, what]): Headline => ({
      key: q,
      label: `Professionals given ${what}`,
      unit: 'professionals',
      cell: (d) => summed(asked(d, q) ? intervalSum(d, q) : null),
    })),
    ...categories.map((cat): Headline => ({
      key: `funding_${cat}`,
      label: `Teams funded by: ${FUNDING_WORDS[cat] ?? cat.replace(/_/g, ' ')}`,
      unit: '%',
      cell: (d) => (asked(d, 'funding_sources') ? share(harmonisedCount(d, 'funding_sources', cat)) : null),
    })),
  ];
  const def = s.def(
    'headline',
    'The headline figures of sections 1-5, computed the same way for every loaded wave from its own returns and question list; options whose wording changed are compared through their harmonised category; [x] where a wave did not ask the question.',
  );
  // What the gate let through for each wave's "in development" count: the chart plots only these, so a
  // public chart shows no count the table withholds ([c] waves have no point).
  const shownInDevelopment = new Map<number, number>();
  const rows: Row[] = headlines.map((h) => {
    const row: Record<string, unknown> = { figure: h.label, unit: h.unit };
    for (const d of waves) {
      const got = h.cell(d);
      const cell: PublicCell = got ? got.cell : { value: null, status: 'x' };
      const text = !isShown(cell)
        ? formatCell(cell)
        : h.unit === '%'
          ? formatPercent(cell.value!, digits)
          : formatRange(cell.value!);
      const fig = s.figure({
        id: `over-time.${h.key}.${d.wave}`,
        label: `${h.label}, wave ${d.wave}`,
        value: isShown(cell) ? cell.value : null,
        ...(isShown(cell) ? {} : { status: cell.status ?? 'x' }),
        text,
        unit: h.unit === '%' ? 'percent' : h.unit,
        definition: def,
        records: got?.records ?? [],
      });
      // The table prints what the gate let through (a figure of a small group is [c] there too).
      row[`w${d.wave}`] = fig.status === 'c' ? { value: null, status: 'c' } : cell;
      if (h.key === 'in_development' && fig.status !== 'c' && isShown(cell) && cell.value)
        shownInDevelopment.set(d.wave, cell.value.low);
    }
    return row as Row;
  });
  await s.line(
    {
      title: 'Teams in the network by wave',
      denominator: 'teams with a loaded return for each wave',
      source: `Parent-infant team survey ${waves.map((w) => w.wave).join(', ')}`,
      xTitle: 'Wave',
      yTitle: 'Teams',
      series: [
        { name: 'All teams', points: waves.map((w) => ({ x: w.wave, y: w.teams.length })) },
        {
          name: 'In development',
          points: waves
            .filter((w) => asked(w, 'status') && shownInDevelopment.has(w.wave))
            .map((w) => ({ x: w.wave, y: shownInDevelopment.get(w.wave)! })),
        },
      ],
    },
    networkFinding(waves.map((w) => ({ wave: w.wave, teams: w.teams.length }))),
    'Every team with a loaded return for the wave; a wave whose questionnaire did not ask the status, or whose count is withheld [c], has no "in development" point.',
  );
  s.table({
    name: 'over_time',
    title: 'Headline figures by wave',
    columns: [
      { key: 'figure', header: 'Figure', kind: 'text' },
      { key: 'unit', header: 'Unit', kind: 'text' },
      ...waves.map((w) => ({ key: `w${w.wave}`, header: String(w.wave), kind: 'range' as const })),
    ],
    rows,
    notes: [
      '[x]: the wave did not ask the question, or no team answered it; [z]: no team answered, so there is no share. Ranges come from banded answers summed at both ends; reach uses the same need scenarios for every wave.',
      'Funding categories are harmonised across waves: an earlier wave\'s option that cannot be split (2019 "NHS") and the finer later options meet in one category.',
    ],
  });
  return s.out();
}

/** "The network had 49 teams in wave 2025, up from 45 in wave 2023." */
function networkFinding(points: readonly { wave: number; teams: number }[]): string {
  const last = points[points.length - 1];
  const first = points[0];
  if (!last || !first) return 'Teams in the network by wave.';
  if (first === last) return `The network had ${formatCount(last.teams)} teams in wave ${last.wave}.`;
  const how = last.teams > first.teams ? 'up from' : last.teams < first.teams ? 'down from' : 'the same as';
  return `The network had ${formatCount(last.teams)} teams in wave ${last.wave}, ${how} ${formatCount(first.teams)} in wave ${first.wave}.`;
}

/** Harmonised funding categories (sql/003) in readers' words. */
const FUNDING_WORDS: Record<string, string> = {
  nhs: 'the NHS',
  local_authority: 'a local authority',
  charity: 'a charity or the voluntary sector',
  other: 'other sources',
};
