import { formatCell } from '../disclosure.ts';
import { matchAreas, type AreaRef } from '../areas.ts';
import type { Row } from '../csv.ts';
import { formatCount, formatNumber, formatRange } from '../format.ts';
import { cellAt, isShown } from '../protect.ts';
import { largestBars, listWords } from '../statements.ts';
import { tileMapSvg, type Tile } from '../tile-map.ts';
import type { PublicCell } from '../disclosure.ts';
import { birthsFor, perTenThousandBirths, type BirthRow } from '../reach.ts';
import { answerKey, returnKey, type WaveData } from '../input.ts';
import { answered, missingReasons, onsCodeOf } from '../measures.ts';
import { Section, type Env, type SectionOut } from '../model.ts';
import { shareTable } from '../share-table.ts';
import { teamsByNationStatus } from '../teams-table.ts';

/** report.md section 2: where teams are (nation, region, per births, local authority areas) and who hosts and funds them. */
export async function whereSection(
  env: Env,
  d: WaveData,
  ref: { births: BirthRow[]; areas: AreaRef[] },
): Promise<SectionOut> {
  const s = new Section('where', '2. Where teams are and who funds them', env);
  const byNation = teamsByNationStatus(s, d);

  const england = (d.answers.get('region') ?? []).filter((a) => a.nation === 'england');
  const inEngland = {
    teams: england.length,
    answered: england.filter((a) => a.answered).length,
    notAnswered: england.filter((a) => !a.answered).length,
    ...missingReasons(england),
  };
  const region = shareTable(s, d, 'region', {
    name: 'teams_by_region',
    title: `Teams in England by region, wave ${d.wave}`,
    coverage: inEngland,
  });
  await s.bars(
    {
      title: `Teams in England by region, wave ${d.wave}`,
      denominator: `of ${region.answered} teams in England that gave a region (${region.notAnswered} did not answer)`,
      source: env.source,
      xTitle: 'Teams',
      yTitle: 'Region',
      integer: true,
      bars: region.rows.map((r) =>
        r.teams.value && r.teams.status !== 'c'
          ? { label: r.label, value: r.teams.value }
          : { label: r.label, value: null, text: formatCell(r.teams) },
      ),
    },
    (t) =>
      `${t.names} ${t.labels.length > 1 ? 'have' : 'has'} the most teams of any English region (${t.text}${t.labels.length > 1 ? ' each' : ''}).`,
    'Counts of teams with a loaded return that gave an English region; [c] marks a count withheld to protect small numbers.',
  );

  // The tile map: English regions and the other nations, each tile its published count.
  const nationTotal = (label: string) => {
    const i = byNation.rows.indexOf(label);
    return i < 0 ? null : cellAt(byNation, i, byNation.cols.length - 1);
  };
  const tiles: (Tile & { cell: PublicCell })[] = [
    ...region.rows.map((r) => ({ label: r.label, text: formatCell(r.teams), kind: 'region' as const, cell: r.teams })),
    ...byNation.rows
      .filter((l) => l !== 'Total' && l !== 'England' && l !== 'Not answered')
      .map((l) => {
        const c = nationTotal(l) ?? { value: null, status: 'x' as const };
        return { label: l, text: formatCell(c), kind: 'nation' as const, cell: c };
      }),
  ];
  if (tiles.some((t) => isShown(t.cell))) {
    const top = largestBars(
      tiles.map((t) => ({ label: t.label, value: isShown(t.cell) ? t.cell.value : null })),
      (low, high) => formatRange({ low, high }),
    )!;
    s.map(
      tileMapSvg({ title: `Teams by region and nation, wave ${d.wave}`, source: env.source, tiles }),
      `${listWords(top.labels)} ${top.labels.length > 1 ? 'have' : 'has'} the most teams of any English region or other nation (${top.text}${top.labels.length > 1 ? ' each' : ''}).`,
      `Map data (teams): ${tiles.map((t) => `${t.label}: ${t.text}`).join('; ')}.`,
      'A tile map: each English region and each other nation is one equal square, placed roughly where it lies; the number is its teams with a loaded return ([c] withheld to protect small numbers). England as a whole is in the table above.',
    );
    s.table({
      name: 'teams_by_area',
      title: `Teams by English region and by nation, wave ${d.wave}`,
      columns: [
        { key: 'area', header: 'Region or nation', kind: 'text' },
        { key: 'kind', header: 'Kind', kind: 'text' },
        { key: 'teams', header: 'Teams', kind: 'number' },
      ],
      rows: tiles.map((t): Row => ({
        area: t.label,
        kind: t.kind === 'region' ? 'English region' : 'Nation',
        teams: t.cell,
      })),
      notes: ['The data of the tile map: the same published counts as the tables of teams by nation and by region.'],
    });
  }

  const birthsDef = s.def(
    'per_births',
    'Teams with a loaded return in the nations an area of the reference live births covers, per 10,000 live births in the area (latest year up to the wave; England and Wales share one ONS figure).',
  );
  const rows: Row[] = env.params.birthAreas.map((area) => {
    const teams = d.teams.filter((t) => t.nation !== null && area.nations.includes(t.nation as never));
    const births = birthsFor(ref.births, area.code, null, d.wave);
    const rate = births ? perTenThousandBirths(teams.length, births.births) : null;
    s.figure({
      id: `where.per_births.${area.code}`,
      label: `Teams per 10,000 births, ${area.name}`,
      value: rate === null ? null : { low: rate, high: rate },
      ...(rate === null ? { status: 'x' as const } : {}),
      text: rate === null ? '[x]' : formatNumber(rate, 2),
      unit: 'teams per 10,000 births',
      wholeNation: true,
      definition: birthsDef,
      records: teams.map((t) => returnKey(t.returnId)),
    });
    return {
      area: area.name,
      teams: teams.length,
      year: births ? String(births.year) : null,
      births: births?.births ?? null,
      rate,
    };
  });
  s.table({
    name: 'teams_per_births',
    title: `Teams per 10,000 live births, wave ${d.wave}`,
    columns: [
      { key: 'area', header: 'Area', kind: 'text' },
      { key: 'teams', header: 'Teams', kind: 'number' },
      { key: 'year', header: 'Births year', kind: 'text' },
      { key: 'births', header: 'Live births', kind: 'number' },
      { key: 'rate', header: 'Teams per 10,000 births', kind: 'number', digits: 2 },
    ],
    rows,
    notes: [
      'Births: live births registered, as published by ONS, NRS and NISRA; England and Wales are one figure there, so their teams are counted together. Each nation is a whole group, so no count is withheld.',
    ],
  });

  shareTable(s, d, 'host_type', { name: 'host_type', title: `Type of host organisation, wave ${d.wave}` });
  shareTable(s, d, 'funding_sources', {
    name: 'funding_sources',
    title: `Sources of funding (teams with each source), wave ${d.wave}`,
  });
  shareTable(s, d, 'main_funding_source', {
    name: 'main_funding_source',
    title: `Main source of funding, wave ${d.wave}`,
  });
  areasTable(s, d, ref.areas);
  return s.out();
}

