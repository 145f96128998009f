import type { RawValue } from '../../schemas/answer.ts';
import type { Location } from '../../schemas/issue.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { StoredFile } from '../../schemas/stage.ts';
import type { QuestionnaireKind } from '../../sources/index.ts';
import { csvGrid, xlsxGrids, type Grid } from '../../sources/questionnaire/grid.ts';
import { isSurveyMetadataLabel } from '../../sources/questionnaire/label-target.ts';
import type { LabelMapping } from '../../sources/questionnaire/label-target.ts';
import { readWithReader } from '../ingest/questionnaire/extract.ts';
import { readStored } from '../runtime/store.ts';

/**
 * Runs in a parse worker (through the product's parse guard, pipeline/ingest/parse-guard.ts): the
 * sheet region around each asked cell of one stored spreadsheet, read from the raw store by the
 * product's own grid readers (sources/questionnaire/grid.ts: xlsxGrids for a workbook, csvGrid for a
 * csv), so what the desk shows is what the readers saw. For a questionnaire return the product's
 * reader of its kind also runs, to find where the answers to personal questions (respondent's name,
 * e-mail, comments) are: those cells are never sent back, only a mark that something is withheld.
 * Whatever looks like an e-mail address is withheld too. Only the region leaves the worker.
 */
export const PREVIEW_TASK_MODULE = import.meta.url;

/** Rows and columns shown on each side of the cell. */
const AROUND = 2;
/** A cell's text is cut to this many characters in a preview. */
const MAX_CELL_CHARS = 80;
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/i;
/** An IPv4 or IPv6 address (survey tools record the respondent's). */
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|(?=[0-9a-f:]*::|(?:[0-9a-f]*:){5})[0-9a-f:]{2,39})$/i;

interface RegionCell {
  text: string;
  /** Personal data, not shown. */
  withheld: boolean;
  /** The cell the issue or value points at. */
  target: boolean;
}
export interface Region {
  sheet: string | null;
  /** Column titles: letters for a workbook, 1-based numbers (and the header's text) for a csv. */
  columns: string[];
  rows: { n: number; cells: RegionCell[] }[];
}
export type RegionResult = { region: Region } | { missing: string };

export interface RegionRequest {
  storeDir: string;
  file: StoredFile;
  /** The questionnaire wave's list when the file is a return (personal questions to withhold), else null. */
  list: QuestionList | null;
  mapping: readonly LabelMapping[];
  places: Location[];
}

