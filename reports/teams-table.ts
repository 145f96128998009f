import type { PublicTable } from './disclosure.ts';
import type { Row } from './csv.ts';
import { cellAt, protectGrid } from './protect.ts';
import type { WaveData } from './input.ts';
import { optionsOf } from './measures.ts';
import type { Section } from './model.ts';

/**
 * Teams by nation and status for one wave, in the question list's option order, with row and column
 * totals. Each nation's total is a whole nation (report.md exempts it from suppression); the cells of
 * nation x status are not.
 */
export function teamsByNationStatus(s: Section, d: WaveData): PublicTable {
  const nation = (t: WaveData['teams'][number]): string => t.nation ?? 'not_answered';
  const status = (t: WaveData['teams'][number]): string => t.status ?? 'not_answered';
  const nations = [...optionsOf(d, 'nation'), { code: 'not_answered', label: 'Not answered' }].filter(
    (n) => n.code !== 'not_answered' || d.teams.some((t) => nation(t) === 'not_answered'),
  );
  const statuses = [...optionsOf(d, 'status'), { code: 'not_answered', label: 'Status not answered' }].filter(
    (x) => x.code !== 'not_answered' || d.teams.some((t) => status(t) === 'not_answered'),
  );
  const counts = nations.map((n) =>
    statuses.map((x) => d.teams.filter((t) => nation(t) === n.code && status(t) === x.code).length),
  );
  const grid = protectGrid(
    {
      rows: nations.map((n) => n.label),
      cols: statuses.map((x) => x.label),
      counts,
      totals: { rows: true, cols: true },
      wholeNationRows: nations.filter((n) => n.code !== 'not_answered').map((n) => n.label),
    },
    s.env.protection,
  );
  const rows: Row[] = grid.rows.map((label, i) => ({
    nation: label,
    ...Object.fromEntries(statuses.map((x, j) => [x.code, cellAt(grid, i, j)])),
    total: cellAt(grid, i, statuses.length),
  }));
  s.table(
    {
      name: 'teams_by_nation_status',
      title: `Teams by nation and status, wave ${d.wave}`,
      columns: [
        { key: 'nation', header: 'Nation', kind: 'text' },
        ...statuses.map((x) => ({ key: x.code, header: x.label, kind: 'number' as const })),
        { key: 'total', header: 'Total', kind: 'number' },
      ],
      rows,
      notes: ['Teams with a loaded return for the wave; superseded, conflicting and rejected returns are not counted.'],
    },
    grid,
  );
  return grid;
}
