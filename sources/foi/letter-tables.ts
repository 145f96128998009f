import { normalise } from './coded.ts';
import { findPeriods } from './period.ts';
import type { Line } from './prose.ts';

/**
 * The table lines of a letter put back together before they are read (sources/foi/letter.ts): a header
 * the PDF gives stacked or one word group per line, counts that wrap inside their cells, a table continued
 * over a page with its header repeated.
 */

/**
 * A table that runs on over a page break with its header repeated ("Table continued" / the letterhead /
 * "Team | Received 2021/22 | ..."): one table, its rows read together (so its teams are summed once). Only
 * when what lies between holds no period, so it cannot be a second table's own title, and is short.
 */
export function continuedTables(runs: { table: boolean; lines: Line[] }[]): void {
  const key = (l: Line | undefined) => (l?.cells ?? []).map((c) => normalise(c).trim()).join('|');
  for (let i = 0; i < runs.length; i++) {
    const head = key(runs[i]!.lines[0]);
    if (!runs[i]!.table || head === '' || findPeriods(head).length === 0) continue;
    const k = runs.findIndex((r, n) => n > i && n <= i + 6 && r.table && key(r.lines[0]) === head);
    if (k < 0) continue;
    const between = runs.slice(i + 1, k).flatMap((r) => r.lines);
    if (between.length > 10 || between.some((l) => findPeriods(normalise(l.text)).length > 0)) continue;
    runs[i]!.lines.push(...runs[k]!.lines.slice(1));
    runs.splice(i + 1, k - i);
    i -= 1;
  }
}

/** A line that is nothing but a period label ("Jan 23", "2022/23"). */
export function isPeriodOnly(text: string): boolean {
  const t = normalise(text);
  const spans = findPeriods(t);
  return spans.length === 1 && spans[0]!.index === 0 && spans[0]!.text.trim().length === t.length;
}

// The start of a count cut off at the cell's edge ("Less than" over "5").
const CUT_COUNT = /^\s*(?:(?:less|fewer) than|<|under|below|between \d+ and|up to)\s*$/i;

/**
 * A row of a table whose counts wrap inside their cells ("Received | Less than | 6 | 8" over a line "5"):
 * the numbers of the line below complete the cut cells in order, when there are exactly as many of them.
 */
export function rejoinWrappedCounts(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const cut = (l.cells ?? []).map((c, k) => (CUT_COUNT.test(c) ? k : -1)).filter((k) => k >= 0);
    const next = lines[i + 1];
    const tokens = next === undefined ? [] : (next.cells ?? next.text.trim().split(/\s+/)).map((t) => t.trim());
    if (cut.length === 0 || tokens.length !== cut.length || !tokens.every((t) => /^\d+$/.test(t))) {
      out.push(l);
      continue;
    }
    const cells = [...l.cells!];
    cut.forEach((k, n) => (cells[k] = `${cells[k]!.trim()} ${tokens[n]}`));
    out.push({ ...l, cells, text: `${l.text} ${next!.text.trim()}` });
    i += 1;
  }
  return out;
}

/**
 * A header that comes out of the PDF one word group per line, column after column ("Financial" / "year" /
 * "Number of" / "referrals" / "received" / "Number of" / ...), straight above the first data row
 * ("2021/22 | 22 | 19"): the pieces are put back into columns as joinWrappedHeaders does (a piece in lower
 * case or "(" continues the column before it), and used only when that makes exactly as many columns as the
 * data row has cells. The pieces are short lines with no sentence stop; anything else ends the run.
 */
function headerFromPieces(lines: readonly Line[]): Line[] {
  const out = [...lines];
  for (let j = out.length - 1; j > 0; j--) {
    const data = out[j]!;
    if ((data.cells?.length ?? 0) < 2 || !data.cells!.slice(1).every((c) => /\d|^\s*[*<>-]/.test(c))) continue;
    let k = j;
    while (
      k > 0 &&
      j - k < 14 &&
      out[k - 1]!.cells === undefined &&
      out[k - 1]!.text.trim().length > 0 &&
      out[k - 1]!.text.trim().length <= 60 &&
      !/[.:;?!]\s*$/.test(out[k - 1]!.text)
    )
      k--;
    if (j - k < 2) continue;
    const cells: string[] = [];
    for (const piece of out.slice(k, j).map((l) => l.text.trim())) {
      const prev = cells[cells.length - 1];
      const open = prev !== undefined && (prev.match(/\(/g) ?? []).length > (prev.match(/\)/g) ?? []).length;
      if (prev !== undefined && (open || /^[a-z(<]/.test(piece))) cells[cells.length - 1] = `${prev} ${piece}`;
      else cells.push(piece);
    }
    if (cells.length !== data.cells!.length || !cells.some((c) => /\breferr|\breceiv|\baccept|\bnumber\b/i.test(c)))
      continue;
    const text = out
      .slice(k, j)
      .map((l) => l.text.trim())
      .join(' ');
    out.splice(k, j - k, { ...out[k]!, text, cells });
    j = k;
  }
  return out;
}

/**
 * A header whose cells are set one below the other (each a line lower than the one before) comes out of the
 * PDF as one cell holding them all, tab-separated ("Team" | "Received 2021/22\tReceived 2022/23\t..."): its
 * pieces are the header's columns when that makes it exactly as wide as the data row under it.
 */
function splitStackedHeader(l: Line, next: Line | undefined): Line {
  if (!l.cells || !l.cells.some((c) => c.includes('\t')) || !next?.cells) return l;
  const cells = l.cells.flatMap((c) => c.split('\t').map((t) => t.trim()));
  return cells.length === next.cells.length ? { ...l, cells } : l;
}

/**
 * A table header that wraps in the PDF comes out as its first line of cells and then one short line per
 * lost piece ("months)", "Referrals accepted", "<18", "wait (days)"). The pieces are put back into
 * columns: a piece that starts in lower case, with "(", "<" or a digit continues the column before it,
 * any other starts the next column. The header is rebuilt only when it then has exactly as many
 * columns as the data row under it; otherwise the lines are left as they were.
 */
export function joinWrappedHeaders(given: readonly Line[]): Line[] {
  const lines = headerFromPieces(given.map((l, i) => splitStackedHeader(l, given[i + 1])));
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i]!;
    out.push(head);
    if ((head.cells?.length ?? 0) < 2 || head.cells!.some((c) => /^[\d,.]+$/.test(c.trim()))) continue;
    let j = i + 1;
    while (j < lines.length && j - i <= 14 && (lines[j]!.cells?.length ?? 0) < 2 && lines[j]!.text.trim().length <= 40)
      j++;
    const data = lines[j];
    if (j === i + 1 || data === undefined || (data.cells?.length ?? 0) < 2) continue;
    const cells = [...head.cells!];
    for (const piece of lines
      .slice(i + 1, j)
      .map((l) => l.text.trim())
      .filter((t) => t !== '')) {
      const prev = cells[cells.length - 1]!;
      const open = (prev.match(/\(/g) ?? []).length > (prev.match(/\)/g) ?? []).length;
      if (open || /^[a-z(<\d)]/.test(piece)) cells[cells.length - 1] = `${prev} ${piece}`;
      else cells.push(piece);
    }
    if (cells.length !== data.cells!.length) continue;
    out[out.length - 1] = {
      ...head,
      text: lines
        .slice(i, j)
        .map((l) => l.text.trim())
        .join(' '),
      cells,
    };
    i = j - 1;
  }
  return out;
}
