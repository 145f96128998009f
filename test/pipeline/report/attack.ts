/**
 * A determined reader's attack on a public build: from every public file together (figures.json,
 * manifest.json, report.html with its chart SVGs, tables/*.csv), try to recover each cell or figure
 * the build withholds. The truth comes from a build of the same data with threshold 0 (same shapes,
 * nothing withheld) and, for the records behind each figure, from the internal build.
 *
 * Attacks:
 * - json: a withheld figure that still carries its value, its records (a count, a hash) or its text;
 * - differencing: subtraction along every shown total of every protected table, followed to a fixed
 *   point, with lower bounds counted from the per-trust FOI table (a trust whose figure is printed
 *   lies in one band, so the band holds at least the trusts printed in it);
 * - nested groups: two rows of a table counting nested groups of teams (UK, England) whose
 *   difference is a small group, with the families of both printed;
 * - sentences: a withheld row named in the prose of report.html (outside tables and charts);
 * - charts: a withheld cell drawn as a bar (a chart label that is a number where the table says [c]);
 * - twins: a withheld range printed again by another figure (the over-time table repeating a section);
 * - small groups: a shown figure resting on 1..threshold-1 teams or trusts (an extreme, one team's answer).
 */
import { contributors } from '../../../reports/protect.ts';

type Outputs = ReadonlyMap<string, Buffer>;
interface Bounds {
  low: number;
  high: number | null;
}
interface JsonFigure {
  id: string;
  value: Bounds | null;
  status: string | null;
  text: string;
  records: unknown;
  group?: string;
  [k: string]: unknown;
}
interface JsonTable {
  rows: string[];
  cols: string[];
  totals: { rows: boolean; cols: boolean };
  cells: { value: Bounds | null; status: string | null }[][];
}
interface FiguresJson {
  figures: JsonFigure[];
  tables: Record<string, JsonTable>;
}

export interface Recovery {
  readonly attack: 'json' | 'differencing' | 'nested' | 'sentence' | 'chart' | 'small-group';
  readonly target: string;
  readonly how: string;
}

const figuresOf = (o: Outputs): FiguresJson => JSON.parse(o.get('figures.json')!.toString('utf8')) as FiguresJson;

/** A minimal RFC 4180 reader (the build's csv: quoted fields, doubled quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(field), (field = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      (row.push(field), rows.push(row), (row = []), (field = ''));
    } else field += ch;
  }
  if (field !== '' || row.length > 0) (row.push(field), rows.push(row));
  return rows;
}

/** A band label as the interval of values it holds: "0", "1-10", "Over 100", "More than 300", "Fewer than 25". */
function bandInterval(label: string): Bounds | null {
  const t = label.trim().toLowerCase().replace(/,/g, '');
  let m = /^(\d+)$/.exec(t);
  if (m) return { low: Number(m[1]), high: Number(m[1]) };
  m = /^(\d+)\s*(?:-|to)\s*(\d+)$/.exec(t);
  if (m) return { low: Number(m[1]), high: Number(m[2]) };
  m = /^(?:over|more than)\s+(\d+)$/.exec(t);
  if (m) return { low: Number(m[1]) + 1, high: null };
  m = /^(?:fewer than|under|less than)\s+(\d+)$/.exec(t);
  if (m) return { low: 0, high: Number(m[1]) - 1 };
  return null;
}

const exact = (b: Bounds | null | undefined): number | undefined =>
  b && b.high !== null && b.low === b.high ? b.low : undefined;

/** The prose of the report's sections holding a table with every one of `rows`. */
function proseNear(html: string, rows: readonly string[]): string {
  const blocks = html.match(/<section[\s\S]*?<\/section>/g) ?? [];
  return blocks
    .filter((b) =>
      (b.match(/<table[\s\S]*?<\/table>/g) ?? []).some((t) => {
        const cells = prose(t.replace(/<\/?table[^>]*>/g, ''));
        return rows.every((r) => r === 'Total' || cells.includes(r));
      }),
    )
    .map(prose)
    .join(' ');
}

