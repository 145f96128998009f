import type { Kysely } from 'kysely';
import type { Database } from '../../../../schemas/db.ts';
import { loadTrusts } from '../../../../sources/foi/trusts.ts';
import { seedTrusts, trustsAskedOn } from '../../../../pipeline/foi/trust-table.ts';
import { dueDate, loadCalendar } from '../../../../pipeline/foi/calendar.ts';
import { sha256Hex } from '../../../../reports/hash.ts';

/**
 * FOI wave 2024 as SQL fixtures: FOI replies cannot be ingested yet (pipeline/foi/processor.ts says
 * so), so requests, matched replies, coded values and reply events are inserted the way the FOI
 * loader will store them (sql/005), through the FOI module's own trust seeding and due-date code.
 * 50 trusts asked on 2024-03-11; 5 take no under-two referrals (one of them reports 3 anyway); of
 * the 45 that do, 42 give a usable 2022/23 figure and 28 of those are 0-10 ("most receive 0-10").
 */
export const SENT = '2024-03-11';
export const HIGH = [
  ['RWK', 60],
  ['RX4', 75],
  ['RXT', 90],
  ['RXV', 150],
  ['RXX', 230],
] as const;
export const PI_SERVICE = new Set(['RXV', 'RXX', 'RDY', 'RGD']);
const HEADLINE = {
  period_id: 'fy2022_23',
  period_start: '2022-04-01',
  period_end: '2023-03-31',
  period_label: '2022/23',
  period_type: 'financial_year',
};
const EXACT = { age_band_label: 'under 2', age_months_low: 0, age_months_high: 23, age_band_exact: true };

type Value = Record<string, unknown>;

export interface Plan {
  ods: string;
  accepts: boolean;
  value: Value | null;
  late: boolean;
  partial: boolean;
}

/** One plan per trust asked, in ODS order. */
export function plans(): Plan[] {
  const asked = trustsAskedOn(loadTrusts(), SENT)
    .asked.slice(0, 50)
    .map((t) => t.odsCode);
  const no = asked.slice(0, 5);
  const high = new Map<string, number>(HIGH);
  const rest = asked.slice(5).filter((o) => !high.has(o));
  const n = (low: number, high: number | null = low, extra: Value = {}): Value => ({
    low,
    high,
    ...HEADLINE,
    ...EXACT,
    quote: high === low ? String(low) : `${low}-${high ?? ''}`,
    ...extra,
  });
  const valueOf = (ods: string): Value | null => {
    if (high.has(ods)) return n(high.get(ods)!);
    const k = rest.indexOf(ods);
    if (k < 3) return n(1, 4, { flags: ['suppressed'], quote: '<5' });
    if (k < 28) return n(k % 11);
    if (k === 28) return n(5, 15, { quote: 'between 5 and 15' });
    if (k < 37) return n(12 + k);
    if (k === 37)
      return n(40, 40, {
        age_band_label: '0-4 years',
        age_months_low: 0,
        age_months_high: 59,
        age_band_exact: false,
        flags: ['band_mismatch'],
      });
    if (k === 38)
      return n(25, 25, {
        age_band_label: 'under 1',
        age_months_low: 0,
        age_months_high: 11,
        age_band_exact: false,
        flags: ['band_mismatch'],
        band_accepted: true,
      });
    return n(6, 6, { period_type: 'part_year', period_end: '2022-12-31', flags: ['partial_period'] });
  };
  return asked.map((ods, i) => ({
    ods,
    accepts: !no.includes(ods),
    value: no.includes(ods) ? (ods === no[0] ? n(3) : null) : valueOf(ods),
    late: i % 5 === 0,
    partial: i % 10 === 3,
  }));
}

/** The accepting trust whose 2022/23 figure comes from months that disagree with its stated total. */
export const MONTHS_TRUST = (): string => plans().filter((p) => p.accepts)[8]!.ods;

