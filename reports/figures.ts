/**
 * figures.json: every figure the report prints, with its value or range, its denominator, the id of
 * the definition that fixes how it is computed, and the records behind it (return and answer keys,
 * FOI value ids). A public build carries no records at all (not their count, not a hash): the count
 * behind a withheld figure is the figure, ids of the returns behind two figures would let a reader
 * cross-tabulate small groups, and a hash of a few sequential keys can be inverted by trying them.
 * Every public figure has passed protectFigure (protect.ts), so a withheld one has no value either.
 */
import { canonicalJson, type Json } from './canonical-json.ts';
import type { PublicTable, Status } from './disclosure.ts';
import type { Bounds } from './intervals.ts';

export interface Denominator {
  readonly answered: number;
  readonly notAnswered: number;
  /** What is counted: "teams", "trusts". */
  readonly of: string;
  /** Of notAnswered, when any: answers stored unreadable, and flagged answers left out (leaveOutFlagged). */
  readonly unreadable?: number;
  readonly leftOut?: number;
}

export interface Figure {
  /** Unique within a build, e.g. "families.total". */
  readonly id: string;
  readonly section: string;
  readonly label: string;
  /** null when withheld ([c]) or not available ([x]); a percentage is in percent units. */
  readonly value: Bounds | null;
  readonly status?: Status;
  /** Exactly as printed in report.html. */
  readonly text: string;
  readonly unit: string;
  readonly denominator?: Denominator;
  /** Key of `definitions` in figures.json. */
  readonly definition: string;
  readonly records: readonly string[];
  /** The figure describes a whole nation, which report.md exempts from primary suppression. */
  readonly wholeNation?: boolean;
}

export interface FiguresFile {
  readonly wave: number;
  readonly build: 'internal' | 'public';
  readonly figures: readonly Figure[];
  readonly definitions: Readonly<Record<string, string>>;
  /** Public tables by name, for the back test against a later rebuild (disclosure-compare.ts). */
  readonly tables: Readonly<Record<string, PublicTable>>;
}

const bounds = (b: Bounds | null): Json => (b === null ? null : { low: b.low, high: b.high });

// A public build lists no records, not even their count or a hash: a count of the records behind a
// withheld figure is the figure, and a hash of a few guessable keys names them.
function records(ids: readonly string[], publicBuild: boolean): Json {
  return publicBuild ? null : [...new Set(ids)].sort();
}

function figureJson(f: Figure, publicBuild: boolean): Json {
  if (publicBuild && f.status === 'c' && (f.value !== null || f.text !== '[c]'))
    throw new Error(`figure "${f.id}" is withheld ([c]) but still carries its value; it must pass protectFigure`);
  return {
    id: f.id,
    section: f.section,
    label: f.label,
    value: bounds(f.value),
    status: f.status ?? null,
    text: f.text,
    unit: f.unit,
    denominator: f.denominator
      ? { answered: f.denominator.answered, notAnswered: f.denominator.notAnswered, of: f.denominator.of }
      : null,
    definition: f.definition,
    records: records(f.records, publicBuild),
    ...(f.wholeNation ? { group: 'nation' } : {}),
  };
}

function tableJson(t: PublicTable): Json {
  return {
    rows: [...t.rows],
    cols: [...t.cols],
    totals: { rows: t.totals.rows, cols: t.totals.cols },
    cells: t.cells.map((r) => r.map((c) => ({ value: bounds(c.value), status: c.status ?? null }))),
  };
}

/** The bytes of figures.json; figures keep report order, definitions and tables are keyed. */
export function figuresJson(file: FiguresFile): string {
  const ids = new Set<string>();
  for (const f of file.figures) {
    if (ids.has(f.id)) throw new Error(`figure id "${f.id}" is used twice; every figure needs its own id`);
    if (!(f.definition in file.definitions))
      throw new Error(`figure "${f.id}" names definition "${f.definition}", which is not defined`);
    ids.add(f.id);
  }
  const publicBuild = file.build === 'public';
  return canonicalJson({
    wave: file.wave,
    build: file.build,
    figures: file.figures.map((f) => figureJson(f, publicBuild)),
    definitions: { ...file.definitions },
    tables: Object.fromEntries(Object.entries(file.tables).map(([k, t]) => [k, tableJson(t)])),
  });
}

/** Reads the public tables back from a figures.json (the back test's "previous build"). */
export function tablesFromFiguresJson(text: string): Record<string, PublicTable> {
  const parsed = JSON.parse(text) as {
    tables?: Record<
      string,
      {
        rows: string[];
        cols: string[];
        totals: PublicTable['totals'];
        cells: { value: Bounds | null; status: Status | null }[][];
      }
    >;
  };
  const out: Record<string, PublicTable> = {};
  for (const [name, t] of Object.entries(parsed.tables ?? {})) {
    out[name] = {
      rows: t.rows,
      cols: t.cols,
      totals: t.totals,
      suppressed: [],
      cells: t.cells.map((r) => r.map((c) => (c.status ? { value: c.value, status: c.status } : { value: c.value }))),
    };
  }
  return out;
}
