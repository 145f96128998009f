import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFoiWave } from '../../schemas/foi/index.ts';
import type { CodedValue, FoiReadResult, TextAnswer } from '../../schemas/foi.ts';
import type { FoiReaders } from '../../pipeline/ingest/foi/reader-table.ts';

/**
 * Replies whose reading is fixed by the test: a .txt file holding the FoiReadResult as JSON, read by
 * `jsonReaders`. Lets database-side tests pin exactly what a reader found, independently of the readers.
 */

export const WAVE_2024 = loadFoiWave(2024);
const band = WAVE_2024.askedAgeBand;

export function count(
  questionId: 'q2_referrals_under2' | 'q3_accepted_under2',
  periodId: string,
  n: number | null,
  extra: Partial<CodedValue> = {},
): CodedValue {
  const p = WAVE_2024.periods.find((x) => x.id === periodId)!;
  return {
    questionId,
    period: { start: p.start, end: p.end, label: p.label, type: p.type },
    askedPeriodId: p.id,
    interval: n === null ? null : { low: n, high: n },
    flags: [],
    ageBand: band,
    basis: questionId === 'q2_referrals_under2' ? 'received' : 'accepted',
    exemptions: [],
    location: { page: 1, line: 10 },
    quote: `${periodId}: ${n ?? 'not held'}`,
    method: 'automatic',
    ...(n === null ? { missingReason: 'not_held' as const } : {}),
    ...extra,
  };
}

export function text(questionId: string, yesNo: boolean | null, t: string): TextAnswer {
  return { questionId, yesNo, text: t, location: { page: 1, line: 3 }, quote: t };
}

/** Every question answered: q1, q4, q5 as text, q2 and q3 for each asked period. */
export function fullReply(n = 3): Pick<FoiReadResult, 'values' | 'textAnswers'> {
  return {
    values: WAVE_2024.periods.flatMap((p, i) => [
      count('q2_referrals_under2', p.id, n + i),
      count('q3_accepted_under2', p.id, n + i - 1),
    ]),
    textAnswers: [
      text('q1_accepts_under2', true, 'Yes'),
      text('q4_parent_infant_service', false, 'No'),
      text('q5_receiving_service', null, 'CAMHS'),
    ],
  };
}

export function reply(r: Partial<FoiReadResult>): FoiReadResult {
  return {
    values: [],
    issues: [],
    basis: { referralType: 'received', ageBand: band, periodType: 'financial_year', servicesIncluded: [] },
    needsManualCoding: false,
    textAnswers: [],
    trustHint: {},
    ...r,
  };
}

export const jsonReaders: FoiReaders = {
  foi_text: async (bytes, ctx) => {
    const r = JSON.parse(bytes.toString('utf8')) as FoiReadResult;
    const at = <T extends { location: object }>(x: T): T => ({
      ...x,
      location: { ...x.location, fileHash: ctx.fileHash },
    });
    return { ...r, values: r.values.map(at), textAnswers: r.textAnswers.map(at) };
  },
};

/** Writes the replies into a fresh folder as <name>.txt; returns the folder. */
export function writeReplies(replies: Record<string, FoiReadResult>): string {
  const dir = mkdtempSync(join(tmpdir(), 'foi-replies-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, r] of Object.entries(replies)) writeFileSync(join(dir, `${name}.txt`), JSON.stringify(r));
  return dir;
}
