/**
 * Counting intervals into bands without guessing (report.md section 6): an interval wholly inside one
 * band is counted there, any other in "spans bands". Used for the FOI referral distribution.
 */
import type { Bounds } from './intervals.ts';

export interface BandDef {
  readonly label: string;
  readonly low: number;
  /** null: open above. */
  readonly high: number | null;
}

export const SPANS = 'spans' as const;

/** Index of the band that holds every value of `b`, or "spans". */
export function bandOf(b: Bounds, bands: readonly BandDef[]): number | typeof SPANS {
  const i = bands.findIndex(
    (band) => b.low >= band.low && (band.high === null || (b.high !== null && b.high <= band.high)),
  );
  return i < 0 ? SPANS : i;
}

export interface Distribution {
  /** Per band, the ids of the items counted in it. */
  readonly members: readonly (readonly string[])[];
  readonly spans: readonly string[];
}

export function distribute(
  items: readonly { readonly id: string; readonly value: Bounds }[],
  bands: readonly BandDef[],
): Distribution {
  const members: string[][] = bands.map(() => []);
  const spans: string[] = [];
  for (const item of items) {
    const at = bandOf(item.value, bands);
    if (at === SPANS) spans.push(item.id);
    else members[at]!.push(item.id);
  }
  return { members, spans };
}

/** "Receives at most n": only when the whole interval is at most n (an open high never is). */
export function atMost(b: Bounds, n: number): boolean {
  return b.high !== null && b.high <= n;
}
