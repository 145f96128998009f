import { formatLocation, type Location } from '../../schemas/issue.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { correctionsOf, type CorrectionRow } from './corrections.ts';

/**
 * Everything spec/foi.md "Coding rules" keeps about a coded value, gathered for the audit: who the value
 * is about, its interval as used and as the reply said, flags, the reply file (name + sha256), the place
 * in it and the quoted text, how it was coded, and every correction with its reason.
 */

export interface Interval {
  low: number;
  high: number | null;
}
interface Part {
  location: string;
  quote: string;
  interval: Interval | null;
}

export interface ValueTrail {
  valueId: string;
  wave: number;
  trustOds: string | null;
  trustName: string | null;
  requestId: string | null;
  questionId: string;
  period: string | null;
  periodDates: string | null;
  basis: string | null;
  ageBand: string | null;
  team: string | null;
  /** As the report uses it (corrections applied); null when missing or a text answer. */
  interval: Interval | null;
  rawInterval: Interval | null;
  answer: string | null;
  missing: string | null;
  flags: string[];
  file: { name: string; sha256: string; kind: string; parentSha256: string | null };
  location: string;
  quote: string;
  /** Summed months or team rows the value was made from, with their own places and quotes. */
  parts: Part[];
  how: string;
  /** A coded value that replaced another (coding sheet): the one it replaced and why. */
  replaces: { valueId: string; reason: string | null } | null;
  corrections: CorrectionRow[];
  /**
   * Whether the report uses this value (report_foi_value): false for a value a later reply or a person's
   * coding replaced, and for a reading only suggested (it feeds no figure until a person confirms it).
   */
  inReport: boolean;
  /** Whether the value's period is one the wave asked; null when it has no period (a yes/no or text answer). */
  periodAsked: boolean | null;
  /** Why the reading was only suggested, when it was; null otherwise. */
  suggestion: string | null;
}

const num = (x: string | number | null): number | null => (x === null ? null : Number(x));
const interval = (low: string | number | null, high: string | number | null): Interval | null =>
  low === null ? null : { low: Number(low), high: num(high) };

function location(v: {
  page: number | null;
  line: number | null;
  sheet: string | null;
  cell: string | null;
  row_no: number | null;
  column_name: string | null;
}): string {
  const loc: Location = {};
  if (v.page !== null) loc.page = v.page;
  if (v.line !== null) loc.line = v.line;
  if (v.sheet !== null) loc.sheet = v.sheet;
  if (v.cell !== null) loc.cell = v.cell;
  if (v.row_no !== null) loc.row = v.row_no;
  if (v.column_name !== null) loc.column = v.column_name;
  return formatLocation(loc);
}

function parts(derived: unknown): Part[] {
  if (!Array.isArray(derived)) return [];
  return derived.map(
    (p: { location?: Location; quote?: string; interval?: { low: number; high: number | null } | null }) => ({
      location: formatLocation(p.location ?? {}),
      quote: p.quote ?? '',
      interval: p.interval ? { low: p.interval.low, high: p.interval.high } : null,
    }),
  );
}

/** The trail of each value id that still exists, in the order asked; ids not found are returned apart. */
export async function valueTrails(
  ids: readonly string[],
  ctx: Ctx,
): Promise<{ trails: ValueTrail[]; missing: string[] }> {
  const wanted = [...new Set(ids.filter((i) => /^\d+$/.test(i)))];
  if (wanted.length === 0) return { trails: [], missing: [...new Set(ids)] };
  const rows = await ctx.db
    .selectFrom('foi_value_corrected as v')
    .innerJoin('foi_response as r', 'r.id', 'v.response_id')
    .innerJoin('file_receipt as f', (j) => j.onRef('f.sha256', '=', 'r.sha256').onRef('f.wave', '=', 'r.wave'))
    .leftJoin('foi_request as q', 'q.id', 'r.request_id')
    // The trust asked, as the report counts it; a merged trust's successor that replied is in the file's reply.
    .leftJoin('trust as t', (j) => j.on((eb) => eb('t.ods_code', '=', eb.fn.coalesce('q.trust_ods', 'r.trust_ods'))))
    .selectAll('v')
    .select([
      'r.wave',
      'r.sha256',
      'r.source_kind',
      'r.parent_sha256',
      't.ods_code as trust_ods',
      'r.request_id',
      'f.original_name',
      't.name as trust_name',
    ])
    .where('v.id', 'in', wanted)
    .execute();
  const corrections = await correctionsOf(
    ctx.db,
    rows.map((r) => r.slot),
  );
  const used = new Set(
    (await ctx.db.selectFrom('report_foi_value').select('value_id').where('value_id', 'in', wanted).execute()).map(
      (r) => String(r.value_id),
    ),
  );
  const byId = new Map(rows.map((v) => [String(v.id), v]));
  const trails: ValueTrail[] = [];
  for (const id of wanted) {
    const v = byId.get(id);
    if (!v) continue;
    trails.push({
      valueId: id,
      wave: v.wave,
      trustOds: v.trust_ods,
      trustName: v.trust_name,
      requestId: v.request_id === null ? null : String(v.request_id),
      questionId: v.question_id,
      period: v.period_label ?? v.period_id,
      periodDates: v.period_start ? `${v.period_start} to ${v.period_end}` : null,
      basis: v.basis,
      ageBand: v.age_band_label,
      team: v.service,
      interval: interval(v.low, v.high),
      rawInterval: interval(v.raw_low, v.raw_high),
      answer: v.yes_no !== null ? (v.yes_no ? 'yes' : 'no') + (v.text_value ? `: ${v.text_value}` : '') : v.text_value,
      missing: v.missing_reason,
      flags: v.flags,
      file: { name: v.original_name, sha256: v.sha256, kind: v.source_kind, parentSha256: v.parent_sha256 },
      location: location(v),
      quote: v.quote,
      parts: parts(v.derived_from),
      how: v.method === 'automatic' ? 'automatic' : `coded by ${v.coded_by} at ${new Date(v.coded_at!).toISOString()}`,
      replaces: v.correction_of === null ? null : { valueId: String(v.correction_of), reason: v.correction_reason },
      corrections: corrections.filter((c) => c.slot === v.slot),
      // A count for a period the wave did not ask ("2020/21" in a reply repeating last year's figures) is kept
      // and listed, but no figure of the report is of that period.
      inReport: used.has(id) && !(v.period_start !== null && v.period_id === null),
      periodAsked: v.period_start === null ? null : v.period_id !== null,
      suggestion: v.suggestion,
    });
  }
  return { trails, missing: ids.filter((i) => !byId.has(i)) };
}
