import type { CodedValue, FoiQuestion, FoiQuestionList, TextAnswer } from '../../schemas/foi.ts';
import { issue } from '../../schemas/issue.ts';
import { findAgeBand, parseAgeBand } from './age-band.ts';
import { serviceName, statedAnswers, yesNo } from './answers.ts';
import { normalise } from './coded.ts';
import { findPeriods } from './period.ts';
import { NOT_A_COUNT } from './grid.ts';
import { ALL_ACCEPTED, bothCounts, pairCells, periodsOverCounts, withRespectively } from './count-phrases.ts';
import { applyNonzeroNote, nonzeroNote, POINTS_ELSEWHERE } from './count.ts';
import { allPeriodNotes, applyPeriodNotes } from './period-note.ts';
import type { LetterResult } from './letter-result.ts';
import { preparedLines } from './letter-lines.ts';
import { continuedTables, isPeriodOnly, joinWrappedHeaders, rejoinWrappedCounts } from './letter-tables.ts';
import { codeProse, type Line } from './prose.ts';
import { costRefusal, ownRefusal, refusedValue, wholeRefusal, withheldWithoutFigures } from './refusal.ts';
import { codeTable } from './table.ts';
import { findLetterDate, findTrustHint } from './trust-hint.ts';

/**
 * A reply written as a letter (PDF, e-mail, plain text), given as lines with their locations: each
 * question restated ("Question 2: ...?"), then "Response:" and a sentence or a small table. Shared by
 * the pdf, mail and text readers; knows nothing of any file format.
 */

export type { Line };
export interface LetterContext {
  wave: FoiQuestionList;
  sentDate: string;
  /** Known from outside the text (an e-mail's Date header); else looked for at the top of the letter. */
  replyDate?: string;
  fromAddress?: string;
}
export type { LetterResult };

// "1.", "2)", "Q3:", and "1 - Yes." (a dash set apart by spaces; never "2-3" or a year "2021 - 22").
const HEAD =
  /^\s*(?:(?:question|q|request|item)\s*(\d{1,2})[a-z]?\b\s*[:.)-]?|(\d{1,2})(?:[.)](?=\s)|\s+[-–](?=\s)))\s*(.*)$/i;
/**
 * One heading over several questions: "Questions 2 and 3:", "2 and 3.", "Q2 & Q3 -", "Question 2 / Question 3",
 * "In answer to questions 1 to 3:". Its answer is read for every question it names.
 */
const JOINT_HEAD =
  /^\s*(?:(?:in (?:answer|response|reply) to |re:? )?(?:questions?|qs?)\s*(\d{1,2})\s*(?:and|&|to|-|–|,|\/)\s*(?:q(?:uestions?)?\s*)?(\d{1,2})\b\s*[:.)-]?|(\d{1,2})[.)]?\s*(?:and|&|to|-|–|\/)\s*(\d{1,2})\s*(?:[.):]|\s[-–])(?=\s|$))\s*(.*)$/i;
