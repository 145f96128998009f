import { z } from 'zod';

/**
 * A wave's question list. The template generator, the readers and the validator all read this one
 * structure, so the template and the validation cannot disagree. A new wave is a new JSON file in
 * `schemas/waves/` (or in a workspace's `waves/` folder): no stage code changes.
 */
const answerTypeSchema = z.enum([
  'text',
  'text_list',
  'single',
  'multi',
  'yes_no',
  'count',
  'band',
  'decimal',
  'year',
  'days',
  'date',
]);
export type AnswerType = z.infer<typeof answerTypeSchema>;

const optionSchema = z.object({
  /** The 2025 option code this wave's wording maps to (stable across waves). */
  code: z.string().regex(/^[a-z0-9_]+$/),
  label: z.string(),
  synonyms: z.array(z.string()).default([]),
  /** Coarser category for cross-wave tables, where an older option cannot be split (2019 "NHS"). */
  harmonised: z.string().optional(),
});
export type Option = z.infer<typeof optionSchema>;

const bandSchema = z.object({
  code: z.string().regex(/^[a-z0-9_]+$/),
  label: z.string(),
  synonyms: z.array(z.string()).default([]),
  low: z.number().int().nonnegative(),
  /** null: the open top band. */
  high: z.number().int().nonnegative().nullable(),
});
export type Band = z.infer<typeof bandSchema>;

/** A condition on another question's answer, e.g. `{ question: 'nation', in: ['england'] }`. */
const conditionSchema = z.object({
  question: z.string(),
  in: z.array(z.string()).optional(),
  answered: z.boolean().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

const checkSchema = z.discriminatedUnion('kind', [
  /** This count's low must not exceed the other's high bound. */
  z.object({
    kind: z.literal('not_above_high_of'),
    other: z.string(),
    severity: z.enum(['error', 'warning']).default('error'),
  }),
  /** This value should be >= the other's value. */
  z.object({
    kind: z.literal('at_least'),
    other: z.string(),
    severity: z.enum(['error', 'warning']).default('warning'),
  }),
  /** The sum of the listed questions should equal this one within a tolerance. */
  z.object({
    kind: z.literal('sum_of'),
    questions: z.array(z.string()),
    tolerance: z.number().default(0.1),
    severity: z.enum(['error', 'warning']).default('warning'),
  }),
  /**
   * This date must not be before the other's (a reporting period that ends before it starts). Both are
   * date answers; nothing is checked while either is missing or unreadable.
   */
  z.object({
    kind: z.literal('not_before'),
    other: z.string(),
    severity: z.enum(['error', 'warning']).default('error'),
  }),
  /**
   * This number is expected from `low` to `high` inclusive (an oldest age of 240 months, or of 2: years typed
   * where months are asked). A range answer is outside only when all of it is; the answer is kept either way.
   */
  z.object({
    kind: z.literal('within'),
    low: z.number().nonnegative(),
    high: z.number().nonnegative(),
    severity: z.enum(['error', 'warning']).default('warning'),
  }),
  /** Same team, previous wave: flag a change by this factor or more. */
  z.object({ kind: z.literal('year_on_year_factor'), factor: z.number().default(3) }),
]);
type Check = z.infer<typeof checkSchema>;

export const questionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string(),
  section: z.string(),
  type: answerTypeSchema,
  options: z.array(optionSchema).optional(),
  bands: z.array(bandSchema).optional(),
  /** Other labels this question has been seen under (help for label and fuzzy matching). */
  aliases: z.array(z.string()).default([]),
  /** For yes_no: extra allowed answers beyond yes/no, e.g. ["dont_know", "planned"]. */
  extraCodes: z.array(z.enum(['dont_know', 'planned'])).default([]),
  /** Accept "not known" as a stated answer (missing, reason not_known) without an issue. */
  sheet: z.enum(['Questionnaire', 'Staffing']).default('Questionnaire'),
  personal: z.boolean().default(false),
  required: z.boolean().default(false),
  requiredWhen: conditionSchema.optional(),
  blankWhen: conditionSchema.optional(),
  checks: z.array(checkSchema).default([]),
  help: z.string().optional(),
});
export type Question = z.infer<typeof questionSchema>;

export const questionListSchema = z.object({
  wave: z.number().int().min(2000).max(2100),
  /** Stamped on the template's About sheet; a return with another stamp loads with a warning. */
  templateVersion: z.string(),
  /** How returns of this wave arrive; tells the readers what to expect first. */
  shape: z.enum(['template', 'survey_export', 'hand_workbook']),
  reportingPeriod: z.object({ start: z.string(), end: z.string(), label: z.string() }).optional(),
  questions: z.array(questionSchema).min(1),
});
export type QuestionList = z.infer<typeof questionListSchema>;
