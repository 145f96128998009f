import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CensusError } from './fault.ts';

/**
 * Build parameters of the annual report (spec/report.md): everything a reader could argue about and
 * that is not data (need scenarios with citations, open-band caps, the disclosure rule, the FOI
 * reference date, number formats) lives here, never in code. Defaults are schemas/report-params.json;
 * the resolved parameters of a build are written to its manifest so `census verify` can rebuild it.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const nationCode = z.enum(['england', 'scotland', 'wales', 'northern_ireland']);
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and "_"');

/** Babies in need a year: a fixed count from a source, or reference births times a prevalence. */
const needSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), babiesPerYear: z.number().positive() }),
  z.object({
    kind: z.literal('births'),
    /** Share of babies born in a year who are in need, e.g. 0.1 for 10%. */
    prevalence: z.number().positive().max(1),
    /** Area codes of reference/live_births.csv whose births are added (K04000001 England and Wales, ...). */
    areas: z.array(z.string()).min(1),
    /** Births of this year; null: each area's latest year up to the wave's year. */
    birthsYear: z.number().int().nullable().default(null),
  }),
]);
type Need = z.infer<typeof needSchema>;

const needScenarioSchema = z.object({
  id,
  name: z.string().min(1),
  citation: z.string().min(1),
  need: needSchema,
  /** Only teams in these nations count towards the families reached; null: every team. */
  nations: z.array(nationCode).min(1).nullable().default(null),
});
type NeedScenario = z.infer<typeof needScenarioSchema>;

const referralBandSchema = z.object({
  label: z.string().min(1),
  low: z.number().int().nonnegative(),
  /** null: the open top band. */
  high: z.number().int().nonnegative().nullable(),
});
type ReferralBand = z.infer<typeof referralBandSchema>;

const birthAreaSchema = z.object({
  code: z.string(),
  name: z.string(),
  /** The nations whose teams are set against this area's births (England and Wales share one figure). */
  nations: z.array(nationCode).min(1),
});

export const reportParamsSchema = z.object({
  needScenarios: z.array(needScenarioSchema),
  /** Question id -> the value an open top band ("More than 300") counts as at its high end when summed. */
  openBandCaps: z.record(id, z.number().int().positive()),
  disclosure: z.object({
    /** Cells counting fewer teams or trusts than this are withheld in a public build ([c]). */
    threshold: z.number().int().nonnegative(),
  }),
  /** Decimals of printed percentages; each end of a range is rounded separately. */
  percentDigits: z.number().int().min(0).max(3),
  /** Births per area for "teams per 10,000 births" and for births-based need scenarios. */
  birthAreas: z.array(birthAreaSchema),
  foi: z.object({
    /** The FOI wave shown; null: the latest FOI wave with requests up to the report's wave. */
    wave: z.number().int().nullable(),
    /** Status of each request as of this date; null: the latest dated event or reply of the wave. */
    referenceDate: isoDate.nullable(),
    questions: z.object({ accepts: id, referrals: id, parentInfantService: id }),
    /** Bands of the distribution of under-two referrals per trust per year. */
    referralBands: z.array(referralBandSchema).min(1),
    /** "Receives 0-10 a year": an interval whose high end is at most this. */
    fewReferralsMax: z.number().int().nonnegative(),
  }),
  /** The workbook's date (xlsx created/modified); null: the latest time a file of the wave was received. */
  dataDate: isoDate.nullable(),
  /** The release date printed on the bulletin and the workbook's cover; null: the data date. */
  releaseDate: isoDate.nullable(),
  /** Who answers questions about the release (a team, an address), printed on the bulletin and the cover. */
  contact: z.string().trim().min(1, 'a contact for the release'),
  /**
   * Issue 14: question ids (or "all") whose flagged answers (kept as given, with an issue) are left out
   * of every statistic of the question; the number left out is printed. Absent or []: flagged answers count.
   */
  leaveOutFlagged: z.array(id).optional(),
});
export type ReportParams = z.infer<typeof reportParamsSchema>;

/** Parameters as given: any part may be left out and then comes from the defaults. */
const reportParamsInputSchema = reportParamsSchema.partial().extend({
  foi: reportParamsSchema.shape.foi.partial().optional(),
  disclosure: reportParamsSchema.shape.disclosure.partial().optional(),
});
export type ReportParamsInput = z.infer<typeof reportParamsInputSchema>;

/**
 * Build parameters: schemas/report-params.json, overridden part by part by a --params file. A part
 * given replaces the default part as a whole (need scenarios, caps, bands), except `foi` and
 * `disclosure`, whose fields are merged one by one, so a file can change the FOI reference date alone.
 */
const DEFAULT_PARAMS_FILE = new URL('./report-params.json', import.meta.url);

export function defaultParams(): ReportParams {
  return reportParamsSchema.parse(JSON.parse(readFileSync(DEFAULT_PARAMS_FILE, 'utf8')));
}

function issues(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues.map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`).join('; ');
}

export function mergeParams(input: ReportParamsInput, base: ReportParams = defaultParams()): ReportParams {
  const merged = {
    ...base,
    ...input,
    foi: { ...base.foi, ...(input.foi ?? {}) },
    disclosure: { ...base.disclosure, ...(input.disclosure ?? {}) },
  };
  const parsed = reportParamsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new CensusError(
      'usage',
      `The report parameters are not valid: ${issues(parsed.error)}.`,
      'Fix the --params file; schemas/report-params.json shows every field.',
    );
  }
  const ids = parsed.data.needScenarios.map((s) => s.id);
  const twice = ids.find((x, i) => ids.indexOf(x) !== i);
  if (twice)
    throw new CensusError(
      'usage',
      `Need scenario id "${twice}" is used twice in the report parameters.`,
      'Give every need scenario its own id.',
    );
  return parsed.data;
}

/** Parameters from a JSON file (partial), on top of the defaults. */
export function paramsFromFile(path: string): ReportParams {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CensusError(
      'usage',
      `Cannot read the report parameters ${path}: ${(err as Error).message}.`,
      'Pass --params a JSON file shaped like schemas/report-params.json.',
    );
  }
  const input = reportParamsInputSchema.safeParse(raw);
  if (!input.success) {
    throw new CensusError(
      'usage',
      `The report parameters in ${path} are not valid: ${issues(input.error)}.`,
      'Fix the file; schemas/report-params.json shows every field.',
    );
  }
  return mergeParams(input.data);
}