const MARKER =
  /^\s*(?:our |trust |the trust's )?(?:response|answer|reply)(?:\s+to\s+(?:question|q)\s*\d+)?\s*(?::|-|$)\s*(.*)$/i;
const SIGN_OFF =
  /^\s*(?:if you are (?:dissatisfied|unhappy|not satisfied)|yours (?:sincerely|faithfully)|(?:kind |best |warm |with (?:kind |best )?)?regards\b|best wishes|right to (?:complain|request an internal review)|please (?:quote|remember to quote)|-{2,}\s*(?:original|forwarded) message)/i;
// A signature line with no sign-off before it ("Information Governance Team"), as the last line of an answer.
const SIGNATURE =
  /^\s*(?:the\s+)?(?:information governance|freedom of information|foi|ig|information rights|data protection)(?:\s+[a-z]+){0,2}\s+(?:team|office|officer|unit|lead|department|manager)(?:\s*[,|–-]\s*[\w&' ]{1,40})?\s*$/i;
/**
 * An answer headed by the number of the question it answers, below a restated list of the questions:
 * "Response to 1: Yes.", "Response to 2 and 3: please see the table below", "Answer to question 4 - No".
 */
const RESPONSE_TO =
  /^\s*(?:in\s+)?(?:our |the trust's )?(?:response|answer|reply)\s+to\s+(?:questions?\s*|q\s*)?(\d{1,2})(?:\s*(?:and|&|to|-|–|,)\s*(?:q(?:uestions?)?\s*)?(\d{1,2}))?\s*(?:[:.)–,-]|$)\s*(.*)$/i;
// Footnote marks after a label ("2025/26*").
const MARKS = /\s*(?:\*+|†|‡)\s*$/;
// A heading over our request quoted back, alone on its line ("Your original request:", "You asked:").
const REQUEST_QUOTED =
  /^\s*(?:(?:for (?:your )?reference,?\s*)?(?:your|the) original (?:request|questions?)|your (?:request|questions?)(?: (?:was|were))?(?: as follows)?|you asked)\s*:?\s*$/i;
const APPENDIX = /^\s*(?:appendix|annexe?|schedule|attachment)\b\s*[A-Z0-9]{0,3}\s*[:.-]?\s*$/i;
const QUOTED_START = /^\s*-{2,}\s*(?:original|forwarded) message/i;
// A note under a table, never an answer ("Q1 = April-June, Q2 = July-September": quarters, not questions).
const NOTE =
  /^\s*(?:\*+|\[c\]|(?:please )?notes?\b\s*:?|n\.?b\.?\b)|["“'‘]\s*[-–—x]\s*["”'’]\s*(?:=|denotes|indicates|means|represents)|\*\s*(?:=|denotes|indicates|means|represents)|(?:shown|marked|replaced|represented) (?:as|by|with) (?:an? )?(?:\*|asterisk)|^\s*(?:numbers|figures|counts|values)\b[^.]*\b(?:have been|are|were) (?:suppressed|redacted)\b|^\s*q[1-4]\s*(?:=|:|is|means)\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

interface Block {
  num: number | null;
  /** The last question a joint heading names ("2 and 3" -> 3). */
  last?: number;
  lines: Line[];
  /** Opened by "Response to N:" (RESPONSE_TO): every line is answer, none restates the question. */
  answerOnly?: boolean;
}

export function questionOf(qText: string, num: number | null, wave: FoiQuestionList): FoiQuestion | null {
  const t = normalise(qText);
  const scores = wave.questions.map((q) => q.keywords.filter((k) => t.includes(k)).length);
  const best = Math.max(...scores);
  const byNum = num !== null ? wave.questions[num - 1] : undefined;
  if (best > 0) {
    const tied = wave.questions.filter((_, i) => scores[i] === best);
    return byNum && tied.includes(byNum) ? byNum : tied[0]!;
  }
  return byNum ?? null;
}

/**
 * An answer that says the figures are given elsewhere ("we do not hold an aggregate report; please find
 * attached a record-level extract") answers nothing itself: its "not held" clause is not a not-held value.
 */
function keepFiguresGivenElsewhere(out: LetterResult, from: number, answer: readonly Line[]): void {
  if (!POINTS_ELSEWHERE.test(answer.map((l) => l.text).join(' '))) return;
  const kept = out.values.slice(from).filter((v) => v.missingReason !== 'not_held');
  out.values.splice(from, out.values.length - from, ...kept);
}

/**
 * One missing value per question, period and reason: an answer that says "not held" in two sentences
 * ("Not held. Whether a referral was accepted is not recorded ...") is one not-held answer, not two.
 */
function onceEachMissing(values: CodedValue[]): CodedValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    if (v.interval !== null) return true;
    const key = [
      v.questionId,
      v.askedPeriodId ?? '',
      v.period?.start ?? '',
      v.period?.end ?? '',
      v.basis,
      v.missingReason,
    ].join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * "All of these referrals were accepted", "...; all were accepted", "all of which were accepted": when the
 * reply gives no accepted count of its own, each received count is also the accepted count of its
 * period (quoted from the sentence that says so). Never when it says "not all".
 */
export function allAccepted(out: LetterResult, texts: readonly string[], wave: FoiQuestionList): void {
  const accepted = wave.questions.find((q) => q.basis === 'accepted' && q.answerType === 'count_per_period');
  const received = wave.questions.find((q) => q.basis === 'received' && q.answerType === 'count_per_period');
  if (!accepted || !received) return;
  if (out.values.some((v) => v.questionId === accepted.id && (v.interval !== null || v.missingReason !== undefined)))
    return;
  const line = texts.find((t) => ALL_ACCEPTED.test(t) && !/\bnot all\b/i.test(t));
  if (line === undefined) return;
  const given = out.values.filter((v) => v.questionId === received.id && v.interval !== null && !v.suggestion);
  out.values.push(
    ...given.map((v) => ({
      ...v,
      questionId: accepted.id,
      basis: 'accepted' as const,
      evidence: `every referral received was accepted: ${line.trim()}`,
    })),
  );
}

// "Q4 - No. Q5 - CAMHS in Barnsley.", "Question 1: Yes. Question 4: No.": the next question's heading after a
// sentence's end, on the same line.
// Also "Q4 No. Q5 CAMHS." (no stop after the number), "4. No.   5. CAMHS." (a PDF's columns of spaces), "... the
// very long delay. 1. Yes. 4. No." (one digit, after a word's full stop, before a capital) and
// "Response to question 4: No. Response to question 5: CAMHS.".
const INLINE_HEAD =
  /(?<=[.;!?])\s+(?=(?:q|question)\s*\d{1,2}\b\s*[-–:.)]?\s)|(?<=[.;!?])\s{2,}(?=\d{1,2}[.)]\s)|(?<=[a-z][.;!?])\s(?=\d[.)]\s+[A-Z])|(?<=[.;!?])\s+(?=(?:our )?(?:response|answer) to (?:question|q)\s*\d{1,2}\b)/gi;

/** A line holding several questions' answers, as one line per question (same location, quoting the line). */
function splitInlineQuestions(l: Line): Line[] {
  // A PDF line set out in columns, each an answer numbered on from the one before ("4. No." | "5. CAMHS.").
  const nums = l.cells?.map((c) => /^\s*(\d{1,2})[.)]\s/.exec(c)?.[1]);
  if (
    l.cells &&
    l.cells.length >= 2 &&
    nums!.every((n, i) => n !== undefined && (i === 0 || Number(n) === Number(nums![i - 1]) + 1))
  )
    return l.cells.map((text) => ({ text, location: l.location, quote: l.quote ?? l.text }));
  if (l.cells) return splitHeadCells(l);
  const parts = l.text
    .split(INLINE_HEAD)
    .flatMap(nextNumbered)
    .filter((p) => p.trim() !== '');
  return parts.length < 2 ? [l] : parts.map((text) => ({ ...l, text, quote: l.quote ?? l.text }));
}

// A cell that is only a question's number, set apart in bold in a paragraph ("Q4" | "Yes, the ...").
const HEAD_CELL = /^(?:q|question)\s*\d{1,2}\s*[.:)-]?$/i;

