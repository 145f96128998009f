import type { AskedPeriod, CodedValue, FoiReadResult, ResponseBasis } from '../../schemas/foi.ts';
import { issue, type Issue, type Location } from '../../schemas/issue.ts';
import { servicesNamed } from './answers.ts';
import type { LetterResult } from './letter.ts';

/** The parts every reader ends with: the response's basis and whether a person must code it. */

/**
 * `serviceText`: the reply's answer to which services received the referrals (q5). `asked`: the wave's
 * periods; a value answering one counts as that period's kind, so "2023/24 (to date)" is still a financial year.
 */
export function responseBasis(
  values: readonly CodedValue[],
  asked: readonly AskedPeriod[],
  serviceText?: string,
): ResponseBasis {
  const counted = values.filter((v) => v.interval !== null);
  const bases = new Set(counted.map((v) => v.basis));
  const referralType = bases.size === 2 ? 'received_and_accepted' : bases.size === 1 ? [...bases][0]! : 'unknown';
  // The band most values use; ties go to the one seen first, so the footnote is stable for a given file.
  const bandCounts = new Map<string, { n: number; band: CodedValue['ageBand'] }>();
  for (const v of counted)
    bandCounts.set(v.ageBand.label, { n: (bandCounts.get(v.ageBand.label)?.n ?? 0) + 1, band: v.ageBand });
  const ageBand = [...bandCounts.values()].sort((a, b) => b.n - a.n)[0]?.band ?? null;
  // Months are parts of the asked periods; the basis names the periods the reply answers in.
  const kind = (v: CodedValue) => asked.find((a) => a.id === v.askedPeriodId)?.type ?? v.period!.type;
  const types = new Set(
    counted.filter((v) => v.period && (v.askedPeriodId !== undefined || v.period.type !== 'month')).map(kind),
  );
  const periodType =
    types.size === 0
      ? counted.some((v) => v.period?.type === 'month')
        ? 'month'
        : null
      : types.size === 1
        ? [...types][0]!
        : 'mixed';
  const services = new Set<string>();
  for (const v of values) {
    if (v.service) services.add(v.service);
    for (const p of v.derivedFrom ?? []) if (p.service) services.add(p.service);
  }
  for (const s of servicesNamed(serviceText ?? '')) services.add(s);
  return { referralType, ageBand, periodType, servicesIncluded: [...services].sort() };
}

export function fromLetter(
  r: LetterResult,
  asked: readonly AskedPeriod[],
  extra: Partial<FoiReadResult> = {},
): FoiReadResult {
  const answered = r.values.length + r.textAnswers.length > 0 || (extra.attachments?.length ?? 0) > 0;
  const out: FoiReadResult = {
    values: r.values,
    issues: [...r.issues],
    basis: responseBasis(r.values, asked, r.serviceText),
    needsManualCoding: r.uncoded > 0 || !answered,
    textAnswers: r.textAnswers,
    trustHint: r.trustHint,
    ...extra,
  };
  if (!answered)
    out.issues.push(
      issue('no_answers_found', 'warning', 'No answer could be read from this reply; it goes to the coding sheet.', {}),
    );
  if (r.accepts !== undefined) out.accepts = r.accepts;
  if (r.serviceText !== undefined) out.serviceText = r.serviceText;
  if (r.replyDate !== undefined) out.replyDate = r.replyDate;
  if (r.records !== undefined) out.records = r.records;
  return out;
}

/** A reply nothing could be read from (a scan, a broken file): recorded for a person, never guessed. */
export function manualOnly(issues: Issue[]): FoiReadResult {
  return { values: [], issues, basis: responseBasis([], []), needsManualCoding: true, textAnswers: [], trustHint: {} };
}

export function needsManual(location: Location, message: string, raw?: string): Issue {
  return issue('needs_manual_coding', 'warning', message, location, raw === undefined ? {} : { raw });
}