/** `reversed`: trusts and each reply's values inserted in the opposite order (other database ids, same content). */
export async function loadFoiFixtures(
  db: Kysely<Database>,
  now: Date,
  opts: { reversed?: boolean } = {},
): Promise<Plan[]> {
  const trusts = loadTrusts();
  const calendar = loadCalendar();
  await seedTrusts(db, trusts, now);
  const due = dueDate(SENT, calendar);
  const all = plans();
  const monthsTrust = MONTHS_TRUST();
  const toDateTrust = all.filter((p) => p.accepts)[0]!.ods;
  for (const p of opts.reversed ? [...all].reverse() : all) {
    const req = await db
      .insertInto('foi_request')
      .values({
        wave: 2024,
        trust_ods: p.ods,
        sent_date: SENT,
        received_date: SENT,
        due_date: due.due,
        due_explanation: JSON.stringify(due),
        calendar_version: calendar.version,
        trust_list_sha256: trusts.version,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bytes = `reply of ${p.ods}`;
    const sha = sha256Hex(bytes);
    const replyDate = p.late ? '2024-05-02' : '2024-04-05';
    await db
      .insertInto('raw_file')
      .values({
        sha256: sha,
        size_bytes: bytes.length,
        media_type: 'text/plain',
        first_name: `${p.ods}.txt`,
        first_received_at: now,
      })
      .execute();
    await db
      .insertInto('file_receipt')
      .values({
        sha256: sha,
        wave: 2024,
        original_name: `${p.ods}.txt`,
        source_kind: 'foi_text',
        received_at: now,
        run_id: null,
        parent_sha256: null,
      })
      .execute();
    const resp = await db
      .insertInto('foi_response')
      .values({
        sha256: sha,
        wave: 2024,
        source_kind: 'foi_text',
        request_id: String(req.id),
        trust_ods: p.ods,
        matched_ods: p.ods,
        match_method: 'ods',
        reply_date: replyDate,
        needs_manual_coding: false,
        state: 'matched',
        rule_version: 'fixture',
        processed_at: now,
        parent_sha256: null,
        trust_hint: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rid = String(resp.id);
    const base = { response_id: rid, method: 'automatic' as const };
    const rows: Record<string, unknown>[] = [
      {
        ...base,
        question_id: 'q1_accepts_under2',
        yes_no: p.accepts,
        quote: p.accepts ? 'Yes, we accept referrals' : 'No',
      },
      p.value
        ? { ...base, question_id: 'q2_referrals_under2', basis: 'received', ...p.value }
        : { ...base, question_id: 'q2_referrals_under2', missing_reason: 'not_held', quote: 'Not held' },
      p.partial
        ? { ...base, question_id: 'q3_accepted_under2', missing_reason: 'not_held', quote: 'Not recorded' }
        : {
            ...base,
            question_id: 'q3_accepted_under2',
            basis: 'accepted',
            ...HEADLINE,
            ...EXACT,
            low: 0,
            high: 0,
            quote: '0',
          },
      {
        ...base,
        question_id: 'q4_parent_infant_service',
        yes_no: PI_SERVICE.has(p.ods),
        quote: PI_SERVICE.has(p.ods) ? 'Yes' : 'No',
      },
      { ...base, question_id: 'q5_receiving_service', text_value: 'CAMHS', quote: 'CAMHS' },
    ];
    if (p.ods === monthsTrust) {
      // Months summed to the year (3) beside a stated total (7) that disagrees: the report uses the months.
      const months = [1, 0, 2].map((m, j) => ({
        location: { page: 1, line: j + 1 },
        quote: String(m),
        interval: { low: m, high: m },
        period: { start: `2022-0${4 + j}-01`, end: `2022-0${4 + j}-28`, label: `month ${j + 1}`, type: 'month' },
      }));
      rows[1] = { ...rows[1], low: 3, high: 3, quote: 'monthly table', derived_from: JSON.stringify(months) };
      rows.push({
        ...base,
        question_id: 'q2_referrals_under2',
        basis: 'received',
        ...HEADLINE,
        ...EXACT,
        low: 7,
        high: 7,
        quote: 'Total: 7',
      });
    }
    if (p.ods === toDateTrust) {
      rows.push({
        ...base,
        question_id: 'q2_referrals_under2',
        basis: 'received',
        ...EXACT,
        period_id: 'fy2023_24',
        period_start: '2023-04-01',
        period_end: '2024-02-29',
        period_label: '2023/24 to date',
        period_type: 'part_year',
        flags: ['partial_period'],
        low: 9,
        high: 9,
        quote: '9 so far',
      });
    }
    await db
      .insertInto('foi_value')
      .values((opts.reversed ? [...rows].reverse() : rows) as never)
      .execute();
    await db
      .insertInto('foi_status_event')
      .values({
        request_id: String(req.id),
        event_date: replyDate,
        kind: 'reply',
        source: 'response',
        response_id: rid,
        detail: '{}',
        recorded_at: now,
      })
      .execute();
  }
  return all;
}
