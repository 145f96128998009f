import type ExcelJS from 'exceljs';
import type { RawValue } from '../../schemas/answer.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';

/**
 * An exceljs cell value as a plain RawValue. Formulas give their cached result (never evaluated);
 * error cells (#REF!, #N/A) and formulas without a cached result become issues, not values.
 */
export function cellRaw(value: ExcelJS.CellValue, loc: Location): { raw: RawValue; issues: Issue[] } {
  if (value === null || value === undefined) return { raw: null, issues: [] };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { raw: value, issues: [] };
  if (value instanceof Date) return { raw: value, issues: [] };
  const v = value as unknown as Record<string, unknown>;
  if ('error' in v) {
    return { raw: null, issues: [issue('cell_error', 'error', `The cell holds the spreadsheet error ${String(v.error)} instead of an answer. Ask the team to type the answer itself.`, loc, { raw: String(v.error) })] };
  }
  if ('richText' in v && Array.isArray(v.richText)) {
    return { raw: (v.richText as { text: string }[]).map((r) => r.text).join(''), issues: [] };
  }
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) {
      return { raw: null, issues: [issue('formula_no_cached_value', 'warning', 'The cell has a formula but no saved result; formulas are never run. Ask the team to type the value or re-save the file in a spreadsheet program.', loc, { raw: `=${String(v.formula ?? v.sharedFormula)}` })] };
    }
    if (typeof result === 'object' && result !== null && 'error' in result) {
      return { raw: null, issues: [issue('cell_error', 'error', `The cell's formula gives the error ${String((result as { error: unknown }).error)}.`, loc, { raw: String((result as { error: unknown }).error) })] };
    }
    return cellRaw(result as ExcelJS.CellValue, loc);
  }
  if ('text' in v && typeof v.text === 'string') return { raw: v.text, issues: [] };
  if ('hyperlink' in v) return { raw: String(v.hyperlink), issues: [] };
  return { raw: JSON.stringify(v).slice(0, 200), issues: [] };
}

/** Text of a cell for matching labels and headers; '' when empty. */
export function cellText(value: ExcelJS.CellValue): string {
  const { raw } = cellRaw(value, {});
  if (raw === null) return '';
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  return String(raw).trim();
}
