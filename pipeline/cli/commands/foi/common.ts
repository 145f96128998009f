import { formatLocation, type Issue } from '../../../../schemas/issue.ts';
import type { NonWorkingReason } from '../../../foi/calendar.ts';
import { safeName, textTable } from '../../../runtime/terminal.ts';

/** Issues as the other commands print them: one line each, location in the file. */
export function printIssues(
  issues: readonly Issue[],
  fileName: string,
  out: NodeJS.WritableStream = process.stdout,
): void {
  if (issues.length === 0) return;
  out.write(`\nIssues (${issues.length}):\n`);
  out.write(
    `${textTable(
      ['severity', 'code', 'location', 'message'],
      issues.map((i) => [i.severity, i.code, `${safeName(fileName)} ${formatLocation(i.location)}`, i.message]),
    )}\n`,
  );
}

export const hasErrorIssues = (issues: readonly Issue[]): boolean => issues.some((i) => i.severity === 'error');

/** Why a day was skipped, for a person: a statutory day the holiday list also names is said once. */
export function skippedBecause(reasons: readonly NonWorkingReason[]): string {
  const listed = new Set(reasons.flatMap((r) => (r.kind === 'bank_holiday' ? [r.name] : [])));
  return reasons
    .filter((r) => r.kind !== 'statutory' || !listed.has(r.name))
    .map((r) => (r.kind === 'bank_holiday' ? `${r.name} (${r.divisions.join(', ')})` : r.name))
    .join(' / ');
}
