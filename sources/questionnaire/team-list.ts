import { csvGrid, xlsxGrids, type Grid } from './grid.ts';
import { normaliseLabel } from '../shared/label-match.ts';

/**
 * The charity's list of known teams (csv or xlsx), for `census teams import`: one team a row under a
 * header row. Columns are found by their header, in any order, on the first sheet that has a team
 * name column:
 *   team name (required): "Team", "Team name", "Name", "Service", "Service name";
 *   host: "Host", "Host organisation", "Hosted by", "Organisation", "Provider", "Trust";
 *   first wave: "From", "From wave", "First wave", "Member since", "Since", "Joined";
 *   last wave: "To", "To wave", "Last wave", "Until", "Left", "Closed";
 *   note: "Note", "Notes", "Comment", "Comments".
 * Other columns are ignored. A row whose name is blank while others are filled, or whose waves are
 * not years (or the last before the first), is a bad row: it is reported with its row number and
 * not imported. Blank rows are skipped.
 */
type TeamListField = 'name' | 'host' | 'from' | 'to' | 'note';

interface TeamListRow {
  /** Row number as a spreadsheet shows it (csv: header is row 1). */
  row: number;
  name: string;
  host: string | null;
  fromWave: number | null;
  toWave: number | null;
  note: string | null;
}

interface TeamListProblem {
  row: number;
  message: string;
}

export interface TeamList {
  sheet: string | null;
  columns: Partial<Record<TeamListField, string>>;
  rows: TeamListRow[];
  problems: TeamListProblem[];
}

const HEADERS: Record<TeamListField, string[]> = {
  name: ['team', 'team name', 'name', 'service', 'service name', 'name of team'],
  host: [
    'host',
    'host organisation',
    'host organization',
    'hosted by',
    'organisation',
    'organization',
    'provider',
    'trust',
    'host trust',
  ],
  from: ['from', 'from wave', 'first wave', 'member since', 'since', 'joined', 'in network from', 'from year'],
  to: ['to', 'to wave', 'last wave', 'until', 'left', 'closed', 'to year', 'in network to'],
  note: ['note', 'notes', 'comment', 'comments'],
};

function fieldOf(header: string): TeamListField | null {
  const key = normaliseLabel(header);
  if (key === '') return null;
  for (const [field, names] of Object.entries(HEADERS) as [TeamListField, string[]][])
    if (names.some((n) => normaliseLabel(n) === key)) return field;
  return null;
}

function text(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  return String(raw).replace(/\s+/g, ' ').trim();
}

/** A wave as a year: "2025", 2025, "2025/26" (its first year); blank is null. */
function wave(raw: string): number | null | { problem: string } {
  if (raw === '') return null;
  const m = /^(\d{4})(?:\s*[/-]\s*\d{2,4})?$/.exec(raw);
  const year = m ? Number(m[1]) : NaN;
  if (!(year >= 1990 && year <= 2100)) return { problem: `"${raw}" is not a year (e.g. 2025)` };
  return year;
}

function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function readGrid(grid: Grid): TeamList | null {
  const headerAt = grid.rows.findIndex((r) => r.cells.some((c) => fieldOf(text(c.raw)) === 'name'));
  if (headerAt < 0) return null;
  const columns = new Map<TeamListField, number>();
  const names: Partial<Record<TeamListField, string>> = {};
  grid.rows[headerAt]!.cells.forEach((c, i) => {
    const f = fieldOf(text(c.raw));
    if (f && !columns.has(f)) {
      columns.set(f, i);
      names[f] = text(c.raw);
    }
  });
  const rows: TeamListRow[] = [];
  const problems: TeamListProblem[] = [];
  for (const r of grid.rows.slice(headerAt + 1)) {
    const get = (f: TeamListField): string => {
      const i = columns.get(f);
      return i === undefined ? '' : text(r.cells[i]?.raw);
    };
    const name = get('name');
    const host = get('host');
    const from = wave(get('from'));
    const to = wave(get('to'));
    const note = get('note');
    if (!name && !host && get('from') === '' && get('to') === '' && !note) continue;
    const wrong: string[] = [];
    if (!/\p{L}|\p{N}/u.test(name)) wrong.push(`no team name in column "${names.name}"`);
    if (from !== null && typeof from === 'object') wrong.push(`first wave ${from.problem}`);
    if (to !== null && typeof to === 'object') wrong.push(`last wave ${to.problem}`);
    if (typeof from === 'number' && typeof to === 'number' && to < from)
      wrong.push(`last wave ${to} is before first wave ${from}`);
    if (wrong.length) {
      problems.push({ row: r.n, message: `${wrong.join('; ')}${name ? ` (team "${name}")` : ''}` });
      continue;
    }
    rows.push({
      row: r.n,
      name,
      host: host || null,
      fromWave: typeof from === 'number' ? from : null,
      toWave: typeof to === 'number' ? to : null,
      note: note || null,
    });
  }
  return { sheet: grid.sheet ?? null, columns: names, rows, problems };
}

/** Reads a team list; null when no sheet has a header row with a team name column. */
export async function readTeamList(bytes: Buffer): Promise<TeamList | null> {
  const grids = isXlsx(bytes) ? await xlsxGrids(bytes, '') : [csvGrid(bytes, '', (s) => fieldOf(s) !== null)];
  for (const g of grids) {
    const list = readGrid(g);
    if (list) return list;
  }
  return null;
}
