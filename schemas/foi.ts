import { z } from 'zod';
import { intervalSchema } from './interval.ts';
import { locationSchema, type Issue } from './issue.ts';

/**
 * FOI replies of mental health trusts (spec/foi.md): the question list of a wave and the values coded
 * from a reply. Readers in sources/foi emit these; they know nothing about the database.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const foiFlagSchema = z.enum([
  'suppressed',
  'partial_period',
  'band_mismatch',
  'incomplete',
  'total_mismatch',
  'approximate',
]);
export type FoiFlag = z.infer<typeof foiFlagSchema>;

const periodTypeSchema = z.enum(['financial_year', 'calendar_year', 'part_year', 'month']);
export type PeriodType = z.infer<typeof periodTypeSchema>;

/** A period with exact, inclusive dates. */
const foiPeriodSchema = z.object({ start: isoDate, end: isoDate, label: z.string(), type: periodTypeSchema });
export type FoiPeriod = z.infer<typeof foiPeriodSchema>;

/** A period a wave asks about. `toDate`: the period had not ended when the request was sent. */
const askedPeriodSchema = foiPeriodSchema.extend({
  id: z.string().regex(/^[a-z0-9_]+$/),
  toDate: z.boolean().default(false),
});
export type AskedPeriod = z.infer<typeof askedPeriodSchema>;

/** Age band in months, inclusive. `exact`: it is the band the wave asked for. months null: not readable as months. */
const ageBandSchema = z.object({
  label: z.string(),
  months: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).nullable(),
  exact: z.boolean(),
});
export type AgeBand = z.infer<typeof ageBandSchema>;

const referralBasisSchema = z.enum(['received', 'accepted']);
export type ReferralBasis = z.infer<typeof referralBasisSchema>;

const foiQuestionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  text: z.string(),
  answerType: z.enum(['yes_no', 'count_per_period', 'yes_no_text', 'text_list']),
  /** For count questions: which referrals the question counts. */
  basis: referralBasisSchema.optional(),
  /** Phrases that identify the question when a letter restates it; scored, lower case. */
  keywords: z.array(z.string()).default([]),
});
export type FoiQuestion = z.infer<typeof foiQuestionSchema>;

export const foiQuestionListSchema = z.object({
  wave: z.number().int().min(2000).max(2100),
  /** The date the wave was sent; a reader's ctx.sentDate may be a trust's own date. */
  sentDate: isoDate,
  askedAgeBand: ageBandSchema,
  periods: z.array(askedPeriodSchema).min(1),
  questions: z.array(foiQuestionSchema).min(1),
  /** The nations whose bodies are asked (absent: england only, as wave 2024). Scottish boards are asked under FOISA. */
  nations: z
    .array(z.enum(['england', 'wales', 'scotland', 'northern-ireland']))
    .min(1)
    .optional(),
});
export type FoiQuestionList = z.infer<typeof foiQuestionListSchema>;

const missingReasonSchema = z.enum(['not_held', 'withheld', 'refused', 'ncnd']);
export type FoiMissingReason = z.infer<typeof missingReasonSchema>;

const countIntervalSchema = intervalSchema.pick({ low: true, high: true });
export type CountInterval = z.infer<typeof countIntervalSchema>;

/** How an automatic value was read (the confidence gate records it with the value). */
const valueRuleSchema = z.enum([
  'table_header',
  'record_aggregate',
  'month_sum',
  'letter_response',
  'prose',
  'flattened_line',
  'refusal',
]);
export type ValueRule = z.infer<typeof valueRuleSchema>;

/** A source cell or line a derived value (a sum of months, of age splits or of teams) was built from. */
const valuePartSchema = z.object({
  location: locationSchema,
  quote: z.string(),
  interval: countIntervalSchema,
  period: foiPeriodSchema.optional(),
  ageBand: ageBandSchema.optional(),
  service: z.string().optional(),
});
export type ValuePart = z.infer<typeof valuePartSchema>;

/**
 * One count of a reply: one per question x period x basis at the age band given. Breakdowns within a
 * period (age splits, teams) live in `derivedFrom`; months are values of their own and their sum to an
 * asked period is another value derived from them. `interval` is null exactly when `missingReason` is set.
 */
export const codedValueSchema = z
  .object({
    questionId: z.string(),
    period: foiPeriodSchema.optional(),
    /** The wave's period this value answers, when its dates match one. */
    askedPeriodId: z.string().optional(),
    interval: countIntervalSchema.nullable(),
    flags: z.array(foiFlagSchema),
    ageBand: ageBandSchema,
    basis: referralBasisSchema,
    service: z.string().optional(),
    missingReason: missingReasonSchema.optional(),
    exemptions: z.array(z.string()),
    location: locationSchema,
    quote: z.string(),
    method: z.literal('automatic'),
    derivedFrom: z.array(valuePartSchema).optional(),
    /** The rule that read it (confidence gate): which reader shape, so a person can judge the evidence. */
    rule: valueRuleSchema.optional(),
    /** What tied the number to its question, period and band (the header cell, the sentence, the rows counted). */
    evidence: z.string().optional(),
    /** Set when the value is only a suggestion: why (a weak rule, two readings that disagree). Feeds no figure until a person confirms it. */
    suggestion: z.string().optional(),
  })
  .refine((v) => (v.interval === null) === (v.missingReason !== undefined), {
    message: 'interval is null exactly when missingReason is set',
  });