/** Visible prose of report.html: paragraphs outside tables, charts and chart-data summaries, tags removed. */
function prose(html: string): string {
  return (
    html
      .replace(/<table[\s\S]*?<\/table>/g, ' ')
      .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
      // A chart's values as text for screen readers: its data table again, row by row, not prose.
      .replace(/<p class="visually-hidden"[^>]*>[\s\S]*?<\/p>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
  );
}

/** Lower bounds on band counts, from a per-trust csv whose referrals column prints each trust's figure. */
function perTrustLowerBounds(pub: Outputs, table: JsonTable): Map<number, number> {
  const out = new Map<number, number>();
  for (const [path, bytes] of pub) {
    if (!path.startsWith('tables/')) continue;
    const rows = parseCsv(bytes.toString('utf8'));
    const header = rows[0] ?? [];
    const lo = header.findIndex((h) => /referrals.*\(low\)$/i.test(h));
    const hi = header.findIndex((h) => /referrals.*\(high\)$/i.test(h));
    if (lo < 0 || hi < 0 || !header.some((h) => /^trust$/i.test(h))) continue;
    for (const r of rows.slice(1)) {
      const [a, b] = [Number(r[lo]), Number(r[hi])];
      if (!Number.isFinite(a) || !Number.isFinite(b) || r[lo] === '' || r[hi] === '') continue;
      const fits = table.rows.flatMap((label, i) => {
        const band = bandInterval(label);
        return band && a >= band.low && (band.high === null || b <= band.high) ? [i] : [];
      });
      // A figure inside no single band is counted in the table's "spans bands" row, if it has one.
      const spans = table.rows.findIndex((l) => /span/i.test(l));
      for (const i of fits.length > 0 ? fits : spans >= 0 ? [spans] : []) out.set(i, (out.get(i) ?? 0) + 1);
    }
  }
  return out;
}

/** Subtraction along every shown total to a fixed point; returns the interval each cell is known to lie in. */
function solve(t: JsonTable, lower: Map<number, number>): (Bounds | null)[][] {
  const known: { low: number; high: number }[][] = t.cells.map((r, i) =>
    r.map((c) => {
      if (c.status === 'c' || c.value === null)
        return { low: t.cols.length === 1 ? (lower.get(i) ?? 0) : 0, high: Infinity };
      return { low: c.value.low, high: c.value.high ?? Infinity };
    }),
  );
  const lines: { parts: [number, number][]; total: [number, number] }[] = [];
  const counted = (i: number, j: number) => !['x', 'z'].includes(t.cells[i]![j]!.status ?? '');
  const nr = t.rows.length - (t.totals.cols ? 1 : 0);
  const nc = t.cols.length - (t.totals.rows ? 1 : 0);
  if (t.totals.rows)
    for (let i = 0; i < t.rows.length; i++)
      lines.push({
        parts: [...Array(nc).keys()].filter((j) => counted(i, j)).map((j) => [i, j]),
        total: [i, nc],
      });
  if (t.totals.cols)
    for (let j = 0; j < t.cols.length; j++)
      lines.push({ parts: [...Array(nr).keys()].filter((i) => counted(i, j)).map((i) => [i, j]), total: [nr, j] });
  for (let changed = true, guard = 0; changed && guard < 100; guard++) {
    changed = false;
    for (const { parts, total } of lines) {
      if (!counted(total[0], total[1])) continue;
      const T = known[total[0]]![total[1]]!;
      const cells = parts.map(([i, j]) => known[i]![j]!);
      const sumLow = cells.reduce((a, c) => a + c.low, 0);
      const sumHigh = cells.reduce((a, c) => a + c.high, 0);
      const tighten = (c: { low: number; high: number }, low: number, high: number) => {
        if (low > c.low) ((c.low = low), (changed = true));
        if (high < c.high) ((c.high = high), (changed = true));
      };
      tighten(T, sumLow, sumHigh);
      for (const c of cells) tighten(c, T.low - (sumHigh - c.high), T.high - (sumLow - c.low));
    }
  }
  return known.map((r) => r.map((c) => ({ low: c.low, high: Number.isFinite(c.high) ? c.high : null })));
}

/** Every withheld cell and figure of `pub` that the attacks recover; the truth is `open` (threshold 0) and `internal`. */
export function attack(pub: Outputs, open: Outputs, internal: Outputs, threshold: number): Recovery[] {
  const found: Recovery[] = [];
  const P = figuresOf(pub);
  const O = figuresOf(open);
  const I = figuresOf(internal);
  const openFig = new Map(O.figures.map((f) => [f.id, f]));
  const internalFig = new Map(I.figures.map((f) => [f.id, f]));
  const html = pub.get('report.html')!.toString('utf8');
  const text = prose(html);

  // json: a withheld figure keeps nothing of its value.
  for (const f of P.figures) {
    if (f.records !== null && f.records !== undefined)
      found.push({
        attack: 'json',
        target: f.id,
        how: `public figure lists its records: ${JSON.stringify(f.records)}`,
      });
    if (f.status !== 'c') continue;
    const truth = openFig.get(f.id);
    const v = exact(truth?.value);
    if (f.value !== null || f.text !== '[c]')
      found.push({ attack: 'json', target: f.id, how: `withheld figure prints ${JSON.stringify([f.value, f.text])}` });
    const { denominator: _d, ...rest } = f;
    if (v !== undefined && v >= 1 && JSON.stringify(rest).match(new RegExp(`[^0-9.]${v}[^0-9.]`)))
      found.push({ attack: 'json', target: f.id, how: `the value ${v} appears in its JSON object` });
    // A withheld band name (text only): named anywhere in the prose.
    if (truth && truth.value === null && truth.text.length > 3 && text.toLowerCase().includes(truth.text.toLowerCase()))
      found.push({ attack: 'sentence', target: f.id, how: `"${truth.text}" is named in the report's prose` });
  }

  // Tables: differencing, per-trust counting, sentences naming a withheld row, charts drawing it.
  for (const [name, t] of Object.entries(P.tables)) {
    const truth = O.tables[name];
    if (!truth) continue;
    const lower = t.cols.length === 1 ? perTrustLowerBounds(pub, t) : new Map<number, number>();
    const known = solve(t, lower);
    const near = proseNear(html, t.rows);
    t.cells.forEach((r, i) =>
      r.forEach((c, j) => {
        if (c.status !== 'c') return;
        const target = `${name}[${t.rows[i]}, ${t.cols[j]}]`;
        const v = exact(truth.cells[i]?.[j]?.value);
        const k = known[i]![j]!;
        if (v !== undefined && exact(k) === v)
          found.push({ attack: 'differencing', target, how: `${v} follows from the totals and the per-trust table` });
        const label = t.rows[i]!;
        if (label !== 'Total' && !/^\d+$/.test(label)) {
          const quoted = new RegExp(`"${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'i');
          if (quoted.test(near)) found.push({ attack: 'sentence', target, how: `the prose names "${label}"` });
        }
      }),
    );
  }
  // Charts: a withheld row drawn with a number: a chart holding every row of a protected table prints
  // at least as many "[c]" labels as the table withholds rows (of some table with those rows).
  for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) {
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.trim());
    const cNow = labels.filter((l) => l === '[c]').length;
    const tables = Object.entries(P.tables).filter(([, t]) =>
      t.rows.filter((r) => r !== 'Total').every((r) => labels.includes(r)),
    );
    const need = tables.map(([name, t]) => ({
      name,
      rows: t.cells.filter((r, i) => t.rows[i] !== 'Total' && r.some((c) => c.status === 'c')).length,
    }));
    if (need.length > 0 && need.every((n) => n.rows > cNow))
      found.push({
        attack: 'chart',
        target: need.map((n) => n.name).join(', '),
        how: `the chart prints ${cNow} "[c]" where the table withholds ${need[0]!.rows} rows`,
      });
  }
  // Nested groups: rows counting nested groups of teams with both families printed.
  const reach = pub.get('tables/reach.csv');
  if (reach) {
    const rows = parseCsv(reach.toString('utf8'));
    const h = rows[0]!;
    const teams = h.findIndex((x) => /^teams counted$/i.test(x));
    const famLow = h.findIndex((x) => /^families supported \(low\)$/i.test(x));
    const body = rows.slice(1).filter((r) => r.length === h.length);
    for (const a of body)
      for (const b of body) {
        const d = Number(a[teams]) - Number(b[teams]);
        if (d >= 1 && d < threshold && Number.isFinite(Number(a[famLow])) && Number.isFinite(Number(b[famLow])))
          found.push({
            attack: 'nested',
            target: `reach[${a[0]} - ${b[0]}]`,
            how: `${d} teams' families = ${Number(a[famLow]) - Number(b[famLow])} (low end) by subtraction`,
          });
      }
  }
  // The same quantity printed elsewhere: a withheld figure whose true range (a percentage, a sum of
  // families) is shown by another figure of the same unit, e.g. the over-time table repeating section 4.
  for (const f of P.figures) {
    if (f.status !== 'c') continue;
    const v = openFig.get(f.id)?.value;
    const unit = openFig.get(f.id)?.unit;
    if (!v || v.high === null || v.high === v.low || v.low <= 0) continue;
    const twin = P.figures.find(
      (g) => g.id !== f.id && g.status !== 'c' && g.unit === unit && g.value?.low === v.low && g.value?.high === v.high,
    );
    if (twin) found.push({ attack: 'json', target: f.id, how: `${twin.id} prints its value (${twin.text})` });
  }
  // Small groups: a shown figure resting on fewer than `threshold` teams or trusts.
  for (const f of P.figures) {
    if (f.status === 'c' || f.status === 'x' || f.status === 'z' || f.group === 'nation') continue;
    const recs = internalFig.get(f.id)?.records;
    if (!Array.isArray(recs)) continue;
    if (/\b(smallest|largest|minimum|maximum|lowest|highest)\b/i.test(String(f.label)) && f.unit !== 'band')
      found.push({ attack: 'small-group', target: f.id, how: `an extreme, "${f.text}", is one team's own answer` });
    const n = contributors(recs as string[]);
    if (n >= 1 && n < threshold)
      found.push({ attack: 'small-group', target: f.id, how: `"${f.text}" rests on ${n} teams or trusts` });
  }
  return found;
}

/** Every withheld cell and figure of a public build, for the test to say how much it attacked. */
export function withheld(pub: Outputs): string[] {
  const P = figuresOf(pub);
  const cells = Object.entries(P.tables).flatMap(([name, t]) =>
    t.cells.flatMap((r, i) => r.flatMap((c, j) => (c.status === 'c' ? [`${name}[${t.rows[i]}, ${t.cols[j]}]`] : []))),
  );
  return [...cells, ...P.figures.filter((f) => f.status === 'c').map((f) => f.id)];
}

/** One public build with its truth: the same wave built with threshold 0 (nothing withheld). */
export interface WaveBuild {
  readonly wave: number;
  readonly pub: Outputs;
  readonly open: Outputs;
}
interface Iv {
  low: number;
  high: number;
}

/**
 * Differencing across tables and across waves: every public build given (this wave's and the previous
 * waves') is read as one system of sums a reader knows hold, and interval subtraction is followed to a
 * fixed point over all of them together:
 * - every shown total of every table (as `attack` does within one table);
 * - the same count printed twice: the network by status (teams_by_nation_status's Total row, the
 *   growth figures, teams_by_wave's row of that wave in any build, the over-time figures of that wave
 *   in any build; figures of one wave in the over-time table are one quantity in every build);
 * - a nation and its regions: the regions' total plus the teams not giving a region is England's total;
 * - wave on wave: teams of the previous wave + new teams = teams now + teams that left + teams with no return.
 * A withheld count is recovered when its interval shrinks to its true value. A withheld figure of one
 * wave's over-time column that another build prints is recovered outright.
 */
export function attackAcross(builds: readonly WaveBuild[]): Recovery[] {
  const found: Recovery[] = [];
  const known = new Map<string, Iv>();
  const truth = new Map<string, number | undefined>();
  const withheldKeys = new Set<string>();
  const shownText = new Map<string, string>();
  const eqs: { lhs: string[]; rhs: string[] }[] = [];
  const at = (w: number, table: string, row: string, col: string) => `${w}:${table}[${row}|${col}]`;
  // Over-time figures are one quantity per wave whatever build prints them; other figures belong to their build.
  const figKey = (w: number, id: string) => (/^over-time\..+\.\d{4}$/.test(id) ? `fig:${id}` : `${w}:fig:${id}`);
  const see = (key: string, shown: Bounds | null, status: string | null, t: number | undefined, text: string) => {
    if (status === 'x' || status === 'z') return;
    if (!known.has(key)) known.set(key, { low: 0, high: Infinity });
    if (status === 'c' || shown === null) {
      withheldKeys.add(key);
      if (t !== undefined) truth.set(key, t);
      return;
    }
    const k = known.get(key)!;
    k.low = Math.max(k.low, shown.low);
    k.high = Math.min(k.high, shown.high ?? Infinity);
    shownText.set(key, text);
  };
  for (const b of builds) {
    const P = figuresOf(b.pub);
    const O = figuresOf(b.open);
    for (const [name, t] of Object.entries(P.tables)) {
      const o = O.tables[name];
      t.cells.forEach((r, i) =>
        r.forEach((c, j) =>
          see(at(b.wave, name, t.rows[i]!, t.cols[j]!), c.value, c.status, exact(o?.cells[i]?.[j]?.value), 'shown'),
        ),
      );
      const nr = t.rows.length - (t.totals.cols ? 1 : 0);
      const nc = t.cols.length - (t.totals.rows ? 1 : 0);
      const ok = (i: number, j: number) => !['x', 'z'].includes(t.cells[i]![j]!.status ?? '');
      const k = (i: number, j: number) => at(b.wave, name, t.rows[i]!, t.cols[j]!);
      if (t.totals.rows)
        for (let i = 0; i < t.rows.length; i++)
          if (ok(i, nc))
            eqs.push({
              lhs: [...Array(nc).keys()].filter((j) => ok(i, j)).map((j) => k(i, j)),
              rhs: [k(i, nc)],
            });
      if (t.totals.cols)
        for (let j = 0; j < t.cols.length; j++)
          if (ok(nr, j))
            eqs.push({
              lhs: [...Array(nr).keys()].filter((i) => ok(i, j)).map((i) => k(i, j)),
              rhs: [k(nr, j)],
            });
    }
    const openFig = new Map(O.figures.map((f) => [f.id, f]));
    for (const f of P.figures) {
      const key = figKey(b.wave, f.id);
      const wasShown = known.has(key) && !withheldKeys.has(key);
      see(key, f.value, f.status, exact(openFig.get(f.id)?.value), f.text);
      // The same over-time figure withheld by one build and printed by another.
      if (key.startsWith('fig:') && f.status === 'c' && wasShown)
        found.push({
          attack: 'json',
          target: `${b.wave}:${f.id}`,
          how: `another build prints it: ${shownText.get(key)}`,
        });
    }
    for (const f of P.figures) {
      const key = figKey(b.wave, f.id);
      if (key.startsWith('fig:') && f.status !== 'c' && withheldKeys.has(key) && f.value !== null)
        found.push({
          attack: 'json',
          target: f.id,
          how: `build of ${b.wave} prints "${f.text}" that another withholds`,
        });
    }
    // The same count printed twice.
    const same = (a: string, c: string) => known.has(a) && known.has(c) && eqs.push({ lhs: [a], rhs: [c] });
    const statusCols: [string, string][] = [
      ['Established', 'established'],
      ['In development', 'in_development'],
    ];
    same(at(b.wave, 'teams_by_nation_status', 'Total', 'Total'), figKey(b.wave, 'growth.teams'));
    same(at(b.wave, 'teams_by_nation_status', 'Total', 'Total'), figKey(b.wave, `over-time.teams.${b.wave}`));
    for (const [col, id] of statusCols) {
      same(at(b.wave, 'teams_by_nation_status', 'Total', col), figKey(b.wave, `growth.status.${id}`));
      same(at(b.wave, 'teams_by_nation_status', 'Total', col), figKey(b.wave, `over-time.${id}.${b.wave}`));
    }
    for (const other of builds) {
      const rows = figuresOf(b.pub).tables['teams_by_wave']?.rows ?? [];
      if (!rows.includes(String(other.wave))) continue;
      for (const [col, id] of [...statusCols, ['Total', 'teams'] as [string, string]]) {
        same(at(b.wave, 'teams_by_wave', String(other.wave), col), figKey(other.wave, `over-time.${id}.${other.wave}`));
        same(
          at(b.wave, 'teams_by_wave', String(other.wave), col),
          at(other.wave, 'teams_by_nation_status', 'Total', col),
        );
      }
    }
    // A nation and its regions: the regions' total plus those not giving a region (>= 0) is England's total.
    const slack = `${b.wave}:slack:england-regions`;
    known.set(slack, { low: 0, high: Infinity });
    if (known.has(at(b.wave, 'teams_by_region', 'Total', 'Teams')))
      eqs.push({
        lhs: [at(b.wave, 'teams_by_region', 'Total', 'Teams'), slack],
        rhs: [at(b.wave, 'teams_by_nation_status', 'England', 'Total')],
      });
    // Wave on wave: previous + new = now + left + no return.
    const prev = builds
      .map((x) => x.wave)
      .filter((w) => w < b.wave)
      .sort((x, y) => y - x)[0];
    const flow = [0, 1, 2].map((i) => figKey(b.wave, `growth.flow.${i}`));
    if (prev !== undefined && flow.every((f) => known.has(f)))
      eqs.push({
        lhs: [figKey(prev, `over-time.teams.${prev}`), flow[0]!],
        rhs: [figKey(b.wave, 'growth.teams'), flow[1]!, flow[2]!],
      });
  }
  const eqsKnown = eqs.filter((e) => [...e.lhs, ...e.rhs].every((k) => known.has(k)));
  for (let changed = true, guard = 0; changed && guard < 200; guard++) {
    changed = false;
    for (const { lhs, rhs } of eqsKnown)
      for (const [side, other] of [
        [lhs, rhs],
        [rhs, lhs],
      ] as const) {
        const oLow = other.reduce((a, k) => a + known.get(k)!.low, 0);
        const oHigh = other.reduce((a, k) => a + known.get(k)!.high, 0);
        const sLow = side.reduce((a, k) => a + known.get(k)!.low, 0);
        const sHigh = side.reduce((a, k) => a + known.get(k)!.high, 0);
        for (const k of side) {
          const c = known.get(k)!;
          const low = oLow - (sHigh - c.high);
          const high = oHigh - (sLow - c.low);
          if (Number.isFinite(low) && low > c.low) ((c.low = low), (changed = true));
          if (Number.isFinite(high) && high < c.high) ((c.high = high), (changed = true));
        }
      }
  }
  for (const key of withheldKeys) {
    const t = truth.get(key);
    const k = known.get(key)!;
    if (t !== undefined && k.low === k.high && k.low === t)
      found.push({
        attack: 'differencing',
        target: key,
        how: `${t} follows across tables and waves (totals, the same count printed twice, regions, the flow of teams)`,
      });
  }
  return found;
}
