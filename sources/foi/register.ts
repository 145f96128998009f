import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { canonicalExemption } from './exemptions.ts';
import { cellRaw } from '../shared/cell.ts';
import { decodeText } from '../shared/text-decode.ts';
import { matchTrust, type TrustList } from './trusts.ts';

/**
 * Reads a research team's own FOI register (csv or xlsx) into plain rows. Columns are found by header
 * name, never position, because every team lays its sheet out differently. The typed status is kept
 * but not trusted: the pipeline re-derives status from the dates (pipeline/foi/status.ts).
 */

export type RegisterField =
  | 'ourRef'
  | 'theirRef'
  | 'odsCode'
  | 'trustName'
  | 'dateSent'
  | 'dateReplied'
  | 'clarificationAsked'
  | 'clarificationAnswered'
  | 'status'
  | 'exemptions'
  | 'notes';
type DateField = 'dateSent' | 'dateReplied' | 'clarificationAsked' | 'clarificationAnswered';

export interface RegisterRow {
  location: Location;
  ourRef: string | null;
  theirRef: string | null;
  odsCodeTyped: string | null;
  trustNameTyped: string | null;
  /** odsCode is the trust today (successor after a merger); originalOdsCode the one the row names. */
  trust: { odsCode: string; originalOdsCode: string; method: 'ods' | 'name'; score: number } | null;
  dateSent: string | null;
  dateReplied: string | null;
  clarificationAsked: string | null;
  clarificationAnswered: string | null;
  typedStatus: string | null;
  exemptions: string[];
  notes: string | null;
}
export interface RegisterInput {
  bytes: Uint8Array;
  fileHash?: string;
}

