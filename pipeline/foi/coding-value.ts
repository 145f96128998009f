import { foiFlagSchema, type FoiQuestionList } from '../../schemas/foi.ts';
import { issue, type Issue, type IssueCode, type Location } from '../../schemas/issue.ts';
import { parseAgeBand } from '../../sources/foi/age-band.ts';
import { MISSING_REASONS, type FilledRow } from '../../sources/foi/coding-sheet.ts';
import { canonicalExemption } from '../../sources/foi/exemptions.ts';
import type { FoiValueRow } from './value-rows.ts';

/** One filled coding-sheet row as the coded foi_value it records, or issues saying why it records nothing. */

export interface RowKey {
  kind: 'code' | 'band' | 'confirm';
  sha256: string;
  /** A joint reply's part for this trust (sql/022); null for the file's own row. */
  part: string | null;
  questionId: string;
  periodId: string | null;
  basis: 'received' | 'accepted' | null;
  band: string | null;
}

export function parseKey(key: string): RowKey | null {
  const [kind, reply, questionId, periodId, basis, ...band] = key.split('|');
  const [sha256, part, ...more] = (reply ?? '').split('@');
  if (
    (kind !== 'code' && kind !== 'band' && kind !== 'confirm') ||
    !sha256 ||
    !/^[0-9a-f]{64}$/.test(sha256) ||
    (part !== undefined && !/^[A-Z0-9]{3,5}$/.test(part)) ||
    more.length > 0 ||
    !questionId ||
    periodId === undefined ||
    basis === undefined
  )
    return null;
  if (basis !== '-' && basis !== 'received' && basis !== 'accepted') return null;
  return {
    kind,
    sha256,
    part: part ?? null,
    questionId,
    periodId: periodId === '-' ? null : periodId,
    basis: basis === '-' ? null : basis,
    band: band.length ? band.join('|') : null,
  };
}

/** The automatic value a band row is about: the fields a coded value copies when the person only accepts or rejects. */
export type AutomaticBandValue = Pick<
  FoiValueRow,
  | 'low'
  | 'high'
  | 'flags'
  | 'age_band_label'
  | 'age_months_low'
  | 'age_months_high'
  | 'quote'
  | 'page'
  | 'line'
  | 'sheet'
  | 'cell'
  | 'row_no'
  | 'column_name'
  | 'period_start'
  | 'period_end'
  | 'period_label'
  | 'period_type'
  | 'exemptions'
> &
  Partial<Pick<FoiValueRow, 'age_band_exact' | 'missing_reason'>>;

