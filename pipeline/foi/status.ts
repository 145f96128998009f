import { issue, type Issue, type IssueCode } from '../../schemas/issue.ts';
import { CensusError } from '../../schemas/fault.ts';
import type { FoiStatus } from '../../schemas/foi.ts';
import { canonicalExemption } from '../../sources/foi/exemptions.ts';
import {
  addDays,
  calendarDaysBetween,
  dueDate,
  longOverdueDate,
  toDayNumber,
  workingDaysBetween,
  type BankHolidayCalendar,
  type DueDate,
  type FoiLaw,
} from './calendar.ts';

/**
 * The status of one FOI request as of a clock date, re-derived from its dated events (foi.md "The
 * request register"). Plain data in and out so it can be run over rows loaded from the database;
 * events dated after the clock are ignored, which is what lets the register say "as of" any day.
 */

export type QuestionOutcome = 'answered' | 'refused' | 'not_held' | 'ncnd';
/** As a reply codes a question: an outcome, or `unanswered` (restated in the reply with no answer under it). */
export type CodedOutcome = QuestionOutcome | 'unanswered';

/** How a reply (or a review outcome) was coded: question ids per outcome, exemptions as cited. */
export interface ReplyCoding {
  answered?: string[];
  refused?: string[];
  notHeld?: string[];
  ncnd?: string[];
  /** Restated by the reply with no answer under it: the reply is partial, never answered. */
  unanswered?: string[];
  exemptions?: string[];
}

export type FoiEvent =
  | { type: 'clarification_asked' | 'clarification_answered' | 'internal_review_requested'; date: string }
  /** A public-interest extension (FOIA s10(3)) notified on `date`, with the new date the trust gave. */
  | { type: 'pi_extension'; date: string; newDue: string }
  | ({ type: 'reply' | 'internal_review_outcome'; date: string } & ReplyCoding);

export interface FoiRequest {
  sent: string;
  /** Defaults to `sent`: an e-mailed request is received the day it is sent. */
  received?: string;
  questionIds: readonly string[];
  events: readonly FoiEvent[];
  /** FOISA for Scottish boards (Scottish holidays only); FOIA otherwise. */
  law?: FoiLaw;
}

interface StatusChange {
  date: string;
  status: FoiStatus;
  cause: FoiEvent['type'] | 'sent' | 'due_date_passed' | 'long_overdue';
}
interface DayCount {
  working: number;
  calendar: number;
}

export interface RequestStatus {
  status: FoiStatus;
  /** Receipt, or the last answered clarification (the clock restarts); null while a clarification is outstanding. */
  clockStart: string | null;
  due: DueDate | null;
  /** Set once overdue: the last day before the request counts as long overdue. */
  longOverdueAfter: string | null;
  firstReply: string | null;
  withinTime: boolean | null;
  /** clockStart to the first reply. */
  daysTaken: DayCount | null;
  /** clockStart to the clock, while nothing has been replied (for the chase list). */
  daysElapsed: DayCount | null;
  questions: Record<string, CodedOutcome | 'missing'>;
  exemptions: string[];
  history: StatusChange[];
  issues: Issue[];
}

