import ExcelJS from 'exceljs';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { Issue } from '../../schemas/issue.ts';
import type { ExtractedReturn } from '../../schemas/stage.ts';
import { findOption } from '../../schemas/answers/index.ts';
import { MAX_LABEL_CHARS } from '../shared/cell.ts';
import { matchLabel, matchOptionHeader, normaliseLabel } from '../shared/label-match.ts';

/**
 * What a label typed in a return (a survey-export header, a hand-workbook row label) stands for:
 * a whole question, one option of a multi question ("Question label: Option"), or a multi question
 * whose option text names none of its options. Shared by the readers without ids so they agree.
 */
export type LabelTarget =
  | { kind: 'question'; questionId: string; score: number }
  | { kind: 'option'; questionId: string; optionCode: string; score: number }
  | { kind: 'unknown_option'; questionId: string; option: string; score: number };

/**
 * A person's mapping of a label that matched no question (`census questions map`): the label (compared
 * normalised) stands for the question, or for nothing (questionId null: ignored, never reported).
 * Applied before any scoring and never used as a fuzzy candidate, so it changes the reading of no
 * file that does not hold the label itself.
 */
export interface LabelMapping {
  label: string;
  questionId: string | null;
}

/** What one workbook reader gives: at most one return, and the file's own issues. */
export interface OneReturn {
  ret: ExtractedReturn | null;
  issues: Issue[];
}

/** The workbook's sheets a team can see (hidden sheets hold lists, not answers). */
export async function visibleSheets(bytes: Buffer): Promise<ExcelJS.Worksheet[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.filter((ws) => ws.state === 'visible' || ws.state === undefined);
}

/** The mapped labels by normalised text: question id, or null for an ignored label. */
export function mappedLabels(mapping: readonly LabelMapping[]): Map<string, string | null> {
  return new Map(mapping.map((m) => [normaliseLabel(m.label), m.questionId] as const));
}

export interface LabelResolver {
  resolve(text: string): LabelTarget | null;
  /** The label was mapped to nothing by a person: skip it without an issue. */
  isIgnored(text: string): boolean;
  /** Cheap test used to find a header row or label column: the text is exactly a label or alias (or "label: ..."). */
  isKnownExactly(text: string): boolean;
}

export function labelResolver(list: QuestionList, mapping: readonly LabelMapping[] = []): LabelResolver {
  const questions = list.questions;
  const mapped = mappedLabels(mapping);
  const byId = new Map(questions.map((q) => [q.id, q]));
  // Labels and aliases are unique per list (lintQuestionList), so an exact hit needs no fuzzy scoring.
  const exact = new Map(
    questions.flatMap((q) => [q.label, ...q.aliases].map((l) => [normaliseLabel(l), q.id] as const)),
  );
  const memo = new Map<string, LabelTarget | null>();

  function exactOption(text: string): LabelTarget | null {
    const cut = text.lastIndexOf(': ');
    const q = cut > 0 ? byId.get(exact.get(normaliseLabel(text.slice(0, cut))) ?? '') : undefined;
    if (q?.type !== 'multi') return null;
    const option = text.slice(cut + 2).trim();
    const o = findOption(q.options ?? [], option);
    return o ? { kind: 'option', questionId: q.id, optionCode: o.code, score: 1 } : null;
  }

  function compute(text: string): LabelTarget | null {
    const to = mapped.get(normaliseLabel(text));
    if (to !== undefined) return to !== null && byId.has(to) ? { kind: 'question', questionId: to, score: 1 } : null;
    const id = exact.get(normaliseLabel(text));
    if (id !== undefined) return { kind: 'question', questionId: id, score: 1 };
    const fast = exactOption(text);
    if (fast) return fast;
    const whole = matchLabel(text, questions);
    // An exact label wins outright: some labels hold ": " themselves ("WTE by discipline: Midwife").
    if (whole?.score === 1) return { kind: 'question', questionId: whole.id, score: 1 };
    const opt = text.includes(': ') ? matchOptionHeader(text, questions) : null;
    if (opt && byId.get(opt.id)?.type === 'multi') {
      return opt.optionCode === null
        ? { kind: 'unknown_option', questionId: opt.id, option: opt.option, score: opt.score }
        : { kind: 'option', questionId: opt.id, optionCode: opt.optionCode, score: opt.score };
    }
    return whole ? { kind: 'question', questionId: whole.id, score: whole.score } : null;
  }

  return {
    // Text longer than MAX_LABEL_CHARS is no label (see cell.ts); refused before any normalising or scoring.
    resolve(text) {
      const key = text.trim();
      if (key === '' || key.length > MAX_LABEL_CHARS) return null;
      if (!memo.has(key)) memo.set(key, compute(key));
      return memo.get(key)!;
    },
    isIgnored(text) {
      return mapped.get(normaliseLabel(text.trim())) === null;
    },
    isKnownExactly(text) {
      const t = text.trim();
      if (t === '' || t.length > MAX_LABEL_CHARS) return false;
      if (exact.has(normaliseLabel(t)) || typeof mapped.get(normaliseLabel(t)) === 'string') return true;
      const cut = t.lastIndexOf(': ');
      return cut > 0 && exact.has(normaliseLabel(t.slice(0, cut)));
    },
  };
}

/** Labels a return may use for the respondent's completion date: survey tools' own columns and a hand-typed row. */
const DATE_COMPLETED = new Set([
  'date completed',
  'completion date',
  'completed',
  'completed on',
  'completed at',
  'date of completion',
  'end date',
  'date submitted',
  'submitted',
  'submitted at',
  'submission date',
  'timestamp',
]);

export function isDateCompletedLabel(text: string): boolean {
  return DATE_COMPLETED.has(normaliseLabel(text));
}

/**
 * Columns that survey tools (SurveyMonkey, Microsoft Forms, Google Forms, Qualtrics, Smart Survey,
 * JISC Online Surveys) add to every export: about the response, not answers. Recognised and ignored,
 * never reported as unmatched. IP and e-mail address columns are personal data: ignored, so never
 * stored or shown (a respondent e-mail the questionnaire itself asks for is its own question).
 */
const SURVEY_METADATA = new Set([
  'respondent id',
  'response id',
  'responseid',
  'collector id',
  'collector',
  'id',
  'start date',
  'start time',
  'started',
  'startdate',
  'enddate',
  'completion time',
  'last modified time',
  'last modified',
  'recorded date',
  'recordeddate',
  'duration',
  'duration in seconds',
  'finished',
  'progress',
  'status',
  'response type',
  'distribution channel',
  'user language',
  'ip address',
  'ipaddress',
  'ip',
  'email address',
  'email',
  'e mail',
  'e mail address',
  'recipient email',
  'first name',
  'last name',
  'recipient first name',
  'recipient last name',
  'external reference',
  'external data reference',
  'location latitude',
  'location longitude',
  'name',
  'custom data',
]);

export function isSurveyMetadataLabel(text: string): boolean {
  const t = normaliseLabel(text).replace(/ \d+$/, '');
  return SURVEY_METADATA.has(t);
}

/** A1 reference of a 1-based column and row. */
export function a1(col: number, row: number): string {
  let s = '';
  for (let x = col; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return `${s}${row}`;
}
