import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../../pipeline/foi/calendar.ts';
import { deriveStatus, type FoiEvent } from '../../../pipeline/foi/status.ts';
import { canonicalExemption } from '../../../sources/foi/exemptions.ts';

const cal = loadCalendar();
const QS = ['q1', 'q2', 'q3', 'q4', 'q5'];
// Sent and received Mon 11 Mar 2024: due Thu 11 Apr, long overdue after Fri 10 May (see calendar.test.ts).
const status = (events: FoiEvent[], clock: string, extra: { received?: string; sent?: string } = {}) =>
  deriveStatus({ sent: extra.sent ?? '2024-03-11', received: extra.received, questionIds: QS, events }, clock, cal);
const codes = (r: ReturnType<typeof status>) => r.issues.map((i) => i.code);

describe('no reply yet', () => {
  it('is awaiting up to and including the due date, with the working days elapsed', () => {
    const r = status([], '2024-04-11');
    expect(r.status).toBe('awaiting');
    expect(r.due?.due).toBe('2024-04-11');
    expect(r.daysElapsed).toEqual({ working: 20, calendar: 31 });
  });

  it('becomes overdue the day after the due date, dated in the history', () => {
    const r = status([], '2024-04-12');
    expect(r.status).toBe('overdue');
    expect(r.history).toEqual([
      { date: '2024-03-11', status: 'awaiting', cause: 'sent' },
      { date: '2024-04-12', status: 'overdue', cause: 'due_date_passed' },
    ]);
  });

  it('becomes long overdue after 40 working days', () => {
    expect(status([], '2024-05-10').status).toBe('overdue');
    const r = status([], '2024-05-11');
    expect(r.status).toBe('long_overdue');
    expect(r.longOverdueAfter).toBe('2024-05-10');
    expect(r.history.at(-1)).toEqual({ date: '2024-05-11', status: 'long_overdue', cause: 'long_overdue' });
  });

  it('after an extension past the 40 working days, is overdue the day after the new date and long overdue from then, the history in date order', () => {
    const ext: FoiEvent[] = [{ type: 'pi_extension', date: '2024-04-05', newDue: '2024-05-20' }];
    expect(status(ext, '2024-05-20').status).toBe('awaiting');
    const r = status(ext, '2024-07-01');
    expect(r.status).toBe('long_overdue');
    expect(r.history.slice(-2)).toEqual([
      { date: '2024-05-21', status: 'overdue', cause: 'due_date_passed' },
      { date: '2024-05-21', status: 'long_overdue', cause: 'long_overdue' },
    ]);
    const dates = r.history.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('counts from the day of receipt when a posted request arrives after it was sent', () => {
    expect(status([], '2024-03-20', { sent: '2024-03-07', received: '2024-03-11' }).due?.due).toBe('2024-04-11');
  });

  it('ignores events dated after the clock, so the status can be taken as of any day', () => {
    expect(status([{ type: 'reply', date: '2024-04-05', answered: QS }], '2024-04-01').status).toBe('awaiting');
  });
});

describe('coded replies', () => {
  it('is answered only when every question asked has an answer, and records the time taken', () => {
    const r = status([{ type: 'reply', date: '2024-04-05', answered: QS }], '2024-06-01');
    expect(r.status).toBe('answered');
    expect(r.withinTime).toBe(true);
    expect(r.daysTaken).toEqual({ working: 16, calendar: 25 });
    expect(r.daysElapsed).toBeNull();
  });

  it('is partial, never answered, while a question the trust was asked has no coded answer (foi.md)', () => {
    const r = status([{ type: 'reply', date: '2024-04-05', answered: ['q1', 'q2', 'q3', 'q4'] }], '2024-06-01');
    expect(r.status).toBe('partial');
    expect(r.questions.q5).toBe('missing');
    expect(codes(r)).toContain('reply_missing_questions');
  });

  it('is partial, not refused or not held, while questions other than the refused ones are uncoded (v12 corpus: a letter saying yes in prose and "we do not hold these by year" showed not held)', () => {
    const refused = status(
      [{ type: 'reply', date: '2024-04-05', refused: ['q2', 'q3'], exemptions: ['s12'] }],
      '2024-06-01',
    );
    expect(refused.status).toBe('partial');
    expect(refused.exemptions).toEqual(['s12']);
    expect(status([{ type: 'reply', date: '2024-04-05', notHeld: ['q2'] }], '2024-06-01').status).toBe('partial');
    expect(status([{ type: 'reply', date: '2024-04-05' }], '2024-06-01').status).toBe('partial');
    // Every question coded so: refused, not held.
    expect(status([{ type: 'reply', date: '2024-04-05', refused: QS, exemptions: ['s12'] }], '2024-06-01').status).toBe(
      'refused',
    );
    expect(status([{ type: 'reply', date: '2024-04-05', notHeld: QS }], '2024-06-01').status).toBe('not_held');
  });

  it('is partial when some are answered and others refused or not held, keeping the exemptions', () => {
    const r = status(
      [
        {
          type: 'reply',
          date: '2024-04-05',
          answered: ['q1', 'q4', 'q5'],
          refused: ['q2'],
          notHeld: ['q3'],
          exemptions: ['Section 40(2)'],
        },
      ],
      '2024-06-01',
    );
    expect(r.status).toBe('partial');
    expect(r.exemptions).toEqual(['s40(2)']);
    expect(r.questions).toEqual({ q1: 'answered', q2: 'refused', q3: 'not_held', q4: 'answered', q5: 'answered' });
  });

  it('is refused when every question is refused, with the exemptions cited', () => {
    const r = status([{ type: 'reply', date: '2024-04-05', refused: QS, exemptions: ['s.12', 'S43'] }], '2024-06-01');
    expect(r.status).toBe('refused');
    expect(r.exemptions).toEqual(['s12', 's43']);
  });

  it('is not_held or ncnd when every question is coded so', () => {
    expect(status([{ type: 'reply', date: '2024-04-05', notHeld: QS }], '2024-06-01').status).toBe('not_held');
    expect(status([{ type: 'reply', date: '2024-04-05', ncnd: QS }], '2024-06-01').status).toBe('ncnd');
  });

  it('is refused when nothing is answered and refusals are mixed with not held', () => {
    expect(
      status([{ type: 'reply', date: '2024-04-05', refused: ['q1', 'q2'], notHeld: ['q3', 'q4', 'q5'] }], '2024-06-01')
        .status,
    ).toBe('refused');
  });

  it('records a reply after the due date as late, with the overdue spell in the history', () => {
    const r = status([{ type: 'reply', date: '2024-04-15', answered: QS }], '2024-06-01');
    expect(r.withinTime).toBe(false);
    expect(r.daysTaken).toEqual({ working: 22, calendar: 35 });
    expect(r.history.map((h) => `${h.date} ${h.status}`)).toEqual([
      '2024-03-11 awaiting',
      '2024-04-12 overdue',
      '2024-04-15 answered',
    ]);
  });

  it('counts a reply on the due date as within time', () => {
    expect(status([{ type: 'reply', date: '2024-04-11', answered: QS }], '2024-06-01').withinTime).toBe(true);
  });

  it('merges a follow-up reply question by question', () => {
    const r = status(
      [
        { type: 'reply', date: '2024-04-05', answered: ['q1', 'q2'] },
        { type: 'reply', date: '2024-04-20', answered: ['q3', 'q4', 'q5'] },
      ],
      '2024-06-01',
    );
    expect(r.status).toBe('answered');
    expect(r.firstReply).toBe('2024-04-05');
    // The first reply leaves q3-q5 without a coded answer: partial, then answered by the follow-up.
    expect(r.history.map((h) => h.status)).toEqual(['awaiting', 'partial', 'answered']);
  });
});

describe('clarification', () => {
  const clarified: FoiEvent[] = [
    { type: 'clarification_asked', date: '2024-03-20' },
    { type: 'clarification_answered', date: '2024-04-02' },
  ];

  it('stops the clock while the trust waits for an answer, so it never becomes overdue', () => {
    const r = status([clarified[0]!], '2024-06-20');
    expect(r.status).toBe('clarification');
    expect(r.due).toBeNull();
    expect(r.daysElapsed).toBeNull();
  });

  it('restarts the 20 working days from receipt of the clarification', () => {
    // Received Tue 2 Apr: 3-5 Apr = 1-3; 8-12 = 4-8; 15-19 = 9-13; 22-26 = 14-18; 29, 30 = 19, 20.
    const r = status(clarified, '2024-04-20');
    expect(r.status).toBe('awaiting');
    expect(r.clockStart).toBe('2024-04-02');
    expect(r.due?.due).toBe('2024-04-30');
    expect(status(clarified, '2024-05-01').status).toBe('overdue');
  });

  it('judges a reply against the restarted due date', () => {
    const r = status([...clarified, { type: 'reply', date: '2024-04-25', answered: QS }], '2024-06-01');
    expect(r.withinTime).toBe(true);
    expect(r.daysTaken).toEqual({ working: 17, calendar: 23 });
  });

  it('does not restart the clock for a clarification nobody asked for', () => {
    const r = status([{ type: 'clarification_answered', date: '2024-04-02' }], '2024-04-12');
    expect(r.status).toBe('overdue');
    expect(codes(r)).toEqual(['event_out_of_order']);
  });
});

describe('internal review', () => {
  const refused: FoiEvent = { type: 'reply', date: '2024-04-05', refused: QS, exemptions: ['s14(1)'] };
  const review: FoiEvent = { type: 'internal_review_requested', date: '2024-04-20' };

  it('shows internal_review while the review runs', () => {
    expect(status([refused, review], '2024-05-01').status).toBe('internal_review');
  });

  it('replaces the status with the outcome, exemptions included', () => {
    const r = status(
      [refused, review, { type: 'internal_review_outcome', date: '2024-05-15', answered: QS, exemptions: [] }],
      '2024-06-01',
    );
    expect(r.status).toBe('answered');
    expect(r.exemptions).toEqual([]);
    expect(r.history.map((h) => h.status)).toEqual(['awaiting', 'refused', 'internal_review', 'answered']);
  });

  it('restores the reviewed status when the outcome upholds it', () => {
    const r = status([refused, review, { type: 'internal_review_outcome', date: '2024-05-15' }], '2024-06-01');
    expect(r.status).toBe('refused');
    expect(r.exemptions).toEqual(['s14(1)']);
  });
});

describe('problems in the events', () => {
  it('reports an event dated before receipt and ignores it', () => {
    const r = status([{ type: 'reply', date: '2024-03-01', answered: QS }], '2024-03-20');
    expect(r.status).toBe('awaiting');
    expect(codes(r)).toEqual(['event_before_receipt']);
  });

  it('reports a question id the request did not ask', () => {
    const r = status([{ type: 'reply', date: '2024-04-05', answered: [...QS, 'q9'] }], '2024-06-01');
    expect(r.status).toBe('answered');
    expect(codes(r)).toEqual(['reply_unknown_question']);
  });

  it('reads a question coded both answered and refused as refused, with an error', () => {
    const r = status([{ type: 'reply', date: '2024-04-05', answered: QS, refused: ['q2'] }], '2024-06-01');
    expect(r.status).toBe('partial');
    expect(codes(r)).toContain('reply_conflicting_codes');
  });

  it('keeps an exemption it cannot read as typed, with a warning', () => {
    const r = status(
      [{ type: 'reply', date: '2024-04-05', refused: QS, exemptions: ['commercial interests'] }],
      '2024-06-01',
    );
    expect(r.exemptions).toEqual(['commercial interests']);
    expect(codes(r)).toEqual(['exemption_unrecognised']);
  });

  it('refuses a clock before the request was sent', () => {
    expect(() => status([], '2024-03-01')).toThrow(/before the request was sent/);
  });
});

describe('exemption codes', () => {
  it.each([
    ['s12', 's12'],
    ['Section 14', 's14'],
    ['s.21', 's21'],
    ['S40(2)', 's40(2)'],
    ['section 40 (2)', 's40(2)'],
    ['sect 43(2)', 's43(2)'],
    ['40(2)', 's40(2)'],
    ['s99', null],
    ['cost', null],
  ])('reads "%s" as %s', (raw, expected) => {
    expect(canonicalExemption(raw)).toBe(expected);
  });
});