const REPLY_STATUSES: ReadonlySet<FoiStatus> = new Set(['answered', 'partial', 'refused', 'not_held', 'ncnd']);
export function deriveStatus(request: FoiRequest, clock: string, cal: BankHolidayCalendar): RequestStatus {
  const received = request.received ?? request.sent;
  const law = request.law ?? 'foia';
  if (toDayNumber(clock) < toDayNumber(request.sent))
    throw new CensusError(
      'usage',
      `Clock ${clock} is before the request was sent (${request.sent}).`,
      'Pass the date the status is wanted for.',
    );
  const issues: Issue[] = [];
  const note = (code: IssueCode, severity: 'error' | 'warning' | 'info', message: string) =>
    issues.push(issue(code, severity, message, {}));
  const history: StatusChange[] = [];
  const codes = new Map<string, CodedOutcome>();
  const exemptions = new Set<string>();
  let status = 'awaiting' as FoiStatus; // widened: closures below change it
  let clockStart: string | null = received;
  let due: DueDate | null = dueDate(received, cal, undefined, law);
  let longAfter: string | null = null;
  let firstReply: string | null = null;
  let atFirstReply: { clockStart: string | null; due: DueDate | null } = { clockStart: null, due: null };
  let beforeReview: FoiStatus | null = null;
  const set = (date: string, next: FoiStatus, cause: StatusChange['cause']) => {
    status = next;
    history.push({ date, status: next, cause });
  };
  // Overdue and long overdue happen by the passing of time, not by an event: insert them when their day comes.
  const advance = (limit: string, inclusive: boolean) => {
    const reached = (d: string) => (inclusive ? d <= limit : d < limit);
    if (status === 'awaiting' && due && reached(addDays(due.due, 1)))
      set(addDays(due.due, 1), 'overdue', 'due_date_passed');
    if (status === 'overdue' && clockStart) {
      longAfter ??= longOverdueDate(clockStart, cal, law);
      // Never before the day it became overdue: an extension past the 40 working days (flagged) makes a
      // request overdue after that limit, and it is long overdue from then, not earlier.
      const overdueSince = history.at(-1)!.date;
      const day = addDays(longAfter, 1) > overdueSince ? addDays(longAfter, 1) : overdueSince;
      if (reached(day)) set(day, 'long_overdue', 'long_overdue');
    }
  };
  const applyCoding = (c: ReplyCoding, label: string, replaceExemptions: boolean) => {
    const asked = new Set(request.questionIds);
    const seen = new Map<string, CodedOutcome>();
    // Later lists win within one event, so a question coded twice ends as the non-answer: the cautious reading.
    const lists: [CodedOutcome, string[] | undefined][] = [
      ['unanswered', c.unanswered],
      ['answered', c.answered],
      ['ncnd', c.ncnd],
      ['not_held', c.notHeld],
      ['refused', c.refused],
    ];
    for (const [outcome, ids] of lists) {
      for (const id of ids ?? []) {
        if (!asked.has(id)) {
          note(
            'reply_unknown_question',
            'warning',
            `${label} codes question "${id}", which the request did not ask; ignored.`,
          );
          continue;
        }
        const before = seen.get(id);
        if (before !== undefined && before !== outcome)
          note(
            'reply_conflicting_codes',
            'error',
            `${label} codes "${id}" as both ${before} and ${outcome}; kept ${outcome}.`,
          );
        seen.set(id, outcome);
      }
    }
    // A question one file leaves unanswered does not undo what another file of the reply coded for it.
    for (const [id, outcome] of seen) if (outcome !== 'unanswered' || !codes.has(id)) codes.set(id, outcome);
    if (c.exemptions !== undefined && replaceExemptions) exemptions.clear();
    for (const raw of c.exemptions ?? []) {
      const code = canonicalExemption(raw);
      if (code === null)
        note(
          'exemption_unrecognised',
          'warning',
          `${label} cites "${raw}", which is not a FOIA section; kept as typed.`,
        );
      exemptions.add(code ?? raw.trim());
    }
  };

  set(request.sent, 'awaiting', 'sent');
  const events = request.events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => toDayNumber(a.e.date) - toDayNumber(b.e.date) || a.i - b.i)
    .map(({ e }) => e);
  for (const e of events) {
    if (e.date > clock) continue;
    if (e.date < received) {
      note(
        'event_before_receipt',
        'error',
        `${e.type} on ${e.date} is before the request was received (${received}); ignored.`,
      );
      continue;
    }
    advance(e.date, false);
    switch (e.type) {
      case 'clarification_asked':
        if (firstReply !== null) {
          note(
            'event_out_of_order',
            'warning',
            `Clarification asked on ${e.date}, after the reply of ${firstReply}; ignored.`,
          );
          break;
        }
        clockStart = null;
        due = null;
        longAfter = null;
        set(e.date, 'clarification', e.type);
        break;
      case 'clarification_answered':
        if (status !== 'clarification') {
          note(
            'event_out_of_order',
            'warning',
            `Clarification answered on ${e.date} with no question outstanding; the clock is not restarted.`,
          );
          break;
        }
        // ICO: the 20 working days start again from receipt of the clarification, not resumed.
        clockStart = e.date;
        due = dueDate(e.date, cal, undefined, law);
        set(e.date, 'awaiting', e.type);
        break;
      case 'reply':
        if (firstReply === null) {
          firstReply = e.date;
          atFirstReply = { clockStart, due };
        }
        applyCoding(e, `Reply of ${e.date}`, false);
        if (status === 'internal_review') break; // a reply during a review does not end the review
        set(e.date, codedStatus(), e.type);
        break;
      case 'pi_extension': {
        if (firstReply !== null || due === null || clockStart === null) {
          note('event_out_of_order', 'warning', `Extension of ${e.date} with no reply clock running; ignored.`);
          break;
        }
        if (e.newDue <= due.due) {
          note(
            'event_out_of_order',
            'warning',
            `Extension of ${e.date} to ${e.newDue} is not after the due date ${due.due}; ignored.`,
          );
          break;
        }
        // s17(1): the trust must say it needs more time within the 20 working days.
        if (e.date > due.due)
          note(
            'pi_extension_late',
            'warning',
            `Extension notified on ${e.date}, after the statutory due date ${due.due}.`,
          );
        // ICO guidance: a public-interest extension should be no more than 20 further working days.
        const most = longOverdueDate(clockStart, cal, law);
        if (e.newDue > most)
          note(
            'pi_extension_beyond_guidance',
            'warning',
            `Extended to ${e.newDue}, beyond the 40 working days (${most}) ICO guidance allows.`,
          );
        due = {
          ...due,
          due: e.newDue,
          summary: `${due.summary} Extended on ${e.date} under FOIA s10(3) (public interest test) to ${e.newDue}.`,
        };
        if (status === 'overdue' && e.newDue >= e.date) set(e.date, 'awaiting', e.type);
        break;
      }
      case 'internal_review_requested':
        beforeReview = status;
        set(e.date, 'internal_review', e.type);
        break;
      case 'internal_review_outcome': {
        if (status !== 'internal_review')
          note('event_out_of_order', 'warning', `Internal review outcome on ${e.date} with no review requested.`);
        const coded = [e.answered, e.refused, e.notHeld, e.ncnd].some((l) => (l?.length ?? 0) > 0);
        applyCoding(e, `Internal review outcome of ${e.date}`, true);
        // The outcome replaces the status; an outcome that codes nothing (upheld) restores the one reviewed.
        set(e.date, coded || firstReply !== null ? codedStatus() : (beforeReview ?? 'awaiting'), e.type);
        break;
      }
    }
  }
  advance(clock, true);

  function codedStatus(): FoiStatus {
    // The status comes from what the reply says. foi.md: "A request cannot be marked answered while its
    // coded response lacks a question the trust was asked; the status then is partial": a question nobody
    // has coded yet (it waits on the coding sheet, noted below as reply_missing_questions) keeps the request
    // partial until a person codes it. (A whole refusal or not-held letter codes every question; the count
    // questions of a trust that takes no under-two referrals are answered by its "no".)
    const outcomes = request.questionIds.map((q) => codes.get(q)).filter((o) => o !== undefined);
    if (outcomes.length === 0) return 'partial';
    // Also when what is coded is refused or not held: the questions not yet coded may be answered.
    if (outcomes.length < request.questionIds.length) return 'partial';
    if (outcomes.every((o) => o === 'answered')) return 'answered';
    // Some answered, others refused, not held or left without an answer; or nothing but blanks.
    if (outcomes.some((o) => o === 'answered') || outcomes.every((o) => o === 'unanswered')) return 'partial';
    if (outcomes.some((o) => o === 'refused')) return 'refused';
    return outcomes.some((o) => o === 'ncnd') ? 'ncnd' : 'not_held';
  }
  const questions = Object.fromEntries(request.questionIds.map((q) => [q, codes.get(q) ?? 'missing'] as const));
  const missing = Object.entries(questions)
    .filter(([, o]) => o === 'missing')
    .map(([q]) => q);
  if (firstReply !== null && missing.length > 0)
    note(
      'reply_missing_questions',
      'warning',
      `No coded answer yet for ${missing.join(', ')} (the coding sheet asks for it): partial until a person codes it.`,
    );

  const span = (from: string | null, to: string): DayCount | null =>
    from === null ? null : { working: workingDaysBetween(from, to, cal, law), calendar: calendarDaysBetween(from, to) };
  const replyDue = firstReply === null ? due : atFirstReply.due;
  if (firstReply !== null && replyDue === null)
    note(
      'reply_during_clarification',
      'info',
      `Replied on ${firstReply} while a clarification was outstanding; no statutory due date applied.`,
    );
  return {
    status,
    clockStart: firstReply === null ? clockStart : atFirstReply.clockStart,
    due: replyDue,
    longOverdueAfter: longAfter,
    firstReply,
    withinTime: firstReply !== null && replyDue !== null ? firstReply <= replyDue.due : null,
    daysTaken: firstReply === null ? null : span(atFirstReply.clockStart, firstReply),
    daysElapsed: firstReply === null && !REPLY_STATUSES.has(status) ? span(clockStart, clock) : null,
    questions,
    exemptions: [...exemptions].sort(),
    history,
    issues,
  };
}
