import { z } from 'zod';

/**
 * Build parameters of the annual report (spec/report.md): everything a reader could argue about and
 * that is not data (need scenarios with citations, open-band caps, the disclosure rule, the FOI
 * reference date, number formats) lives here, never in code. Defaults are reports/default-params.json;
 * the resolved parameters of a build are written to its manifest so `census verify` can rebuild it.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const nationCode = z.enum(['england', 'scotland', 'wales', 'northern_ireland']);
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and "_"');

/** Babies in need a year: a fixed count from a source, or reference births times a prevalence. */
export const needSchema = z.discriminatedUnion('kind', [
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
export type Need = z.infer<typeof needSchema>;

export const needScenarioSchema = z.object({
  id,
  name: z.string().min(1),
  citation: z.string().min(1),
  need: needSchema,
  /** Only teams in these nations count towards the families reached; null: every team. */
  nations: z.array(nationCode).min(1).nullable().default(null),
});
export type NeedScenario = z.infer<typeof needScenarioSchema>;

export const referralBandSchema = z.object({
  label: z.string().min(1),
  low: z.number().int().nonnegative(),
  /** null: the open top band. */
  high: z.number().int().nonnegative().nullable(),
});
export type ReferralBand = z.infer<typeof referralBandSchema>;

export const birthAreaSchema = z.object({
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
});
export type ReportParams = z.infer<typeof reportParamsSchema>;

/** Parameters as given: any part may be left out and then comes from the defaults. */
export const reportParamsInputSchema = reportParamsSchema.partial().extend({
  foi: reportParamsSchema.shape.foi.partial().optional(),
  disclosure: reportParamsSchema.shape.disclosure.partial().optional(),
});
export type ReportParamsInput = z.infer<typeof reportParamsInputSchema>;
