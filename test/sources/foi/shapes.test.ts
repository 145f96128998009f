import { beforeAll, describe, expect, it } from 'vitest';
import type { CodedValue, FoiReadResult } from '../../../schemas/foi.ts';
import { FOI_READERS } from '../../../pipeline/ingest/foi/readers.ts';
import { gateValues } from '../../../sources/foi/gate.ts';
import { WAVE_2024 } from '../../support/foi.ts';
import { foiShapeReplies, type Expected, type ShapeReply } from '../../support/foi-shapes.ts';

/**
 * Replies in every shape of spec/foi.md "What real replies do", made by test/support/foi-shapes.ts
 * with the values they must read as. Each count slot is read right (feeds a figure with the right
 * interval), sent to a person (a suggestion, or not read), or wrong (feeds a figure with another
 * interval). Wrong must be 0 in every shape; read-right must reach each shape's floor.
 */

const KIND: Record<string, keyof typeof FOI_READERS> = {
  pdf: 'foi_pdf',
  xlsx: 'foi_spreadsheet',
  csv: 'foi_csv',
  eml: 'foi_mail',
  txt: 'foi_text',
};

async function read(name: string, bytes: Buffer): Promise<CodedValue[]> {
  const kind = KIND[name.split('.').pop()!.toLowerCase()]!;
  const r: FoiReadResult = await FOI_READERS[kind](bytes, {
    fileHash: 'f'.repeat(64),
    originalName: name,
    wave: WAVE_2024,
    sentDate: WAVE_2024.sentDate,
  });
  const values = gateValues(r.values);
  for (const a of r.attachments ?? []) values.push(...(await read(a.name, a.bytes)));
  return values;
}

interface Tally {
  /** Slots a reader can read (the others are for a person by design: a blank month, an estimate). */
  readable: number;
  right: number;
  person: number;
  wrong: string[];
}

/** What feeds a figure for a slot: automatic, strong, the asked band, not a month (a sum of months wins). */
function feeding(values: readonly CodedValue[]): Map<string, CodedValue[]> {
  const out = new Map<string, CodedValue[]>();
  for (const v of values) {
    if (v.suggestion !== undefined || v.askedPeriodId === undefined || v.period?.type === 'month') continue;
    if (!v.ageBand.exact || v.interval === null) continue;
    const k = `${v.questionId}|${v.askedPeriodId}`;
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  for (const [k, vs] of out)
    if (vs.some((v) => v.rule === 'month_sum'))
      out.set(
        k,
        vs.filter((v) => v.rule === 'month_sum'),
      );
  return out;
}

export function judge(expected: Expected, values: readonly CodedValue[], name: string, t: Tally): void {
  const fed = feeding(values);
  for (const [slot, want] of Object.entries(expected)) {
    const got = fed.get(slot) ?? [];
    if (want !== 'person') t.readable += 1;
    if (got.length === 0) t.person += 1;
    else if (want !== 'person' && got.every((v) => v.interval!.low === want[0] && v.interval!.high === want[1]))
      t.right += 1;
    else
      t.wrong.push(
        `${name} ${slot}: want ${JSON.stringify(want)}, got ${got.map((v) => `[${v.interval!.low}, ${v.interval!.high}] "${v.quote}"`).join(', ')}`,
      );
  }
  for (const [slot, vs] of fed)
    if (!(slot in expected) && slot.startsWith('q'))
      t.wrong.push(`${name} ${slot}: not asked of this reply, got ${vs.map((v) => v.quote).join(', ')}`);
}

/** The least share read right per shape (the rest may go to a person, never be wrong). */
const FLOOR: Record<string, number> = { default: 0.9 };

describe('FOI replies in every shape the spec lists', () => {
  let replies: ShapeReply[];
  const tallies = new Map<string, Tally>();
  beforeAll(async () => {
    replies = await foiShapeReplies(4);
    for (const r of replies) {
      const t = tallies.get(r.shape) ?? { readable: 0, right: 0, person: 0, wrong: [] };
      judge(r.expected, await read(r.name, r.bytes), `${r.shape}/${r.name}`, t);
      tallies.set(r.shape, t);
    }
    const rows = [...tallies].map(
      ([s, t]) =>
        `${s.padEnd(40)} right ${t.right} of ${t.readable} readable  person ${t.person}  wrong ${t.wrong.length}`,
    );
    console.log(`read-right / sent-to-a-person / wrong per shape:\n${rows.join('\n')}`);
  }, 120_000);

  it('makes every shape the spec lists', () => {
    expect([...tallies.keys()].sort()).toEqual(
      expect.arrayContaining([
        'pdf_letter_restated',
        'pdf_table_by_financial_year',
        'pdf_table_by_month',
        'xlsx_one_row_per_period',
        'txt_cp1252',
        'eml_inline_answers',
        'footnote_markers',
        'refusal_s40_2_whole',
        'pdf_table_flattened_blank_cells',
        'star_inside_prose',
        'of_which_one_paragraph',
      ]),
    );
  });

  it('reads no value wrong in any shape', () => {
    expect([...tallies.values()].flatMap((t) => t.wrong)).toEqual([]);
  });

  it('reads each shape right above its floor, sending the rest to a person', () => {
    const low = [...tallies]
      .filter(([s, t]) => t.right / t.readable < (FLOOR[s] ?? FLOOR.default!))
      .map(([s, t]) => `${s}: ${t.right} of ${t.readable}`);
    expect(low).toEqual([]);
  });

  it('counts a value that feeds a figure with another interval as wrong, and an unread one as for a person', () => {
    const t: Tally = { readable: 0, right: 0, person: 0, wrong: [] };
    const v = (low: number, high: number | null, extra: Partial<CodedValue> = {}): CodedValue => ({
      questionId: 'q2_referrals_under2',
      askedPeriodId: 'fy2021_22',
      period: { start: '2021-04-01', end: '2022-03-31', label: '2021/22', type: 'financial_year' },
      interval: { low, high },
      flags: [],
      ageBand: WAVE_2024.askedAgeBand,
      basis: 'received',
      exemptions: [],
      location: {},
      quote: 'x',
      method: 'automatic',
      ...extra,
    });
    judge({ 'q2_referrals_under2|fy2021_22': [3, 3] }, [v(4, 4)], 'a', t);
    judge({ 'q2_referrals_under2|fy2021_22': [3, 3] }, [v(4, 4, { suggestion: 'weak' })], 'b', t);
    judge({ 'q2_referrals_under2|fy2021_22': [3, 3] }, [v(3, 3)], 'c', t);
    expect(t).toMatchObject({ right: 1, person: 1 });
    expect(t.wrong).toHaveLength(1);
  });
});
