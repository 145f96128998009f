import type ExcelJS from 'exceljs';
import type { RawValue } from '../../schemas/answer.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';

/**
 * An exceljs cell value as a plain RawValue. Formulas give their cached result (never evaluated);
 * error cells (#REF!, #N/A) and formulas without a cached result become issues, not values.
 */
export function cellRaw(value: ExcelJS.CellValue, loc: Location): { raw: RawValue; issues: Issue[] } {
  if (value === null || value === undefined) return { raw: null, issues: [] };
  // NUL (from an _x0000_ escape) cannot be stored in PostgreSQL text: shown as U+FFFD instead.
  if (typeof value === 'string')
    return { raw: value.includes('\u0000') ? value.replace(/\u0000/g, '\uFFFD') : value, issues: [] };
  if (typeof value === 'number' || typeof value === 'boolean') return { raw: value, issues: [] };
  if (value instanceof Date) {
    // A date-formatted number too large for a date reads as an invalid Date, which cannot be printed.
    if (Number.isNaN(value.getTime()))
      return {
        raw: null,
        issues: [
          issue(
            'invalid_date_cell',
            'error',
            'The cell is formatted as a date but holds a number that is no date. Ask the team to type the date itself.',
            loc,
          ),
        ],
      };
    return { raw: value, issues: [] };
  }
  const v = value as unknown as Record<string, unknown>;
  if ('error' in v) {
    return {
      raw: null,
      issues: [
        issue(
          'cell_error',
          'error',
          `The cell holds the spreadsheet error ${String(v.error)} instead of an answer. Ask the team to type the answer itself.`,
          loc,
          { raw: String(v.error) },
        ),
      ],
    };
  }
  if ('richText' in v && Array.isArray(v.richText)) {
    return cellRaw((v.richText as { text: unknown }[]).map((r) => String(r?.text ?? '')).join(''), loc);
  }
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) {
      return {
        raw: null,
        issues: [
          issue(
            'formula_no_cached_value',
            'warning',
            'The cell has a formula but no saved result; formulas are never run. Ask the team to type the value or re-save the file in a spreadsheet program.',
            loc,
            { raw: `=${String(v.formula ?? v.sharedFormula)}` },
          ),
        ],
      };
    }
    if (typeof result === 'object' && result !== null && 'error' in result) {
      return {
        raw: null,
        issues: [
          issue(
            'cell_error',
            'error',
            `The cell's formula gives the error ${String((result as { error: unknown }).error)}.`,
            loc,
            { raw: String((result as { error: unknown }).error) },
          ),
        ],
      };
    }
    return cellRaw(result as ExcelJS.CellValue, loc);
  }
  // A hyperlink's shown text (plain or rich) is the answer; its target only when it shows none.
  if ('text' in v && v.text !== null && v.text !== undefined && v.text !== '')
    return cellRaw(v.text as ExcelJS.CellValue, loc);
  if ('hyperlink' in v) return cellRaw(String(v.hyperlink), loc);
  return { raw: JSON.stringify(v).slice(0, 200), issues: [] };
}

/**
 * Longest label, id or header text kept for matching. Question labels are a sentence (the longest
 * under 100 characters), and no text five times longer can score as a match; fuzzy matching is
 * quadratic in length, so a 1 MB cell in a label column would otherwise stall the reader for
 * minutes (measured: a 100 KB header took 20 s to match, 2,000 characters 1 s).
 */
export const MAX_LABEL_CHARS = 500;

/** Text of a cell for matching labels and headers; '' when empty; cut to MAX_LABEL_CHARS. */
export function cellText(value: ExcelJS.CellValue): string {
  const { raw } = cellRaw(value, {});
  if (raw === null) return '';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : raw.toISOString().slice(0, 10);
  return String(raw).slice(0, MAX_LABEL_CHARS).trim();
}

/**
 * A cell's value as cellRaw gives it, except for the covered cells of a merged range: exceljs
 * reports the top-left cell's value in every cell of the range, so a merge spanning two answer
 * rows would silently copy one answer into the next question. A covered cell reads as blank,
 * with a warning that names the range. Readers should prefer this to cellRaw(cell.value).
 */
export function readCell(cell: ExcelJS.Cell, loc: Location): { raw: RawValue; issues: Issue[] } {
  if (cell.isMerged && cell.master !== cell) {
    if (cell.master.value === null || cell.master.value === undefined) return { raw: null, issues: [] };
    return {
      raw: null,
      issues: [
        issue(
          'merged_cell',
          'warning',
          `The cell is merged into ${cell.master.address}, whose value was not copied here; check that the answer in ${cell.master.address} belongs to one question only.`,
          loc,
        ),
      ],
    };
  }
  return cellRaw(cell.value, loc);
}