/**
 * A paragraph of prose whose question numbers were set apart (bold, so pdf.js gives them as cells of
 * their own): "Q1" | "Yes. Q2 and Q3: In 2021/22 ..." | "Q4" | "Yes, the ...". Split before each number
 * that follows a sentence's end (or opens the line), as a line of plain text is; a table row is kept whole.
 */
function splitHeadCells(l: Line): Line[] {
  const cells = l.cells!;
  const heads = cells.map((c, i) => HEAD_CELL.test(c.trim()) && (i === 0 || /[.;!?]\s*$/.test(cells[i - 1]!)));
  if (!heads.some(Boolean) || cells.every((c, i) => heads[i] || /^[\d\s,<>*.-]*$/.test(c))) return [l];
  const parts: string[][] = [];
  cells.forEach((c, i) => {
    if (heads[i] || parts.length === 0) parts.push([c]);
    else parts[parts.length - 1]!.push(c);
  });
  const texts = parts
    .map((p) => p.join(' '))
    .flatMap((t) => t.split(INLINE_HEAD))
    .filter((t) => t.trim() !== '');
  return texts.map((text) => ({ text, location: l.location, quote: l.quote ?? l.text }));
}

/** "4. No. 5. CAMHS.": a line headed N whose sentence is followed by "N+1." holds the next answer too. */
function nextNumbered(text: string): string[] {
  const head = /^\s*(\d{1,2})[.)]\s/.exec(text);
  if (!head) return [text];
  const next = Number(head[1]) + 1;
  const at = new RegExp(String.raw`(?<=[.;!?])\s+(?=${next}[.)]\s)`).exec(text);
  return at ? [text.slice(0, at.index), ...nextNumbered(text.slice(at.index + at[0].length))] : [text];
}

const range = (a: number, z: number): number[] => Array.from({ length: z - a + 1 }, (_, i) => a + i);

const QUESTION_TAIL =
  /^(?:(?:and )?if (?:so|yes|applicable)\b|please (?:give|provide|state|specify|name|list|include|tell)\b)[^?]*$/i;

/** Splits a block into the restated question and the answer: at "Response:", else after the last "?". */
function split(block: Block): { qText: string; answer: Line[] } {
  if (block.answerOnly) return { qText: '', answer: block.lines };
  const m = block.lines.findIndex((l) => MARKER.test(l.text));
  if (m >= 0) {
    const rest = MARKER.exec(block.lines[m]!.text)![1]!.trim();
    const first =
      rest === ''
        ? []
        : [{ ...block.lines[m]!, text: rest, quote: block.lines[m]!.quote ?? block.lines[m]!.text, cells: undefined }];
    return {
      qText: block.lines
        .slice(0, m)
        .map((l) => l.text)
        .join(' '),
      answer: [...first, ...block.lines.slice(m + 1)],
    };
  }
  const q = block.lines.map((l) => l.text.includes('?')).lastIndexOf(true);
  if (q < 0) return { qText: '', answer: block.lines };
  const line = block.lines[q]!;
  let rest = line.text.slice(line.text.lastIndexOf('?') + 1).trim();
  // "... relationship team or service? If so, its name.": the rest of the restated question, never its answer.
  const tail = QUESTION_TAIL.test(rest);
  const qText = [
    ...block.lines.slice(0, q).map((l) => l.text),
    tail ? line.text : line.text.slice(0, line.text.lastIndexOf('?') + 1),
  ].join(' ');
  if (tail) rest = '';
  return {
    qText,
    answer: [
      ...(rest === '' ? [] : [{ ...line, text: rest, quote: line.quote ?? line.text, cells: undefined }]),
      ...block.lines.slice(q + 1),
    ],
  };
}

const NOTES_HEADING = /^\s*(?:foot)?notes?\s*:?\s*$/i;
const SEE_NOTE = /\b(?:please\s+)?see\s+(?:foot)?note\s*(\d{1,2})\b\.?/i;

/**
 * Answers given in numbered notes under a "Notes" heading ("Question 1: see note 1." ... "Notes" / "1. The
 * Trust accepts referrals ..."): the notes are not questions 1, 2, 3 of the letter; each "see note N" reads
 * as note N's words (quoting its own line), and every note is a note of the reply (what "1-4" means).
 */