function areasTable(s: Section, d: WaveData, refs: readonly AreaRef[]): void {
  const items = answered(d, 'areas_covered').flatMap((a) =>
    a.codes.map((text) => ({ text, record: answerKey(a.returnId, 'areas_covered') })),
  );
  if (!d.list.questions.some((q) => q.id === 'areas_covered')) return;
  const match = matchAreas(items, refs);
  const def = s.def(
    'areas',
    'Local authority areas of reference/local_authorities.csv named (by name or ONS code) in the areas_covered answer of at least one team with a loaded return, by nation.',
  );
  const nations = (d.list.questions.find((q) => q.id === 'nation')?.options ?? []).map((o) => ({
    label: o.label,
    ons: onsCodeOf(d, 'nation', o.code),
  }));
  const rows: Row[] = nations.map((n) => {
    const inNation = refs.filter((r) => r.nationCode === n.ons);
    const withTeam = inNation.filter((r) => match.covered.has(r.code));
    const records = withTeam.flatMap((r) => match.covered.get(r.code) ?? []);
    s.figure({
      id: `where.areas.${n.ons ?? n.label}.with`,
      label: `Local authority areas with a team, ${n.label}`,
      value: { low: withTeam.length, high: withTeam.length },
      text: formatCount(withTeam.length),
      unit: 'areas',
      definition: def,
      records,
    });
    s.figure({
      id: `where.areas.${n.ons ?? n.label}.without`,
      label: `Local authority areas without a team, ${n.label}`,
      value: { low: inNation.length - withTeam.length, high: inNation.length - withTeam.length },
      text: formatCount(inNation.length - withTeam.length),
      unit: 'areas',
      definition: def,
      records: [],
    });
    return {
      nation: n.label,
      areas: inNation.length,
      with: withTeam.length,
      without: inNation.length - withTeam.length,
    };
  });
  const answeredTeams = answered(d, 'areas_covered').length;
  s.table({
    name: 'local_authority_areas',
    title: `Local authority areas with and without a team, wave ${d.wave}`,
    columns: [
      { key: 'nation', header: 'Nation', kind: 'text' },
      { key: 'areas', header: 'Areas', kind: 'number' },
      { key: 'with', header: 'With at least one team', kind: 'number' },
      { key: 'without', header: 'Without a team', kind: 'number' },
    ],
    rows,
    notes: [
      `${answeredTeams} teams named the areas they cover (${d.teams.length - answeredTeams} did not answer); areas a team did not name count as without a team.`,
      `${match.unmatched.length} area names given by teams matched no reference area and are not counted.`,
    ],
  });
}
