import type { ParsedAnswer } from '../answer.ts';
import type { Band } from '../question-list.ts';
import { answerIssue, ok, unreadable, type ParseContext } from './common.ts';
import { readCount, type IntervalValue } from './count.ts';
import { normaliseText } from './normalise-text.ts';

/** Band labels are mostly numbers, so the key keeps "+", "<" and ">" and only tidies dashes and spaces. */
function bandKey(s: string): string {
  return normaliseText(s)
    .replace(/\s*-\s*/g, '-')
    .replace(/\s*\+/g, '+')
    .replace(/\s+to\s+/g, '-');
}

function bandInterval(b: Band): IntervalValue {
  return {
    kind: 'interval',
    low: b.low,
    high: b.high,
    approximate: false,
    openHigh: b.high === null,
    bandCode: b.code,
  };
}

/** The one band that holds the whole interval, if any. */
function containingBand(bands: readonly Band[], low: number, high: number | null): Band | undefined {
  return bands.find((b) => b.low <= low && (b.high === null || (high !== null && high <= b.high)));
}

function listed(bands: readonly Band[]): string {
  return bands.map((b) => `"${b.label}"`).join(', ');
}

export function parseBand(ctx: ParseContext): ParsedAnswer {
  const bands = ctx.question.bands ?? [];
  if (typeof ctx.raw === 'string') {
    const key = bandKey(ctx.raw);
    const hit = bands.find((b) => [b.label, b.code, ...b.synonyms].some((s) => bandKey(s) === key));
    if (hit) return ok(bandInterval(hit));
  }
  // Not a listed label: a number or count spelling typed instead ("60", "about 60", "50-99").
  const r = readCount(ctx.raw);
  if (!r.ok) {
    return unreadable(ctx, 'band_unknown', `one of the listed bands (${listed(bands)}) or a number`);
  }
  const { low, high, approximate } = r.interval;
  const same = bands.find((b) => b.low === low && b.high === high);
  if (same && !approximate) return ok(bandInterval(same));
  const band = containingBand(bands, low, high);
  const value: IntervalValue = band ? { ...r.interval, bandCode: band.code } : r.interval;
  const shown = high === low ? `${low}` : `${low} to ${high ?? 'open'}`;
  if (!band) {
    const msg = `found ${shown}, which spans more than one of the listed bands (${listed(bands)}); kept as the range ${shown}, counted in no single band. Pick one band if the team can.`;
    return ok(value, [answerIssue(ctx, 'band_spans_bands', 'warning', msg)]);
  }
  // More precise than asked: kept exactly, never widened to the band, noted for the record.
  const code = low === high ? 'band_typed_as_number' : 'band_typed_as_range';
  const msg = `found ${shown} where a band was asked for; kept as typed, within the band "${band.label}". Nothing to do unless the number is wrong.`;
  return ok(value, [answerIssue(ctx, code, 'info', msg)]);
}