function numberedNotes(body: readonly Line[], notes: string[]): Line[] {
  const at = body.findIndex((l) => NOTES_HEADING.test(l.text));
  if (at < 0) return [...body];
  const byNum = new Map<number, Line>();
  const inNotes = new Set<Line>([body[at]!]);
  let last: number | null = null;
  for (const l of body.slice(at + 1)) {
    const m = /^\s*(\d{1,2})[.)]\s+(.*)$/.exec(l.text);
    if (m) {
      last = Number(m[1]);
      byNum.set(last, { ...l, text: m[2]! });
    } else if (last !== null && !HEAD.test(l.text)) {
      const prev = byNum.get(last)!;
      byNum.set(last, { ...prev, text: `${prev.text} ${l.text.trim()}` });
    } else break;
    inNotes.add(l);
  }
  if (byNum.size === 0 || !body.slice(0, at).some((l) => SEE_NOTE.test(l.text))) return [...body];
  notes.push(...[...byNum.values()].map((n) => n.text));
  // Every "see note N" of a line ("Question 1: see note 1. Question 4: see note 2.").
  return body
    .filter((l) => !inNotes.has(l))
    .map((l) => {
      let t = l.text;
      for (let m = SEE_NOTE.exec(t); m; m = SEE_NOTE.exec(t)) {
        const note = byNum.get(Number(m[1]));
        if (!note) break;
        t = t.slice(0, m.index) + note.text + t.slice(m.index + m[0].length);
      }
      return t === l.text ? l : { ...l, text: t, quote: l.quote ?? l.text };
    });
}

