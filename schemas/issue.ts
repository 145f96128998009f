import { z } from 'zod';
import type { IssueCode, IssueCodeSeverity } from './issue-codes.ts';

export type { IssueCode } from './issue-codes.ts';

/** Where in a stored file a value or a problem sits. Every field is optional; a location names as much as it knows. */
export const locationSchema = z.object({
  /** sha256 of the stored file (the raw store's key). */
  fileHash: z.string().optional(),
  sheet: z.string().optional(),
  /** A1-style cell reference, e.g. "C14". */
  cell: z.string().optional(),
  page: z.number().int().optional(),
  line: z.number().int().optional(),
  /** 1-based data row of a csv file (the header is row 1). */
  row: z.number().int().optional(),
  column: z.string().optional(),
});
export type Location = z.infer<typeof locationSchema>;

const severitySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof severitySchema>;

/**
 * A problem in the data. Issues are values: stages return all of them, never throw them.
 * `error` blocks the load of the return it belongs to; `warning` loads with a flag; `info` is a note.
 */
export const issueSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  severity: severitySchema,
  message: z.string(),
  location: locationSchema,
  /** The raw input that caused it, as text (cut to a sane length by the caller). */
  raw: z.string().optional(),
  questionId: z.string().optional(),
});
export type Issue = z.infer<typeof issueSchema>;

/**
 * An issue with a code from the catalogue (./issue-codes.ts), at its usual severity or one the catalogue
 * also allows for it: a misspelt code, or a severity the code is never raised at, does not compile.
 */
export function issue<C extends IssueCode>(
  code: C,
  severity: IssueCodeSeverity<C>,
  message: string,
  location: Location,
  extra: { raw?: string; questionId?: string } = {},
): Issue {
  const out: Issue = { code, severity, message, location };
  if (extra.raw !== undefined) out.raw = extra.raw.length > 500 ? `${extra.raw.slice(0, 500)}…` : extra.raw;
  if (extra.questionId !== undefined) out.questionId = extra.questionId;
  return out;
}

/** "Questionnaire!C14", "p3:12", "row 7": how a location prints for a person. */
export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.sheet !== undefined && loc.cell !== undefined) parts.push(`${loc.sheet}!${loc.cell}`);
  else if (loc.sheet !== undefined) parts.push(loc.sheet);
  else if (loc.cell !== undefined) parts.push(loc.cell);
  if (loc.page !== undefined) parts.push(loc.line !== undefined ? `p${loc.page}:${loc.line}` : `p${loc.page}`);
  else if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined && loc.cell === undefined) parts.push(`column "${loc.column}"`);
  return parts.join(' ') || '(whole file)';
}

function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