// Header words that carry no meaning for the match ("Date sent (dd/mm/yyyy)" is "sent").
const NOISE = new Set(['date', 'of', 'the', 'on', 'dd', 'mm', 'yy', 'yyyy', 'to', 'trust']);
const SYNONYMS: Record<RegisterField, string[]> = {
  ourRef: [
    'our ref',
    'our reference',
    'our id',
    'internal ref',
    'internal reference',
    'ref',
    'reference',
    'request ref',
    'request id',
    'id',
  ],
  theirRef: [
    'their ref',
    'their reference',
    'foi ref',
    'foi reference',
    'foi number',
    'foi no',
    'case ref',
    'case number',
    'their foi ref',
  ],
  odsCode: ['ods', 'ods code', 'org code', 'organisation code', 'organization code', 'code', 'provider code'],
  trustName: ['name', 'organisation', 'organisation name', 'organization', 'provider', 'provider name'],
  dateSent: ['sent', 'request sent', 'requested', 'sent request', 'submitted'],
  dateReplied: ['replied', 'reply', 'reply received', 'response', 'response received', 'responded', 'answered'],
  clarificationAsked: [
    'clarification asked',
    'clarification requested',
    'clarification sought',
    'clarification request',
    'clarification',
  ],
  clarificationAnswered: [
    'clarification answered',
    'clarification provided',
    'clarification sent',
    'clarification given',
    'clarified',
    'clarification response',
  ],
  status: ['status', 'outcome', 'current status', 'response status'],
  exemptions: ['exemptions', 'exemption', 'exemptions cited', 'exemptions applied', 'sections cited'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks'],
};
// "trust" is noise so that "Trust ref" and "Sent to trust" read right; the cases it decides are below.
const theirRefTrust = new Set(['ref', 'reference', 'foi ref']);
const BY_HEADER = new Map(
  Object.entries(SYNONYMS).flatMap(([f, names]) => names.map((n) => [n, f as RegisterField] as const)),
);

export function headerField(header: string): RegisterField | null {
  const raw = header
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (raw.length === 0) return null;
  const key = raw.filter((w) => !NOISE.has(w)).join(' ');
  if (key === '') return raw.join(' ') === 'trust' ? 'trustName' : null;
  if (raw.includes('trust') && theirRefTrust.has(key)) return 'theirRef'; // "Trust ref" is the trust's own reference
  if (raw.includes('trust') && key === 'code') return 'odsCode';
  return BY_HEADER.get(key) ?? null;
}

export type RegisterCell = string | number | Date | null;
/** One sheet (or the csv) as rows of plain cells; `issues` are its cell problems, kept only if it is the sheet read. */
interface Grid {
  sheet?: string;
  rows: { n: number; cells: RegisterCell[] }[];
  issues: Issue[];
}
const PLACEHOLDER = new Set(['', '-', 'n/a', 'na', 'none', 'tbc', 'pending', '?']);

export async function readRegister(
  input: RegisterInput,
  trusts: TrustList,
): Promise<{ rows: RegisterRow[]; issues: Issue[] }> {
  const fileHash = input.fileHash ?? createHash('sha256').update(input.bytes).digest('hex');
  const issues: Issue[] = [];
  const b = input.bytes;
  let grids: Grid[];
  if (b[0] === 0x50 && b[1] === 0x4b) {
    try {
      grids = await xlsxGrids(b, fileHash);
    } catch (e) {
      issues.push(
        issue(
          'register_unreadable',
          'error',
          `The workbook cannot be opened (${(e as Error).message}); re-save it from a spreadsheet program.`,
          { fileHash },
        ),
      );
      return { rows: [], issues };
    }
  } else if (b[0] === 0xd0 && b[1] === 0xcf) {
    issues.push(
      issue(
        'register_format_unsupported',
        'error',
        'This is a legacy .xls workbook; save it as .xlsx or .csv and load it again.',
        { fileHash },
      ),
    );
    return { rows: [], issues };
  } else grids = [csvGrid(b, fileHash, issues)];
  for (const grid of grids) {
    const header = findHeader(grid);
    if (header) {
      issues.push(...grid.issues);
      return { rows: readGrid(grid, header, fileHash, trusts, issues), issues };
    }
  }
  issues.push(
    issue(
      'register_header_not_found',
      'error',
      'No row in the first 10 of any sheet names two or more register columns (e.g. "Trust", "Date sent").',
      { fileHash },
    ),
  );
  return { rows: [], issues };
}

function csvGrid(bytes: Uint8Array, fileHash: string, issues: Issue[]): Grid {
  // Not UTF-8 means Excel's "CSV" on Windows (cp1252): read, with a note.
  const { text, encoding } = decodeText(bytes);
  if (encoding === 'windows-1252')
    issues.push(
      issue('register_encoding_windows_1252', 'info', 'File is not UTF-8; read as Windows-1252.', { fileHash }),
    );
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  for (const e of parsed.errors) {
    if (e.code === 'UndetectableDelimiter') continue;
    issues.push(issue('register_csv_malformed', 'warning', e.message, { fileHash, row: (e.row ?? 0) + 1 }));
  }
  return { rows: parsed.data.map((cells, i) => ({ n: i + 1, cells })), issues: [] };
}

async function xlsxGrids(bytes: Uint8Array, fileHash: string): Promise<Grid[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return wb.worksheets.map((ws) => {
    const rows: Grid['rows'] = [];
    const issues: Issue[] = [];
    ws.eachRow((row, n) => {
      const cells: RegisterCell[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => {
        const { raw, issues: found } = cellRaw(c.value, { fileHash, sheet: ws.name, cell: c.address });
        issues.push(...found);
        cells[col - 1] = typeof raw === 'boolean' ? String(raw) : raw;
      });
      rows.push({ n, cells: Array.from(cells, (c) => c ?? null) });
    });
    return { sheet: ws.name, rows, issues };
  });
}

function findHeader(grid: Grid): { index: number; columns: Map<RegisterField, number>; names: string[] } | null {
  let best: { index: number; columns: Map<RegisterField, number>; names: string[] } | null = null;
  for (const [index, row] of grid.rows.slice(0, 10).entries()) {
    const names = row.cells.map((c) => (c === null ? '' : String(c).trim()));
    const columns = new Map<RegisterField, number>();
    names.forEach((name, col) => {
      const f = headerField(name);
      if (f && !columns.has(f)) columns.set(f, col);
    });
    if (columns.size >= 2 && columns.size > (best?.columns.size ?? 0)) best = { index, columns, names };
  }
  return best;
}

function readGrid(
  grid: Grid,
  header: NonNullable<ReturnType<typeof findHeader>>,
  fileHash: string,
  trusts: TrustList,
  issues: Issue[],
): RegisterRow[] {
  const headerRow = grid.rows[header.index]!.n;
  const where = (n: number, col?: number): Location => {
    const loc: Location = grid.sheet === undefined ? { fileHash, row: n } : { fileHash, sheet: grid.sheet, row: n };
    if (col !== undefined) {
      if (grid.sheet !== undefined) loc.cell = `${columnLetters(col)}${n}`;
      else loc.column = header.names[col] ?? '';
    }
    return loc;
  };
  header.names.forEach((name, col) => {
    const f = headerField(name);
    if (name !== '' && f === null)
      issues.push(
        issue(
          'register_column_ignored',
          'info',
          `Column "${name}" is not a register column; ignored.`,
          where(headerRow, col),
        ),
      );
    if (f !== null && header.columns.get(f) !== col)
      issues.push(
        issue(
          'register_column_duplicate',
          'warning',
          `Column "${name}" repeats ${f}; the first such column is used.`,
          where(headerRow, col),
        ),
      );
  });
  const has = (f: RegisterField) => header.columns.has(f);
  if (!has('odsCode') && !has('trustName'))
    issues.push(
      issue(
        'register_column_missing',
        'error',
        'No trust column ("ODS code" or "Trust name"); no row can be matched to a trust.',
        where(headerRow),
      ),
    );
  if (!has('dateSent'))
    issues.push(
      issue(
        'register_column_missing',
        'error',
        'No "Date sent" column; due dates cannot be computed.',
        where(headerRow),
      ),
    );

  const out: RegisterRow[] = [];
  const seen = new Map<string, number>();
  for (const { n, cells } of grid.rows.slice(header.index + 1)) {
    if (cells.every((c) => c === null || String(c).trim() === '')) continue;
    const cell = (f: RegisterField) => {
      const col = header.columns.get(f);
      return col === undefined ? null : (cells[col] ?? null);
    };
    const text = (f: RegisterField) => {
      const c = cell(f);
      const s = c instanceof Date ? c.toISOString().slice(0, 10) : c === null ? '' : String(c).trim();
      return s === '' ? null : s;
    };
    const date = (f: DateField) => {
      const c = cell(f);
      const r = readDate(c);
      if ('problem' in r)
        issues.push(
          issue('register_date_unreadable', 'error', `${f}: ${r.problem}`, where(n, header.columns.get(f)), {
            raw: String(c),
          }),
        );
      return 'iso' in r ? r.iso : null;
    };
    const row: RegisterRow = {
      location: where(n),
      ourRef: text('ourRef'),
      theirRef: text('theirRef'),
      odsCodeTyped: text('odsCode'),
      trustNameTyped: text('trustName'),
      trust: null,
      dateSent: date('dateSent'),
      dateReplied: date('dateReplied'),
      clarificationAsked: date('clarificationAsked'),
      clarificationAnswered: date('clarificationAnswered'),
      typedStatus: text('status'),
      exemptions: [],
      notes: text('notes'),
    };
    for (const part of (text('exemptions') ?? '')
      .split(/[,;\n/&+]|\band\b/i)
      .map((s) => s.trim())
      .filter((s) => !PLACEHOLDER.has(s.toLowerCase()))) {
      const code = canonicalExemption(part);
      if (code === null)
        issues.push(
          issue(
            'exemption_unrecognised',
            'warning',
            `"${part}" is not a FOIA section; kept as typed.`,
            where(n, header.columns.get('exemptions')),
            { raw: part },
          ),
        );
      row.exemptions.push(code ?? part);
    }
    row.trust = matchRow(row, trusts, where(n), issues);
    if (row.trust) {
      const prev = seen.get(row.trust.originalOdsCode);
      if (prev !== undefined)
        issues.push(
          issue('register_trust_duplicate', 'warning', `${row.trust.originalOdsCode} also on row ${prev}.`, where(n)),
        );
      seen.set(row.trust.originalOdsCode, n);
    }
    if (row.dateSent && row.dateReplied && row.dateReplied < row.dateSent)
      issues.push(
        issue(
          'register_dates_out_of_order',
          'warning',
          `Replied ${row.dateReplied} before sent ${row.dateSent}.`,
          where(n),
        ),
      );
    out.push(row);
  }
  return out;
}

function matchRow(row: RegisterRow, trusts: TrustList, loc: Location, issues: Issue[]): RegisterRow['trust'] {
  const raw = [row.odsCodeTyped, row.trustNameTyped].filter((s) => s !== null).join(' / ');
  const m = matchTrust({ ods: row.odsCodeTyped, name: row.trustNameTyped }, trusts);
  if (m === null) {
    issues.push(
      issue(
        'register_trust_unknown',
        'error',
        raw === ''
          ? 'Row names no trust.'
          : `"${raw}" matches no trust in the reference list (or more than one); match it by hand.`,
        loc,
        { raw },
      ),
    );
    return null;
  }
  const how = m.original ?? { odsCode: m.odsCode, method: m.method };
  const method = how.method === 'ods' ? 'ods' : 'name';
  if (row.odsCodeTyped && method === 'name')
    issues.push(
      issue(
        'register_ods_unknown',
        'warning',
        `ODS code "${row.odsCodeTyped}" is not in the reference list; matched by name to ${how.odsCode}.`,
        loc,
        { raw },
      ),
    );
  if (method === 'ods' && row.trustNameTyped) {
    const byName = matchTrust({ name: row.trustNameTyped }, trusts);
    const named = byName?.original?.odsCode ?? byName?.odsCode;
    if (named !== undefined && named !== how.odsCode)
      issues.push(
        issue(
          'register_trust_name_mismatch',
          'warning',
          `ODS code ${how.odsCode} but the name reads as ${named}; the code is used.`,
          loc,
          { raw },
        ),
      );
  }
  if (m.score < 1)
    issues.push(
      issue(
        'register_trust_matched_loosely',
        'warning',
        `"${row.trustNameTyped}" matched ${how.odsCode} loosely (score ${m.score.toFixed(2)}); check it.`,
        loc,
        { raw },
      ),
    );
  if (m.method === 'successor')
    issues.push(
      issue(
        'register_trust_successor',
        'info',
        `${how.odsCode} has since merged; attributed to ${m.odsCode}, original kept.`,
        loc,
      ),
    );
  return { odsCode: m.odsCode, originalOdsCode: how.odsCode, method, score: m.score };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** UK day-first dates, ISO dates, "11 March 2024", Excel serials and Excel date cells. */
export function readDate(c: RegisterCell): { iso: string } | { problem: string } | { blank: true } {
  if (c === null) return { blank: true };
  if (c instanceof Date)
    return Number.isNaN(c.getTime()) ? { problem: 'not a date' } : { iso: c.toISOString().slice(0, 10) };
  const s = String(c).trim();
  if (PLACEHOLDER.has(s.toLowerCase())) return { blank: true };
  // An Excel serial (days since 1899-12-30) when the date format was lost, e.g. 45362 = 2024-03-11.
  if (/^\d{5}(\.\d+)?$/.test(s))
    return valid(new Date((Math.floor(Number(s)) - 25569) * 86_400_000).toISOString().slice(0, 10));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return valid(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s.*)?$/.exec(s);
  if (m) {
    if (Number(m[2]) > 12 && Number(m[1]) <= 12)
      return { problem: `"${s}" reads as month/day order; the register uses day/month. Correct it by hand.` };
    return valid(`${m[3]!.length === 2 ? `20${m[3]}` : m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`);
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2}|\d{4})$/i.exec(s);
  const month = m ? MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) : -1;
  if (m && month >= 0)
    return valid(
      `${m[3]!.length === 2 ? `20${m[3]}` : m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`,
    );
  return { problem: `"${s}" is not a date in dd/mm/yyyy, yyyy-mm-dd or "11 March 2024" form.` };
}

function valid(iso: string): { iso: string } | { problem: string } {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso)
    ? { iso }
    : { problem: `${iso} is not a calendar date.` };
}

function columnLetters(index: number): string {
  let n = index + 1,
    out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
