import type { Row } from '../csv.ts';
import { formatCount } from '../format.ts';
import { formatCell } from '../disclosure.ts';
import type { PublicTable } from '../disclosure.ts';
import { cellAt, complementRelated, isShown, protectCounts, protectGrid, type Protection } from '../protect.ts';
import { groupLabel, groupYears } from '../year-groups.ts';
import { returnKey, type WaveData } from '../input.ts';
import { asked, teamsWithStatus } from '../measures.ts';
import { Section, type Env, type SectionOut } from '../model.ts';

/**
 * Teams by wave and status, protected: each wave's total is the whole network (shown), its status
 * cells are not. Section 7 reads its counts from here, so both sections withhold the same cells.
 */
export function teamsByWave(
  waves: readonly WaveData[],
  p: Protection,
): { statusCols: { code: string; label: string }[]; grid: PublicTable } {
  const statusCols = [
    { code: 'established', label: 'Established' },
    { code: 'in_development', label: 'In development' },
    { code: 'not_answered', label: 'Not stated or not asked' },
  ].filter((c) => c.code !== 'not_answered' || waves.some((w) => teamsWithStatus(w, 'not_answered') > 0));
  const grid = protectGrid(
    {
      rows: waves.map((w) => String(w.wave)),
      cols: statusCols.map((c) => c.label),
      counts: waves.map((w) => statusCols.map((c) => teamsWithStatus(w, c.code))),
      totals: { rows: true, cols: false },
      wholeNationRows: waves.map((w) => String(w.wave)),
    },
    p,
  );
  return { statusCols, grid };
}

