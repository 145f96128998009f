import { formatLocation, issue, type Issue } from '../../schemas/issue.ts';

/**
 * A value a person coded that disagrees with one read automatically from the same reply, for the same
 * question, period and basis. Both are kept; the disagreement is an Issue for a person (code
 * `coding_conflict`), never settled by overwriting either.
 */
export interface ComparableValue {
  question_id: string;
  period_id: string | null;
  period_start: string | null;
  period_end: string | null;
  basis: string | null;
  service: string | null;
  low: string | number | null;
  high: string | number | null;
  yes_no: boolean | null;
  missing_reason: string | null;
  age_band_label: string | null;
  quote: string;
  coded_by?: string | null;
  page: number | null;
  line: number | null;
  sheet: string | null;
  cell: string | null;
  row_no: number | null;
}

export const slotOf = (v: ComparableValue): string =>
  [v.question_id, v.period_id ?? (v.period_start ? `${v.period_start}..${v.period_end}` : ''), v.basis ?? ''].join('|');

const num = (x: string | number | null) => (x === null ? null : Number(x));
const show = (v: ComparableValue) =>
  v.missing_reason ??
  (v.yes_no !== null
    ? v.yes_no
      ? 'yes'
      : 'no'
    : v.low === null
      ? '(no answer)'
      : `[${num(v.low)}, ${v.high === null ? 'open' : num(v.high)}]`);

function sameAnswer(a: ComparableValue, b: ComparableValue): boolean {
  return (
    num(a.low) === num(b.low) &&
    num(a.high) === num(b.high) &&
    a.yes_no === b.yes_no &&
    a.missing_reason === b.missing_reason
  );
}

/** `at`: where to file the issue for a coded value (the coding-sheet row); by default the automatic value's place in the reply. */
export function codingConflicts(
  automatic: readonly ComparableValue[],
  coded: readonly (ComparableValue & { coding_key?: string | null })[],
  fileHash: string,
  who: string,
  at?: (codingKey: string) => Issue['location'],
): Issue[] {
  const bySlot = new Map<string, ComparableValue[]>();
  // Breakdowns by team are parts of a value, not answers of their own.
  for (const a of automatic)
    if (a.service === null || a.period_id === null) bySlot.set(slotOf(a), [...(bySlot.get(slotOf(a)) ?? []), a]);
  const out: Issue[] = [];
  for (const c of coded) {
    for (const a of bySlot.get(slotOf(c)) ?? []) {
      if (sameAnswer(a, c)) continue;
      const where = {
        fileHash,
        ...(a.page !== null ? { page: a.page } : {}),
        ...(a.line !== null ? { line: a.line } : {}),
        ...(a.sheet !== null ? { sheet: a.sheet } : {}),
        ...(a.cell !== null ? { cell: a.cell } : {}),
        ...(a.row_no !== null ? { row: a.row_no } : {}),
      };
      out.push(
        issue(
          'coding_conflict',
          'warning',
          `${c.coded_by ?? who} coded ${c.question_id}${c.period_id ? ` ${c.period_id}` : ''} as ${show(c)} but the reply was read automatically as ${show(a)} at ${formatLocation(where)} ("${a.quote}"); both are kept. Check the reply and correct the coding sheet row if needed.`,
          at && c.coding_key ? at(c.coding_key) : where,
          { raw: a.quote, questionId: c.question_id },
        ),
      );
    }
  }
  return out;
}