export function codeLetter(given: readonly Line[], ctx: LetterContext): LetterResult {
  const lines = preparedLines(given);
  const texts = lines.map((l) => l.text);
  // A reply forwarded under a short note ("forwarding this as it was sent to us by mistake"): the letter is
  // the forwarded message below the note, not the note (which would otherwise end the letter at its marker),
  // and its date is the forwarded message's own (the forward's Date header is the day it was passed on).
  const quoted = lines.findIndex((l) => QUOTED_START.test(l.text));
  const note = quoted < 0 ? [] : lines.slice(0, quoted).filter((l) => l.text.trim() !== '');
  // A longer note only when it is a forward (not a covering e-mail above our own request quoted back).
  const forwarded =
    quoted >= 0 && (/forwarded message/i.test(lines[quoted]!.text) || note.some((l) => /\bforward/i.test(l.text)));
  const start =
    quoted >= 0 && (note.length <= 3 || (forwarded && note.length <= 8 && !note.some((l) => HEAD.test(l.text))))
      ? quoted + 1
      : 0;
  const replyDate =
    (start > 0 && forwarded ? findLetterDate(texts.slice(start, start + 6)) : undefined) ??
    ctx.replyDate ??
    findLetterDate(texts);
  const period = replyDate === undefined ? { sentDate: ctx.sentDate } : { sentDate: ctx.sentDate, replyDate };
  // A note and the lines that carry on its sentence ("* 2023/24 covers ...; a breakdown" / "of this figure by
  // borough has been withheld under section 40(2) ..."): one note, read whole, and no part of any answer.
  const noteLines = new Set<Line>();
  const notes: string[] = [];
  lines.forEach((l, i) => {
    const prev = lines[i - 1];
    if (NOTE.test(l.text)) {
      noteLines.add(l);
      notes.push(l.text);
    } else if (prev && noteLines.has(prev) && !/[.!?]\s*$/.test(prev.text) && /^\s*[a-z(]/.test(l.text)) {
      noteLines.add(l);
      notes[notes.length - 1] = `${notes[notes.length - 1]!.trimEnd()} ${l.text.trim()}`;
    }
  });
  const out: LetterResult = {
    values: [],
    issues: [],
    textAnswers: [],
    trustHint: findTrustHint(texts, ctx.fromAddress),
    uncoded: 0,
  };
  if (replyDate !== undefined) out.replyDate = replyDate;

  const end = lines.findIndex((l, i) => i >= start && SIGN_OFF.test(l.text));
  // The figures may follow the signature in an appendix ("given in Appendix A overleaf"): read from its
  // heading to the next sign-off, as part of the letter.
  const appendix = end < 0 ? -1 : lines.findIndex((l, i) => i > end && APPENDIX.test(l.text));
  const appendixEnd = appendix < 0 ? -1 : lines.findIndex((l, i) => i > appendix && SIGN_OFF.test(l.text));
  const inBody = numberedNotes(
    [
      ...lines.slice(start, end < 0 ? undefined : end),
      ...(appendix < 0 ? [] : lines.slice(appendix + 1, appendixEnd < 0 ? undefined : appendixEnd)),
    ],
    notes,
  )
    .filter((l) => !noteLines.has(l))
    .flatMap(splitInlineQuestions);
  // Our request quoted back after the answers ("Your original request:" / "1. Does the trust ...?"): its
  // numbered questions are no answers (they would answer question 4 with "If so, its name.").
  const quotedBack = inBody.findIndex(
    (l, i) =>
      REQUEST_QUOTED.test(l.text) &&
      inBody.slice(0, i).some((b) => HEAD.test(b.text) || JOINT_HEAD.test(b.text) || RESPONSE_TO.test(b.text)),
  );
  const body = quotedBack < 0 ? inBody : inBody.slice(0, quotedBack);
  const blocks: Block[] = [];
  for (const l of body) {
    const r = RESPONSE_TO.exec(l.text);
    if (r) {
      const [a, z] = [Number(r[1]), r[2] === undefined ? undefined : Number(r[2])];
      const first = r[3]!.trim() === '' ? [] : [{ ...l, text: r[3]!, quote: l.text, cells: undefined }];
      if (a >= 1 && a <= ctx.wave.questions.length) {
        blocks.push(
          z !== undefined && z > a && z <= ctx.wave.questions.length
            ? { num: a, last: z, lines: first, answerOnly: true }
            : { num: a, lines: first, answerOnly: true },
        );
        continue;
      }
    }
    const j = JOINT_HEAD.exec(l.text);
    const [a, z] = j ? [Number(j[1] ?? j[3]), Number(j[2] ?? j[4])] : [0, 0];
    if (j && a >= 1 && z > a && z <= ctx.wave.questions.length) {
      // The heading's rest is text, not the cells the heading was set apart from ("Q2 and Q3" | "Referrals ..."),
      // unless it heads a table: "Q2/Q3. Referrals ... received and accepted | 2023/24 | 2024/25 | 2025/26*"
      // keeps its period cells, the heading taken out of the first.
      const lead = l.cells?.[0] === undefined ? null : JOINT_HEAD.exec(l.cells[0]);
      const tableHead =
        lead !== null &&
        l.cells!.slice(1).filter((c) => isPeriodOnly(c.replace(MARKS, ''))).length >= 2 &&
        l.cells!.slice(1).every((c) => isPeriodOnly(c.replace(MARKS, '')) || /^\s*totals?\s*$/i.test(c));
      blocks.push({
        num: a,
        last: z,
        lines: tableHead
          ? [{ ...l, text: j[5]!, quote: l.text, cells: [lead![5]!, ...l.cells!.slice(1)] }]
          : j[5]!.trim() === ''
            ? []
            : [{ ...l, text: j[5]!, quote: l.text, cells: undefined }],
      });
      continue;
    }
    // "2." alone on its line, the next question after the last one opened: its answer is on the lines below.
    const bare = /^\s*(\d{1,2})[.)]\s*$/.exec(l.text);
    const lastNum = blocks.at(-1)?.last ?? blocks.at(-1)?.num ?? 0;
    if (bare && Number(bare[1]) === lastNum + 1 && Number(bare[1]) <= ctx.wave.questions.length) {
      blocks.push({ num: Number(bare[1]), lines: [] });
      continue;
    }
    const h = HEAD.exec(l.text);
    // A row of a table whose label starts with a number ("3. Number accepted | 4 | 6") continues the table.
    const prev = blocks[blocks.length - 1]?.lines.at(-1);
    if (h && (l.cells?.length ?? 0) >= 2 && (prev?.cells?.length ?? 0) >= 2) blocks[blocks.length - 1]!.lines.push(l);
    else if (h)
      blocks.push({
        num: Number(h[1] ?? h[2]),
        lines: h[3]!.trim() === '' ? [] : [{ ...l, text: h[3]!, quote: l.text, cells: undefined }],
      });
    else blocks[blocks.length - 1]?.lines.push(l);
  }
  // Questions restated as a list and answered below by number ("Response to 1: Yes."): the restated
  // block is only the question, and is not a question left without an answer.
  const answeredBelow = new Set(blocks.filter((b) => b.answerOnly).flatMap((b) => range(b.num!, b.last ?? b.num!)));
  if (answeredBelow.size > 0)
    blocks.splice(
      0,
      blocks.length,
      ...blocks.filter((b) => b.answerOnly || b.num === null || !answeredBelow.has(b.num)),
    );
  // No numbered questions: the whole body is one answer to the count questions, read for tables and sentences.
  if (blocks.length === 0) {
    codeAllCounts(body, ctx.wave, period, notes, out);
    addStatedAnswers(body, ctx.wave, out);
    applyNonzeroNote(out.values, nonzeroNote(end < 0 ? texts : texts.slice(0, end)));
    applyPeriodNotes(out.values, allPeriodNotes(end < 0 ? texts : texts.slice(0, end), out.values));
    allAccepted(out, end < 0 ? texts : texts.slice(0, end), ctx.wave);
    return wholeRefusal(out, end < 0 ? lines : lines.slice(0, end), ctx.wave);
  }
  // Questions refused on their own so far, by number, with their grounds ("the same exemption applies").
  const refusedByNum = new Map<number, string[]>();
  const strayTables: Line[] = [];
  for (const b of blocks) {
    if (b.last !== undefined) {
      const from = out.values.length;
      codeJoint(b, ctx.wave, period, notes, out);
      keepFiguresGivenElsewhere(out, from, b.lines);
      continue;
    }
    const { qText, answer } = split(b);
    const q = questionOf(qText, b.num, ctx.wave);
    const at = answer[0] ?? b.lines[0];
    if (q === null) {
      out.issues.push(
        issue(
          'question_unmatched',
          'warning',
          'A numbered question of the reply matches no question of the wave.',
          at?.location ?? {},
          { raw: qText },
        ),
      );
      out.uncoded += 1;
      continue;
    }
    if (answer.length === 0) {
      out.issues.push(
        issue(
          'answer_missing',
          'info',
          'The reply restates this question but gives no answer under it.',
          b.lines[0]?.location ?? {},
          { questionId: q.id },
        ),
      );
      continue;
    }
    // The office signing the letter after the last answer, with no sign-off between: not part of the answer.
    while (answer.length > 1 && SIGNATURE.test(answer[answer.length - 1]!.text)) answer.pop();
    // A table of counts set out under a yes/no or text answer ("4. No." then the table of both counts):
    // the table answers the count questions, the words around it this question.
    // The lines after the table speak of its counts ("The 2022/23 accepted figure is not available").
    if (q.answerType !== 'count_per_period') {
      const table = answer.filter((l) => (l.cells?.length ?? 0) >= 2);
      const first = answer.findIndex((l) => (l.cells?.length ?? 0) >= 2);
      if (table.some((l) => findPeriods(normalise(l.text)).length > 0) && table.length < answer.length) {
        const stray = first > 0 ? answer.slice(first) : table;
        strayTables.push(...stray);
        answer.splice(0, answer.length, ...answer.filter((l) => !stray.includes(l)));
      }
    }
    const text = answer
      .map((l) => l.text.trim())
      .join(' ')
      .trim();
    const quote = answer.map((l) => l.quote ?? l.text).join('\n');
    const own = ownRefusal(answer[0]!.text, text, q, refusedByNum);
    if (q.answerType === 'count_per_period') {
      const before = { values: out.values.length, issues: out.issues.length, uncoded: out.uncoded };
      // An answer giving both counts of each period ("30 referrals received, 21 accepted") answers both
      // count questions, whichever it sits under ("3. ... Response: see above.").
      if (answer.some((l) => !l.cells && bothCounts(l.text))) codeAllCounts(answer, ctx.wave, period, notes, out);
      else codeCounts(q, answer, ctx.wave, period, notes, out);
      keepFiguresGivenElsewhere(out, before.values, answer);
      withheldWithoutFigures([q], answer, ctx.wave, period, out, before);
      // Nothing read and the answer refuses this question on its own: the refusal is its coding.
      if (own !== null && out.values.length === before.values) {
        out.issues.length = before.issues;
        out.uncoded = before.uncoded;
        out.values.push(refusedValue(q, ctx.wave, own, at!.location, quote));
        if (b.num !== null) refusedByNum.set(b.num, own.exemptions);
      }
    } else if (own !== null && (q.answerType === 'text_list' || yesNo(text) === null)) {
      out.values.push(refusedValue(q, ctx.wave, own, at!.location, quote));
      if (b.num !== null) refusedByNum.set(b.num, own.exemptions);
    } else {
      const yn = q.answerType === 'text_list' ? null : yesNo(text);
      const ta: TextAnswer = { questionId: q.id, yesNo: yn, text, location: at!.location, quote };
      const name = q.answerType === 'yes_no_text' && yn !== false ? serviceName(text) : undefined;
      if (name !== undefined) ta.name = name;
      out.textAnswers.push(ta);
      if (q.answerType === 'yes_no') out.accepts = yn;
      if (q.answerType === 'text_list') out.serviceText = text;
      if (q.answerType !== 'text_list' && yn === null) {
        out.issues.push(
          issue('yes_no_unreadable', 'warning', 'The answer says neither yes nor no.', at!.location, {
            raw: text,
            questionId: q.id,
          }),
        );
        out.uncoded += 1;
      }
    }
  }
  const counted = new Set(ctx.wave.questions.filter((q) => q.answerType === 'count_per_period').map((q) => q.id));
  if (strayTables.length > 0 && !out.values.some((v) => counted.has(v.questionId)))
    codeAllCounts(strayTables, ctx.wave, period, notes, out);
  // A note saying what "fewer than 5" stands for ("between 1 and 4") decides its interval; a note saying
  // what dates a year's figures cover decides their period (a table under a yes/no answer's included).
  applyNonzeroNote(out.values, nonzeroNote(end < 0 ? texts : texts.slice(0, end)));
  applyPeriodNotes(out.values, allPeriodNotes(end < 0 ? texts : texts.slice(0, end), out.values));
  out.values = onceEachMissing(out.values);
  addStatedAnswers(body, ctx.wave, out);
  allAccepted(out, end < 0 ? texts : texts.slice(0, end), ctx.wave);
  return wholeRefusal(out, lines, ctx.wave);
}