export type CodedValue = z.infer<typeof codedValueSchema>;

/** What a reply counted, for the report's footnote. */
const responseBasisSchema = z.object({
  referralType: z.enum(['received', 'accepted', 'received_and_accepted', 'unknown']),
  ageBand: ageBandSchema.nullable(),
  periodType: z.enum([...periodTypeSchema.options, 'mixed']).nullable(),
  servicesIncluded: z.array(z.string()),
});
export type ResponseBasis = z.infer<typeof responseBasisSchema>;

/** A yes/no or text answer (q1, q4, q5 of wave 2024). */
const textAnswerSchema = z.object({
  questionId: z.string(),
  yesNo: z.boolean().nullable(),
  text: z.string(),
  /** q4: the service's name when the reply gives one. */
  name: z.string().optional(),
  location: locationSchema,
  quote: z.string(),
});
export type TextAnswer = z.infer<typeof textAnswerSchema>;

const trustHintSchema = z.object({
  ods: z.string().optional(),
  name: z.string().optional(),
  emailDomain: z.string().optional(),
  /** Every trust name the reply carries (letterhead, body, signature), first one first. */
  names: z.array(z.string()).optional(),
  /** The sender's address as written in From. */
  from: z.string().optional(),
  /** The e-mail's subject. */
  subject: z.string().optional(),
  /** The letter's first line when it names a body (a trust, a health board, an ICB, a council): who sent it. */
  letterhead: z.string().optional(),
  /** Text where references sit (subject, head of the letter, lines naming a reference), for matching by reference. */
  refText: z.string().optional(),
  /** Set by matching, not by readers: the trusts a person should look at first, best first. */
  candidates: z.array(z.object({ ods: z.string(), why: z.string(), score: z.number() })).optional(),
});
export type TrustHint = z.infer<typeof trustHintSchema>;

export interface FoiReaderContext {
  fileHash: string;
  originalName: string;
  wave: FoiQuestionList;
  /** ISO date the request went to this trust; "to date" periods end at the reply's date, else at this. */
  sentDate: string;
  /**
   * The workspace's limits.maxPages, when the caller enforces limits (guardedFoiReaders): a PDF whose
   * page tree the preflight could not see (compressed) is refused on its real page count before any page is read.
   */
  maxPages?: number;
}

/** Record-level files: what was aggregated and what was left out, by reason. */
export interface RecordSummary {
  rowsRead: number;
  included: number;
  excluded: Record<'outside_period' | 'age_24_months_or_more' | 'unreadable_date' | 'unreadable_age', number>;
}

export interface FoiReadResult {
  values: CodedValue[];
  issues: Issue[];
  basis: ResponseBasis;
  needsManualCoding: boolean;
  textAnswers: TextAnswer[];
  trustHint: TrustHint;
  /** E-mail attachments, for the caller to store as files of their own. `name` is untrusted: never a path. */
  attachments?: { name: string; contentType: string; bytes: Buffer }[];
  /** q1: does the trust accept under-two referrals; null when the reply says neither. */
  accepts?: boolean | null;
  /** q5 as written. */
  serviceText?: string;
  /** The reply's own date when found (letter date, e-mail Date header). */
  replyDate?: string;
  records?: RecordSummary;
  /** Mail that is not the reply (sources/foi/reply-kind.ts): the trust asks us to clarify, or says it will be late. */
  replyKind?: ReplyKind;
  /** An e-mail's notes of the dates a year covers, for its attachments (sources/foi/period-note.ts). */
  periodNotes?: { yearStart: string; start: string; end: string; quote: string }[];
  /**
   * An e-mail's sentence that every referral its attachments list was accepted ("All referrals listed were
   * accepted"): an attachment's received counts are its accepted ones too, when it gives none of its own
   * (pipeline/ingest/foi/response-store.ts).
   */
  allAcceptedNote?: { quote: string; receivedId: string; acceptedId: string };
}

/** What a trust's mail that answers nothing is: a clarification request, or a holding e-mail ("we need more time"). */
export type ReplyKind = 'clarification' | 'holding';

export type FoiReader = (bytes: Buffer, ctx: FoiReaderContext) => Promise<FoiReadResult>;

/** The status of an FOI request (foi.md "The request register"). */
export type FoiStatus =
  | 'awaiting'
  | 'overdue'
  | 'long_overdue'
  | 'clarification'
  | 'answered'
  | 'partial'
  | 'refused'
  | 'not_held'
  | 'ncnd'
  | 'internal_review';