export function codedRowValue(
  row: FilledRow,
  key: RowKey,
  ctx: {
    list: FoiQuestionList;
    responseId: string;
    by: string;
    at: Date;
    sheetHash: string;
    automatic?: AutomaticBandValue;
  },
): { value: FoiValueRow | null; issues: Issue[] } {
  const where: Location = { fileHash: ctx.sheetHash, sheet: 'Coding', row: row.row };
  const issues: Issue[] = [];
  const stop = (code: IssueCode, message: string, raw?: string) => ({
    value: null,
    issues: [
      ...issues,
      issue(code, 'error', message, where, { questionId: key.questionId, ...(raw === undefined ? {} : { raw }) }),
    ],
  });
  const question = ctx.list.questions.find((q) => q.id === key.questionId);
  const period = key.periodId === null ? undefined : ctx.list.periods.find((p) => p.id === key.periodId);
  if (!question || (key.periodId !== null && !period))
    return stop(
      'coding_row_key_invalid',
      `The hidden key names question ${key.questionId} / period ${key.periodId}, which wave ${ctx.list.wave} does not ask.`,
      row.key,
    );
  if (key.kind === 'band' && !ctx.automatic)
    return stop(
      'coding_row_stale',
      'The value this row is about is no longer read from the reply (it was re-read since the sheet was written); write a fresh sheet.',
    );

  // A count past 2^53 - 1 is no whole number here: a JavaScript number would store another one.
  const whole = (s: string | null) =>
    s !== null && /^\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : null;
  const tooLarge = (s: string) =>
    /^\d+$/.test(s) ? ` (counts above ${Number.MAX_SAFE_INTEGER} cannot be kept exactly)` : '';
  let low: number | null = null,
    high: number | null = null;
  if (row.low !== null) {
    low = whole(row.low);
    if (low === null)
      return stop(
        'coding_value_unreadable',
        `Low must be a whole number, not "${row.low}"${tooLarge(row.low)} (for "<5" type Low 0, High 4, flag suppressed).`,
        row.low,
      );
    if (row.high === null) high = low;
    else if (/^open$/i.test(row.high)) high = null;
    else {
      high = whole(row.high);
      if (high === null || high < low)
        return stop(
          'coding_value_unreadable',
          `High must be a whole number at least Low, "open" or blank, not "${row.high}"${tooLarge(row.high)}.`,
          row.high,
        );
    }
  } else if (row.high !== null)
    return stop('coding_value_unreadable', 'High is filled but Low is blank; type Low too (0 if unknown).', row.high);
  const missing = row.missingReason?.toLowerCase().replace(/[\s-]+/g, '_') ?? null;
  if (missing !== null && !(MISSING_REASONS as readonly string[]).includes(missing))
    return stop(
      'coding_value_unreadable',
      `Missing reason must be one of ${MISSING_REASONS.join(', ')}, not "${row.missingReason}".`,
      row.missingReason!,
    );
  if (missing !== null && low !== null)
    return stop('coding_value_conflicting', 'Both a count and a missing reason are filled; keep one.');
  const yn =
    row.yesNo === null
      ? null
      : /^(y|yes|true)$/i.test(row.yesNo)
        ? true
        : /^(n|no|false)$/i.test(row.yesNo)
          ? false
          : undefined;
  if (yn === undefined)
    return stop('coding_value_unreadable', `Yes/No must be yes or no, not "${row.yesNo}".`, row.yesNo!);
  const accept =
    row.acceptBand === null
      ? null
      : /^(y|yes|true)$/i.test(row.acceptBand)
        ? true
        : /^(n|no|false)$/i.test(row.acceptBand)
          ? false
          : undefined;
  const confirm =
    row.confirm === null
      ? null
      : /^(y|yes|true)$/i.test(row.confirm)
        ? true
        : /^(n|no|false)$/i.test(row.confirm)
          ? false
          : undefined;
  if (confirm === undefined)
    return stop('coding_value_unreadable', `Confirm suggestion must be yes or no, not "${row.confirm}".`, row.confirm!);
  if (key.kind === 'confirm' && confirm === true && !ctx.automatic && low === null && missing === null)
    return stop(
      'coding_row_stale',
      'There is no single suggestion to confirm for this row (the reply was re-read, or its readings disagree); type the answer in Low/High or Missing reason.',
    );
  if (accept === undefined)
    return stop(
      'coding_value_unreadable',
      `Accept band mismatch must be yes or no, not "${row.acceptBand}".`,
      row.acceptBand!,
    );
  const a = ctx.automatic;
  const count = question.answerType === 'count_per_period';
  const answered =
    low !== null ||
    missing !== null ||
    (!count && (yn !== null || row.text !== null)) ||
    (key.kind === 'band' && accept !== null) ||
    (key.kind === 'confirm' && confirm === true);
  if (!answered)
    return {
      value: null,
      issues: [
        issue('coding_row_empty', 'info', 'Only notes or flags are filled: nothing recorded for this row.', where, {
          questionId: key.questionId,
        }),
      ],
    };

  const flags = new Set<string>(a && low === null && missing === null ? (a.flags ?? []) : []);
  for (const f of (row.flags ?? '').split(/[\s,;]+/).filter((x) => x !== '')) {
    if (foiFlagSchema.safeParse(f).success) flags.add(f);
    else
      issues.push(
        issue(
          'coding_flag_unknown',
          'warning',
          `"${f}" is not a flag (${foiFlagSchema.options.join(', ')}); ignored.`,
          where,
          { raw: f, questionId: key.questionId },
        ),
      );
  }
  let band = {
    label: a?.age_band_label ?? ctx.list.askedAgeBand.label,
    months: a ? [a.age_months_low ?? null, a.age_months_high ?? null] : ctx.list.askedAgeBand.months,
    exact: a ? key.kind === 'confirm' && a.age_band_exact === true : true,
  };
  if (row.ageBand !== null) {
    const parsed = parseAgeBand(row.ageBand, where, ctx.list.askedAgeBand.months ?? [0, 23]);
    issues.push(...parsed.issues);
    band = parsed.value
      ? { label: parsed.value.band.label, months: parsed.value.band.months, exact: parsed.value.band.exact }
      : { label: row.ageBand, months: null, exact: false };
  }
  // Accepting a band keeps the flag: acceptance is recorded in band_accepted, the band stays what the trust gave.
  if (count && !band.exact) flags.add('band_mismatch');
  const exemptions = (row.exemptions ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => canonicalExemption(s) ?? s);
  const page = whole(row.page);
  if (row.page !== null && page === null)
    issues.push(
      issue('coding_value_unreadable', 'warning', `Page must be a number, not "${row.page}"; left out.`, where, {
        raw: row.page,
      }),
    );
  const value: FoiValueRow = {
    response_id: ctx.responseId,
    question_id: key.questionId,
    period_id: key.periodId,
    period_start: a?.period_start ?? period?.start ?? null,
    period_end: a?.period_end ?? period?.end ?? null,
    period_label: a?.period_label ?? period?.label ?? null,
    period_type: a?.period_type ?? period?.type ?? null,
    low: low ?? (missing === null && a ? (a.low ?? null) : null),
    high: low !== null ? high : missing === null && a ? (a.high ?? null) : null,
    flags: [...flags].sort(),
    age_band_label: count ? band.label : null,
    age_months_low: count ? (band.months?.[0] ?? null) : null,
    age_months_high: count ? (band.months?.[1] ?? null) : null,
    age_band_exact: count ? band.exact : null,
    band_accepted: key.kind === 'band' ? accept : null,
    basis: key.basis,
    yes_no: count ? null : yn,
    text_value: count ? null : row.text,
    exemptions: exemptions.length ? exemptions.sort() : (a?.exemptions ?? []),
    missing_reason: (missing ??
      (key.kind === 'confirm' && low === null && a
        ? (a.missing_reason ?? null)
        : null)) as FoiValueRow['missing_reason'],
    page: page ?? (a ? (a.page ?? null) : null),
    line: page === null && a ? (a.line ?? null) : null,
    sheet: page === null && a ? (a.sheet ?? null) : null,
    cell: page === null && a ? (a.cell ?? null) : null,
    row_no: page === null && a ? (a.row_no ?? null) : null,
    column_name: page === null && a ? (a.column_name ?? null) : null,
    quote: row.quote ?? a?.quote ?? '(coded by hand; no quote typed)',
    method: 'coded',
    coded_by: ctx.by,
    coded_at: ctx.at,
    coding_key: row.key,
  };
  return { value, issues };
}

const COMPARED = [
  'question_id',
  'period_id',
  'low',
  'high',
  'flags',
  'age_band_label',
  'age_months_low',
  'age_months_high',
  'age_band_exact',
  'band_accepted',
  'basis',
  'yes_no',
  'text_value',
  'exemptions',
  'missing_reason',
  'page',
  'quote',
] as const;
const norm = (v: unknown) =>
  v === null || v === undefined
    ? null
    : Array.isArray(v)
      ? v.join(',')
      : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)
        ? Number(v)
        : v;

/** Whether a stored coded value already says what this row says (who typed it and when do not count). */
export function sameCoding(stored: Record<string, unknown>, fresh: FoiValueRow): boolean {
  return COMPARED.every((f) => norm(stored[f]) === norm((fresh as Record<string, unknown>)[f]));
}
