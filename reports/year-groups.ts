/**
 * Years grouped so that every group holds at least `minimum` teams. A public build charts cumulative
 * teams by year established per group: yearly steps of one or two teams would be cells below the
 * disclosure threshold, readable by subtracting neighbouring cumulative counts.
 */
export interface YearCount {
  readonly year: number;
  readonly teams: number;
}

export interface YearGroup {
  readonly from: number;
  readonly to: number;
  readonly teams: number;
  readonly cumulative: number;
}

export function groupYears(rows: readonly YearCount[], minimum: number): YearGroup[] {
  const sorted = [...rows].filter((r) => r.teams > 0).sort((a, b) => a.year - b.year);
  const groups: { from: number; to: number; teams: number }[] = [];
  let open: { from: number; to: number; teams: number } | null = null;
  for (const r of sorted) {
    open ??= { from: r.year, to: r.year, teams: 0 };
    open.to = r.year;
    open.teams += r.teams;
    if (open.teams >= minimum) {
      groups.push(open);
      open = null;
    }
  }
  if (open) {
    // A short last group joins the one before it; alone it would be a small cell.
    const last = groups[groups.length - 1];
    if (last) {
      last.to = open.to;
      last.teams += open.teams;
    } else groups.push(open);
  }
  let cumulative = 0;
  return groups.map((g) => {
    cumulative += g.teams;
    return { ...g, cumulative };
  });
}

export function groupLabel(g: Pick<YearGroup, 'from' | 'to'>): string {
  return g.from === g.to ? String(g.from) : `${g.from}-${g.to}`;
}
