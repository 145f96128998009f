import type { Insertable } from 'kysely';
import type { FoiValueTable } from '../../schemas/db.ts';
import type { CodedValue, TextAnswer } from '../../schemas/foi.ts';
import type { Location } from '../../schemas/issue.ts';

/** CodedValue and TextAnswer (sources/foi) as foi_value rows; the location columns mirror data_issue's. */

export type FoiValueRow = Insertable<FoiValueTable>;

function locationColumns(loc: Location) {
  return {
    page: loc.page ?? null,
    line: loc.line ?? null,
    sheet: loc.sheet ?? null,
    cell: loc.cell ?? null,
    row_no: loc.row ?? null,
    column_name: loc.column ?? null,
  };
}

export function codedValueRow(responseId: string, v: CodedValue): FoiValueRow {
  return {
    response_id: responseId,
    question_id: v.questionId,
    period_id: v.askedPeriodId ?? null,
    period_start: v.period?.start ?? null,
    period_end: v.period?.end ?? null,
    period_label: v.period?.label ?? null,
    period_type: v.period?.type ?? null,
    low: v.interval?.low ?? null,
    high: v.interval?.high ?? null,
    flags: [...v.flags].sort(),
    age_band_label: v.ageBand.label,
    age_months_low: v.ageBand.months?.[0] ?? null,
    age_months_high: v.ageBand.months?.[1] ?? null,
    age_band_exact: v.ageBand.exact,
    basis: v.basis,
    service: v.service ?? null,
    exemptions: [...v.exemptions].sort(),
    missing_reason: v.missingReason ?? null,
    ...locationColumns(v.location),
    quote: v.quote,
    derived_from: v.derivedFrom ? JSON.stringify(v.derivedFrom) : null,
    method: 'automatic',
    rule: v.rule ?? null,
    evidence: v.evidence ?? null,
    suggestion: v.suggestion ?? null,
  };
}

/** q1/q4/q5 of wave 2024: yes/no and text; q4's service name goes in `service`. */
export function textAnswerRow(responseId: string, a: TextAnswer): FoiValueRow {
  return {
    response_id: responseId,
    question_id: a.questionId,
    yes_no: a.yesNo,
    text_value: a.text === '' ? null : a.text,
    service: a.name ?? null,
    ...locationColumns(a.location),
    quote: a.quote,
    method: 'automatic',
  };
}