/** Column letters -> 1-based number ("C" -> 3). */
function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
function colLetters(col: number): string {
  let s = '';
  for (let x = col; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
/** "C14" (or "$C$14") -> [column, row]; null when not an A1 reference. */
function parseA1(cell: string): [number, number] | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/i.exec(cell.trim());
  return m ? [colNumber(m[1]!), Number(m[2])] : null;
}

function shown(raw: RawValue): string {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : raw.toISOString().slice(0, 10);
  const t = String(raw).replace(/\s+/g, ' ').trim();
  return t.length > MAX_CELL_CHARS ? `${t.slice(0, MAX_CELL_CHARS - 1)}…` : t;
}

/** Where personal answers are, as "sheet!A1" or "row|column" keys. */
async function personalPlaces(req: RegionRequest, bytes: Buffer): Promise<Set<string>> {
  const out = new Set<string>();
  if (!req.list) return out;
  const personal = new Set(req.list.questions.filter((q) => q.personal).map((q) => q.id));
  if (personal.size === 0) return out;
  const read = await readWithReader(req.file.sourceKind as QuestionnaireKind, bytes, req.file, req.list, req.mapping);
  for (const r of read.returns)
    for (const a of r.answers) if (personal.has(a.questionId)) out.add(placeKey(a.location));
  return out;
}

function placeKey(l: Location): string {
  if (l.cell !== undefined) return `${l.sheet ?? ''}!${l.cell.replace(/\$/g, '').toUpperCase()}`;
  return `${l.row ?? ''}|${l.column ?? ''}`;
}

/**
 * The header row of a survey export (its first row with at least two cells filled, within the first
 * ten): the columns survey tools add (respondent id, IP and e-mail address, names: isSurveyMetadataLabel,
 * the rule the export reader ignores them by) are withheld, their titles kept.
 */
function metadataColumns(grid: Grid): Set<number> {
  const header = grid.rows.slice(0, 10).find((r) => r.cells.filter((c) => shown(c.raw) !== '').length >= 2);
  const out = new Set<number>();
  header?.cells.forEach((c, i) => {
    if (isSurveyMetadataLabel(shown(c.raw))) out.add(i + 1);
  });
  return out;
}

function cut(grid: Grid, place: Location, personal: Set<string>, surveyExport: boolean): RegionResult {
  const byRow = new Map(grid.rows.map((r) => [r.n, r]));
  const metadata = surveyExport ? metadataColumns(grid) : new Set<number>();
  const headerRow = surveyExport
    ? grid.rows.slice(0, 10).find((r) => r.cells.filter((c) => shown(c.raw) !== '').length >= 2)?.n
    : undefined;
  let targetRow: number;
  let targetCol: number | null;
  let headers: string[] = [];
  if (grid.sheet !== undefined) {
    const at = place.cell ? parseA1(place.cell) : null;
    if (!at) return { missing: 'The place is not a cell of the sheet.' };
    [targetCol, targetRow] = at;
  } else {
    if (place.row === undefined) return { missing: 'The place names no row of the file.' };
    targetRow = place.row;
    headers = (byRow.get(1)?.cells ?? []).map((c) => shown(c.raw));
    targetCol = null;
    if (place.column !== undefined) {
      const i = headers.findIndex((h) => h === place.column);
      const numbered = /^column (\d+)$/.exec(place.column);
      targetCol = i >= 0 ? i + 1 : numbered ? Number(numbered[1]) : null;
    }
  }
  const width = Math.max(0, ...grid.rows.map((r) => r.cells.length));
  const first = targetCol === null ? 1 : Math.max(1, targetCol - AROUND);
  const last = targetCol === null ? Math.min(width, 1 + 2 * AROUND) : Math.max(first, targetCol + AROUND);
  const cols = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  const rowNumbers = Array.from({ length: 2 * AROUND + 1 }, (_, i) => targetRow - AROUND + i).filter((n) => n >= 1);
  const keyOf = (n: number, col: number): string =>
    grid.sheet !== undefined ? `${grid.sheet}!${colLetters(col)}${n}` : `${n}|${headers[col - 1] ?? `column ${col}`}`;
  return {
    region: {
      sheet: grid.sheet ?? null,
      columns: cols.map((c) =>
        grid.sheet !== undefined ? colLetters(c) : headers[c - 1] ? `${c}: ${headers[c - 1]}` : String(c),
      ),
      rows: rowNumbers.map((n) => ({
        n,
        cells: cols.map((col) => {
          const text = shown(byRow.get(n)?.cells[col - 1]?.raw ?? null);
          const isTarget = n === targetRow && (targetCol === null || col === targetCol);
          const withheld =
            text !== '' &&
            (personal.has(keyOf(n, col)) ||
              EMAIL.test(text) ||
              IP.test(text) ||
              (metadata.has(col) && n !== headerRow && !isTarget));
          return {
            text: withheld ? '' : text,
            withheld,
            target: isTarget,
          };
        }),
      })),
    },
  };
}

/** Runs in a worker: the region of every place asked, in order. */
export async function readRegions(req: RegionRequest): Promise<RegionResult[]> {
  const bytes = readStored(req.storeDir, req.file.hash);
  const csv = req.file.mediaType === 'text/csv' || req.file.mediaType === 'text/plain';
  const labels = new Set((req.list?.questions ?? []).map((q) => q.label.trim().toLowerCase()));
  const grids = csv
    ? [csvGrid(bytes, req.file.hash, (s) => labels.has(String(s).trim().toLowerCase()))]
    : await xlsxGrids(bytes, req.file.hash);
  const personal = await personalPlaces(req, bytes).catch(() => null);
  return req.places.map((place) => {
    // The personal answers could not be found: nothing of a return is shown rather than risk them.
    if (personal === null) return { missing: 'The file could not be read again to withhold personal data.' };
    const grid = csv ? grids[0] : grids.find((g) => g.sheet === place.sheet);
    if (!grid) return { missing: `The file has no visible sheet "${place.sheet ?? ''}".` };
    return cut(grid, place, personal, req.file.sourceKind === 'survey_export');
  });
}
