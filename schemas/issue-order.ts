/**
 * The order issues are listed in for a person (census issues, check, ingest, and the teams'
 * self-check page): errors first, then file, sheet, page, line and row in number order (C7 before
 * C29), then column and code.
 */
const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** The row of a cell reference ("C29" -> 29), for numeric order: C7 before C29. */
function cellRow(cell: string | undefined): number {
  const m = /(\d+)$/.exec(cell ?? '');
  return m ? Number(m[1]) : -1;
}

function cellColumn(cell: string | undefined): string {
  const letters = /^([A-Za-z]+)/.exec(cell ?? '')?.[1] ?? '';
  return letters.toUpperCase().padStart(3, ' ');
}

interface Locatable {
  severity: string;
  file: string;
  where: { sheet?: string; cell?: string; page?: number; line?: number; row?: number };
  code: string;
}

/** Issues in the order a person works through them: severity, then file, then sheet and row (numeric), then column and code. */
export function compareIssues(a: Locatable, b: Locatable): number {
  const num = (x: number | undefined): number => x ?? -1;
  return (
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    a.file.localeCompare(b.file) ||
    (a.where.sheet ?? '').localeCompare(b.where.sheet ?? '') ||
    num(a.where.page) - num(b.where.page) ||
    num(a.where.line) - num(b.where.line) ||
    num(a.where.row) - num(b.where.row) ||
    cellRow(a.where.cell) - cellRow(b.where.cell) ||
    cellColumn(a.where.cell).localeCompare(cellColumn(b.where.cell)) ||
    a.code.localeCompare(b.code)
  );
}
