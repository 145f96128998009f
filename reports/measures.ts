import { point, sum, type Bounds } from './intervals.ts';
import { CensusError } from '../schemas/fault.ts';
import { answerKey, type AnswerRow, type Coverage, type WaveData } from './input.ts';

/**
 * The statistics of report.md computed from one wave's view rows: counts of teams choosing an option,
 * sums of intervals, the values behind medians. Each result carries its denominator (teams that
 * answered, teams that did not) and the answer keys behind it. Section 7 runs the same functions on
 * every loaded wave, so a headline figure is computed one way only.
 */
export interface Counted {
  count: number;
  answered: number;
  notAnswered: number;
  /** Of notAnswered: unreadable, and flagged answers left out (only when any). */
  unreadable?: number;
  leftOut?: number;
  records: string[];
}
export interface Summed {
  value: Bounds;
  answered: number;
  notAnswered: number;
  unreadable?: number;
  leftOut?: number;
  open: number;
  records: string[];
}

/** How many of the rows are unreadable or left out (flagged), each only when any. */
export function missingReasons(rows: readonly AnswerRow[]): { unreadable?: number; leftOut?: number } {
  const unreadable = rows.filter((a) => !a.answered && a.missingReason === 'unreadable').length;
  const leftOut = rows.filter((a) => !a.answered && a.missingReason === 'left_out').length;
  return { ...(unreadable ? { unreadable } : {}), ...(leftOut ? { leftOut } : {}) };
}

function reasonsOf(c: Coverage): { unreadable?: number; leftOut?: number } {
  return { ...(c.unreadable ? { unreadable: c.unreadable } : {}), ...(c.leftOut ? { leftOut: c.leftOut } : {}) };
}

export function coverage(d: WaveData, q: string): Coverage {
  return d.coverage.get(q) ?? { teams: d.teams.length, answered: 0, notAnswered: d.teams.length };
}

export function asked(d: WaveData, q: string): boolean {
  return d.list.questions.some((x) => x.id === q);
}

export function answered(d: WaveData, q: string): AnswerRow[] {
  return (d.answers.get(q) ?? []).filter((a) => a.answered);
}

function chose(a: AnswerRow, code: string): boolean {
  return a.kind === 'codes' ? a.codes.includes(code) : a.kind === 'code' && a.text === code;
}

/** Teams choosing `code` at question `q`, of the teams that answered `q`. */
export function optionCount(d: WaveData, q: string, code: string): Counted {
  const c = coverage(d, q);
  const rows = answered(d, q).filter((a) => chose(a, code));
  return {
    count: d.options.get(q)?.get(code) ?? 0,
    answered: c.answered,
    notAnswered: c.notAnswered,
    ...reasonsOf(c),
    records: rows.map((a) => answerKey(a.returnId, q)),
  };
}

/** Teams in a harmonised category (sql/003), for questions whose wording changed between waves. */
export function harmonisedCount(d: WaveData, q: string, category: string): Counted {
  const c = coverage(d, q);
  const codes = new Set(
    (d.list.questions.find((x) => x.id === q)?.options ?? [])
      .filter((o) => o.harmonised === category)
      .map((o) => o.code),
  );
  const rows = answered(d, q).filter((a) => [...codes].some((code) => chose(a, code)));
  return {
    count: d.harmonised.get(q)?.get(category) ?? 0,
    answered: c.answered,
    notAnswered: c.notAnswered,
    ...reasonsOf(c),
    records: rows.map((a) => answerKey(a.returnId, q)),
  };
}

function inNations(a: AnswerRow, nations: readonly string[] | null): boolean {
  return nations === null || (a.nation !== null && nations.includes(a.nation));
}

/** Answers of `q` read as intervals (counts, bands; a number as [n, n]), optionally for some nations only. */
export function intervalsOf(
  d: WaveData,
  q: string,
  nations: readonly string[] | null = null,
): { id: string; value: Bounds; row: AnswerRow }[] {
  return answered(d, q)
    .filter((a) => inNations(a, nations))
    .flatMap((a) => {
      const value = a.interval ?? (a.num !== null ? point(a.num) : null);
      return value ? [{ id: answerKey(a.returnId, q), value, row: a }] : [];
    });
}

/**
 * Lows and highs summed (report.md "Ranges"); an open top band counts as `cap` at its high end when a
 * cap is given, otherwise the sum stays open and prints as "over <sum of lows>".
 */
export function intervalSum(
  d: WaveData,
  q: string,
  opts: { cap?: number; nations?: readonly string[] | null } = {},
): Summed {
  const nations = opts.nations ?? null;
  const items = intervalsOf(d, q, nations);
  const all = (d.answers.get(q) ?? []).filter((a) => inNations(a, nations));
  let value: Bounds;
  try {
    value = sum(
      items.map((i) => i.value),
      opts.cap === undefined ? {} : { cap: opts.cap },
    );
  } catch (err) {
    throw new CensusError(
      'usage',
      `Question ${q}, wave ${d.wave}: ${(err as Error).message}.`,
      'Raise openBandCaps in the --params file.',
      { cause: err },
    );
  }
  return {
    value,
    answered: items.length,
    notAnswered: all.length - items.length,
    ...missingReasons(all),
    open: items.filter((i) => i.value.high === null).length,
    records: items.map((i) => i.id),
  };
}

/** Plain numbers (WTE, days, years) with their answer keys. */
export function numbersOf(d: WaveData, q: string): { id: string; value: number }[] {
  return answered(d, q).flatMap((a) => (a.num === null ? [] : [{ id: answerKey(a.returnId, q), value: a.num }]));
}

export function teamsWithStatus(d: WaveData, status: string): number {
  return d.statuses.get(status) ?? 0;
}

/** A question's options in list order, as [code, label]. */
const YES_NO_LABELS: Record<string, string> = { yes: 'Yes', no: 'No', dont_know: "Don't know", planned: 'Planned' };

export function optionsOf(d: WaveData, q: string): { code: string; label: string }[] {
  const question = d.list.questions.find((x) => x.id === q);
  if (question?.type === 'yes_no')
    return ['yes', 'no', ...question.extraCodes].map((code) => ({ code, label: YES_NO_LABELS[code] ?? code }));
  return (question?.options ?? []).map((o) => ({ code: o.code, label: o.label }));
}

export function labelOf(d: WaveData, q: string, code: string | null): string {
  if (code === null) return 'Not answered';
  return optionsOf(d, q).find((o) => o.code === code)?.label ?? code;
}

/** The ONS code a question list gives an option as a synonym (nations: "E92000001"), if any. */
export function onsCodeOf(d: WaveData, q: string, code: string): string | null {
  const option = d.list.questions.find((x) => x.id === q)?.options?.find((o) => o.code === code);
  return option?.synonyms.find((syn) => /^[A-Z]\d{8}$/.test(syn)) ?? null;
}
