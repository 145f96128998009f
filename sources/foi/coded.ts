import { issue, type Issue, type IssueCode, type Location, type Severity } from '../../schemas/issue.ts';

/** A coding rule's answer: a value, or null with at least one issue saying why. Rules never throw on input. */
export interface Coded<T> {
  value: T | null;
  issues: Issue[];
}

export function ok<T>(value: T, issues: Issue[] = []): Coded<T> {
  return { value, issues };
}

export function fail<T>(
  code: IssueCode,
  message: string,
  location: Location,
  raw: string,
  severity: Severity = 'warning',
): Coded<T> {
  return { value: null, issues: [issue(code, severity, message, location, { raw })] };
}

/** Lower case, one kind of dash and space, no typographic quotes: the form every pattern here is written for. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2264/g, '<=')
    .replace(/\u2265/g, '>=')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}