/** Questions no numbered answer gave, answered in the letter's own sentences (answers.ts statedAnswers). */
function addStatedAnswers(body: readonly Line[], wave: FoiQuestionList, out: LetterResult): void {
  const answered = new Set([...out.textAnswers, ...out.values].map((a) => a.questionId));
  for (const a of statedAnswers(
    body.map((l) => l.text),
    wave.questions,
    answered,
  )) {
    const ta: TextAnswer = {
      questionId: a.questionId,
      yesNo: a.yesNo,
      text: a.text,
      location: body[a.from]!.location,
      quote: body
        .slice(a.from, a.to + 1)
        .map((l) => l.quote ?? l.text)
        .join('\n'),
    };
    if (a.name !== undefined) ta.name = a.name;
    out.textAnswers.push(ta);
    (out.stated ??= new Set()).add(a.questionId);
    const q = wave.questions.find((x) => x.id === a.questionId)!;
    if (q.answerType === 'yes_no') out.accepts = a.yesNo;
    if (q.answerType === 'text_list') out.serviceText = a.text;
  }
}

/**
 * Lines that answer both count questions at once (no numbered questions, or a joint heading): a table
 * names its own basis per column, so it is read once; a sentence is "accepted" if it says so.
 */
function codeAllCounts(
  lines: readonly Line[],
  wave: FoiQuestionList,
  period: { sentDate: string; replyDate?: string },
  notes: string[],
  out: LetterResult,
): void {
  // A sentence wrapped onto the next line ("... we received <5" / "(all accepted), and in ...") is one line here.
  const joined: Line[] = [];
  for (const l of lines) {
    const prev = joined[joined.length - 1];
    // A line ending on a word that cannot end a sentence ("... and 25 in" / "2023/24. The number ...") runs on.
    // So does "Referrals received:" before a line of its counts ("2021-22 less than ten, 2022-23 12, ...").
    const runsOn = /\b(?:in|and|of|to|for|were|was|by|the|with|from|at|which|whom|than|these|those)\s*$|[,:]\s*$/i.test(
      prev?.text ?? '',
    );
    if (
      prev &&
      !prev.cells &&
      !l.cells &&
      // "...; in 2022/23, 14 and 11;" / "and in 2023/24 to date, 9 and 9.": a clause after a semicolon runs on.
      // "... and in 2023/24 (to 29 February" / "2024) we received 22": a bracket left open runs on.
      (openBracket(prev.text) ||
        !/[.;:!?]\s*$/.test(prev.text) ||
        (/;\s*$/.test(prev.text) && /^\s*(?:and|or|but|while|whereas)\b/i.test(l.text)) ||
        (/:\s*$/.test(prev.text) && /^\s*\d/.test(l.text))) &&
      (/^\s*[a-z(]/.test(l.text) || ((runsOn || openBracket(prev.text)) && /^\s*\d/.test(l.text)))
    )
      joined[joined.length - 1] = {
        ...prev,
        text: `${prev.text.trimEnd()} ${l.text.trim()}`,
        quote: `${prev.quote ?? prev.text}\n${l.quote ?? l.text}`,
      };
    else joined.push(l);
  }
  // A table header wrapped one piece per line ("Team | Received 2021/22" / "Received 2022/23" / "Accepted
  // 2021/22" ...) is put back together before the lines are shared out by the question they speak of.
  const rebuilt = joinWrappedHeaders(rejoinWrappedCounts(joined));
  for (const basis of ['received', 'accepted'] as const) {
    const q = wave.questions.find((x) => x.basis === basis && x.answerType === 'count_per_period');
    const picked = rebuilt.flatMap((l): Line[] => {
      if ((l.cells?.length ?? 0) >= 2) return basis === 'received' ? [l] : [];
      const both = bothCounts(l.text);
      if (both) return [{ ...l, text: both[basis], quote: l.quote ?? l.text }];
      return bySentence(l).filter((x) => x.basis === basis);
    });
    if (q) codeCounts(q, picked, wave, period, notes, out);
  }
}

const openBracket = (t: string) => (t.match(/\(/g) ?? []).length > (t.match(/\)/g) ?? []).length;

// "..., all of which were accepted": the counts are the received ones (allAccepted copies them).
const aboutAccepted = (t: string) => /\baccept/i.test(t) && !ALL_ACCEPTED.test(t);

/**
 * A line's sentences with the count question each speaks of: "Referrals received: 2021-22 less than ten,
 * 2022-23 12, 2023-24 so far 10. Accepted: 2021-22 less than ten, 2022-23 9, 2023-24 so far 7." is two
 * sentences, one of each; a sentence naming neither carries on the one before. A line that speaks of one
 * only is read whole, as before.
 */
function bySentence(l: Line): (Line & { basis: 'received' | 'accepted' })[] {
  const whole = [{ ...l, basis: aboutAccepted(l.text) ? ('accepted' as const) : ('received' as const) }];
  const parts = l.text.split(/(?<=[.;])\s+(?=[A-Z])/);
  const said = parts.map((p) => (aboutAccepted(p) ? 'accepted' : /\breceiv/i.test(p) ? 'received' : null));
  if (!said.includes('accepted') || !said.includes('received')) return whole;
  let last: 'received' | 'accepted' = 'received';
  return parts.map((text, i) => {
    last = said[i] ?? last;
    return { ...l, text, quote: l.quote ?? l.text, basis: last };
  });
}

/**
 * The answer under a joint heading ("2 and 3."): the count questions it names are read together
 * (codeAllCounts), a yes/no question it names from the answer's first sentence ("yes, the Trust ...").
 */
function codeJoint(
  b: Block,
  wave: FoiQuestionList,
  period: { sentDate: string; replyDate?: string },
  notes: string[],
  out: LetterResult,
): void {
  const named = wave.questions.slice(b.num! - 1, b.last);
  const at = b.lines[0];
  if (at === undefined) return;
  const before = { values: out.values.length, issues: out.issues.length, uncoded: out.uncoded };
  if (named.some((q) => q.answerType === 'count_per_period')) codeAllCounts(b.lines, wave, period, notes, out);
  withheldWithoutFigures(named, b.lines, wave, period, out, before);
  // "Response to 2 and 3: ... would exceed the appropriate limit under section 12(1)": each count question it
  // names is refused, when nothing firm was read from it (only doubtful readings or "not held" words).
  // So is one refused on another ground its first line gives ("This information is reasonably accessible to you
  // by other means ... Section 21 of the Act therefore applies").
  const text = b.lines.map((l) => l.text).join(' ');
  const counts = named.filter((x) => x.answerType === 'count_per_period');
  const grounds = counts.map((q) => costRefusal(text) ?? ownRefusal(at.text, text, q, new Map()));
  const added = out.values.slice(before.values);
  if (
    grounds.some((g) => g !== null) &&
    added.every((v) => v.suggestion !== undefined || v.missingReason === 'not_held')
  ) {
    out.values.length = before.values;
    out.issues.length = before.issues;
    out.uncoded = before.uncoded;
    const quote = b.lines.map((l) => l.quote ?? l.text).join('\n');
    counts.forEach((q, i) => {
      const g = grounds[i];
      if (g) out.values.push(refusedValue(q, wave, g, at.location, quote));
    });
  }
  const first =
    b.lines
      .map((l) => l.text)
      .join(' ')
      .split(/(?<=[.;])\s/)[0] ?? '';
  for (const q of named.filter((x) => x.answerType === 'yes_no')) {
    const yn = yesNo(first);
    if (yn === null) continue;
    out.textAnswers.push({
      questionId: q.id,
      yesNo: yn,
      text: first.trim(),
      location: at.location,
      quote: at.quote ?? at.text,
    });
    out.accepts = yn;
  }
}

/** A count question's answer: runs of table rows go to the table coder, the other lines to the prose coder. */
function codeCounts(
  q: FoiQuestion,
  answer: readonly Line[],
  wave: FoiQuestionList,
  period: { sentDate: string; replyDate?: string },
  notes: string[],
  out: LetterResult,
): void {
  const basis = q.basis ?? 'received';
  // The band of the counts, not of a population or a wait beside them ("local population aged 0-2: 61,400").
  // Read from the lines as written: a line rewritten to its pairs ("2021/22: 21; ...", from "For children aged
  // 0-4 years we received 21, 25 and 19 ... respectively") keeps the band only in its quote.
  const ageText = findAgeBand(
    answer
      .map((l) => l.quote ?? l.text)
      .join(' ')
      .split(/[;.](?:\s|$)/)
      .filter((clause) => !NOT_A_COUNT.test(normalise(clause)) && !BAND_NOT_GIVEN.test(clause))
      .join('; '),
  );
  const age = ageText === null ? null : parseAgeBand(ageText, answer[0]?.location ?? {});
  if (age) out.issues.push(...age.issues);
  const band = age?.value?.band ?? wave.askedAgeBand;
  const runs: { table: boolean; lines: Line[] }[] = [];
  const lines = periodsOverCounts(joinWrappedHeaders(rejoinWrappedCounts(answer))).map((l) =>
    withRespectively(pairCells(l), wave),
  );
  for (const given of lines) {
    const last = runs[runs.length - 1];
    // Page furniture ("Page 1 of 2") between two rows of a table that runs over a page break is not a sentence.
    if (last?.table && PAGE_FURNITURE.test(given.text)) continue;
    // A row of a table whose cells are all blank but its label ("Jan 23" and nothing) is still a row of the table.
    const l =
      last?.table && given.cells === undefined && isPeriodOnly(given.text)
        ? { ...given, cells: [given.text.trim()] }
        : given;
    const table = (l.cells?.length ?? 0) >= 2 || l !== given;
    if (last && last.table === table) last.lines.push(l);
    else runs.push({ table, lines: [l] });
  }
  continuedTables(runs);
  for (const run of runs) {
    let codedAsTable = false;
    if (run.table) {
      const rows = run.lines.map((l) =>
        l.cells!.map((text) => ({ text, location: l.location, quote: l.text, ...(l.weak ? { weak: l.weak } : {}) })),
      );
      const r = codeTable(rows, { wave, period, notes, defaultBasis: basis, defaultBand: band });
      out.values.push(...r.values);
      out.issues.push(...r.issues);
      out.uncoded += r.uncoded;
      if (r.records) out.records = r.records;
      codedAsTable = r.recognised;
    }
    // Wide spaces in a sentence can look like columns: lines that make no table are read as sentences.
    if (!run.table || !codedAsTable) {
      const r = codeProse(run.lines, { wave, period, notes, questionId: q.id, basis, band });
      out.values.push(...r.values);
      out.issues.push(...r.issues);
      out.uncoded += r.uncoded;
    }
  }
}

// A clause that says which band the counts are NOT given for ("We are not able to report on under-twos
// separately; the figures below are for children aged 0-4"): its band is no band of the counts.
const BAND_NOT_GIVEN =
  /\b(?:not able|unable|cannot|can ?not|can't|do(?:es)? not|don't|doesn't|not possible|no way)\b[^;.]*\b(?:report|record|provide|separate|break|identify|split|extract|isolate|distinguish)/i;

const PAGE_FURNITURE = /^\s*(?:-\s*)?page\s+\d+(?:\s+of\s+\d+)?(?:\s*-)?\s*$/i;