/** report.md section 1: teams in the network by wave, cumulative teams by year established, new and departed teams. */
export async function growthSection(env: Env, d: WaveData, waves: readonly WaveData[]): Promise<SectionOut> {
  const s = new Section('growth', '1. Growth of teams', env);
  const def = s.def(
    'teams',
    'Teams in the network for a wave: teams with a loaded return for the wave (a superseded return of a resubmission never counts), by the status the return gives.',
  );
  const records = d.teams.map((t) => returnKey(t.returnId));
  const { statusCols, grid } = teamsByWave(waves, env.protection);
  const at = waves.findIndex((w) => w.wave === d.wave);
  const total = cellAt(grid, at, statusCols.length);
  s.figure({
    id: 'growth.teams',
    label: `Teams in the network, wave ${d.wave}`,
    value: total.value,
    text: formatCell(total),
    unit: 'teams',
    definition: def,
    records,
  });
  statusCols.forEach((c, j) => {
    const cell = cellAt(grid, at, j);
    const ids = d.teams.filter((t) => (t.status ?? 'not_answered') === c.code).map((t) => returnKey(t.returnId));
    s.figure({
      id: `growth.status.${c.code}`,
      label: `${c.label} teams, wave ${d.wave}`,
      value: cell.value,
      ...(isShown(cell) ? {} : { status: 'c' as const }),
      text: formatCell(cell),
      unit: 'teams',
      definition: def,
      records: ids,
    });
  });
  const parts = statusCols.map((c, j) => `${formatCell(cellAt(grid, at, j))} ${c.label.toLowerCase()}`).join(', ');
  s.para(`In wave ${d.wave}, ${formatCell(total)} teams sent a return that counts: ${parts}.`);

  const flowDef = s.def(
    'flow',
    'New teams: teams whose first loaded return is in this wave. Teams of the previous wave with a loaded return then and none now, split into those registered as having left the network (no longer running) and the rest.',
  );
  const f = d.flow;
  const flowLabels = [
    'New teams',
    'Left the network since the previous wave',
    'In the previous wave, no return this wave',
  ];
  const flowTable = protectCounts(
    flowLabels,
    f ? [f.newTeams, f.leftNetwork, f.previousNoReturn] : [0, 0, 0],
    false,
    env.protection,
  );
  // previous + new = now + left + no return: one withheld count of the three would follow by subtraction
  const flowCells = complementRelated(flowLabels.map((_, i) => cellAt(flowTable, i)));
  flowLabels.forEach((label, i) => {
    const c = flowCells[i]!;
    s.figure({
      id: `growth.flow.${i}`,
      label,
      value: c.value,
      ...(isShown(c) ? {} : { status: 'c' as const }),
      text: formatCell(c),
      unit: 'teams',
      definition: flowDef,
      records: [],
    });
  });
  s.para(
    f?.previousWave
      ? `Compared with wave ${f.previousWave}: ${flowLabels.map((l, i) => `${l.toLowerCase()}: ${formatCell(flowCells[i]!)}`).join('; ')}.`
      : `Wave ${d.wave} is the first wave loaded, so there is no earlier wave to compare with.`,
  );

  const byYear = groupYears(
    d.established.map((e) => ({ year: e.year, teams: e.teams })),
    env.publicBuild ? env.params.disclosure.threshold : 1,
  );
  const noYear = d.teams.length - d.established.reduce((n, e) => n + e.teams, 0);
  const yearDef = s.def(
    'established',
    'Cumulative teams by the year they first saw families (year_established), among teams with a loaded return for the wave that gave a year.',
  );
  const yearNote = `${noYear} of ${d.teams.length} teams did not give a year and are left out.${env.publicBuild ? ` Years are grouped so that every step adds at least ${env.params.disclosure.threshold} teams.` : ''}`;
  if (asked(d, 'year_established') && byYear.length > 0) {
    await s.line(
      {
        title: `Teams by year established (cumulative), wave ${d.wave}`,
        denominator: `${d.teams.length - noYear} teams that gave a year (${noYear} did not answer)`,
        source: env.source,
        xTitle: 'Year the team first saw families',
        yTitle: 'Teams (cumulative)',
        series: [{ name: 'Teams', points: byYear.map((g) => ({ x: g.to, y: g.cumulative })) }],
      },
      byYear.length > 1
        ? `The network grew from ${formatCount(byYear[0]!.cumulative)} teams established by ${byYear[0]!.to} to ${formatCount(byYear[byYear.length - 1]!.cumulative)} by ${byYear[byYear.length - 1]!.to}.`
        : `${formatCount(byYear[0]!.cumulative)} teams had been established by ${byYear[0]!.to}.`,
      yearNote,
    );
    byYear.forEach((g) =>
      s.figure({
        id: `growth.established.${groupLabel(g)}`,
        label: `Teams established by the end of ${g.to}`,
        value: { low: g.cumulative, high: g.cumulative },
        text: String(g.cumulative),
        unit: 'teams',
        definition: yearDef,
        records: [],
      }),
    );
    s.table({
      name: 'established_by_year',
      title: `Teams by year established, wave ${d.wave}`,
      columns: [
        { key: 'years', header: 'Year established', kind: 'text' },
        { key: 'teams', header: 'Teams', kind: 'number' },
        { key: 'cumulative', header: 'Cumulative teams', kind: 'number' },
      ],
      rows: byYear.map((g): Row => ({ years: groupLabel(g), teams: g.teams, cumulative: g.cumulative })),
      notes: [yearNote],
    });
  }
  const rows: Row[] = waves.map((w, i) => ({
    wave: String(w.wave),
    ...Object.fromEntries(statusCols.map((c, j) => [c.code, cellAt(grid, i, j)])),
    total: cellAt(grid, i, statusCols.length),
  }));
  s.table(
    {
      name: 'teams_by_wave',
      title: 'Teams in the network by wave',
      columns: [
        { key: 'wave', header: 'Wave', kind: 'text' },
        ...statusCols.map((c) => ({ key: c.code, header: c.label, kind: 'number' as const })),
        { key: 'total', header: 'Total', kind: 'number' },
      ],
      rows,
      notes: [
        'Teams with a loaded return for the wave; "not stated or not asked" includes waves whose questionnaire did not ask the status.',
      ],
    },
    grid,
  );
  return s.out();
}
