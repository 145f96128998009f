/**
 * Arithmetic on counts read as ranges (report.md "Ranges"). `high === null` means open above.
 * Structural, so a schemas/interval.ts `Interval` can be passed anywhere a `Bounds` is expected.
 */
export interface Bounds {
  readonly low: number;
  readonly high: number | null;
}

export interface Quartiles {
  readonly q1: Bounds;
  readonly median: Bounds;
  readonly q3: Bounds;
}

export function point(n: number): Bounds {
  return { low: n, high: n };
}

export function isExact(b: Bounds): boolean {
  return b.high !== null && b.low === b.high;
}

function isOpen(b: Bounds): boolean {
  return b.high === null;
}

export function contains(b: Bounds, x: number): boolean {
  return x >= b.low && (b.high === null || x <= b.high);
}

/** Replaces an open high with `cap`; a cap below the low end is a parameter fault, not a data issue. */
export function capHigh(b: Bounds, cap: number): Bounds {
  if (b.high !== null) return b;
  if (!(cap >= b.low)) {
    throw new RangeError(
      `open-band cap ${cap} is below the low end ${b.low} of an open interval; raise the cap in the build parameters`,
    );
  }
  return { low: b.low, high: cap };
}

/**
 * Adds lows and highs. An open high is replaced by `cap` when one is given (families supported),
 * otherwise the sum stays open and prints as "over <sum of lows>". The empty sum is [0, 0].
 * Summation runs in input order so floating-point results are reproducible.
 */
export function sum(items: readonly Bounds[], options: { cap?: number } = {}): Bounds {
  let low = 0;
  let high: number | null = 0;
  for (const raw of items) {
    const b = options.cap === undefined ? raw : capHigh(raw, options.cap);
    low += b.low;
    high = high === null || b.high === null ? null : high + b.high;
  }
  return { low, high };
}

export function scale(b: Bounds, factor: number): Bounds {
  if (!Number.isFinite(factor) || factor < 0) {
    throw new RangeError(`scale factor must be a finite number >= 0, got ${factor}`);
  }
  if (factor === 0) return { low: 0, high: 0 };
  return { low: b.low * factor, high: b.high === null ? null : b.high * factor };
}

/**
 * numerator / denominator as a range: the smallest ratio is low/high(den), the largest high/low(den).
 * A fixed need is the degenerate range [n, n], so reach = [total.low / n, total.high / n].
 * An open denominator gives a low end of 0; a denominator that may be 0 gives an open high.
 */
export function ratio(numerator: Bounds, denominator: Bounds | number): Bounds {
  const den = typeof denominator === 'number' ? point(denominator) : denominator;
  if (den.low < 0 || den.high === 0) {
    throw new RangeError(`ratio denominator must be positive, got [${den.low}, ${den.high ?? 'open'}]`);
  }
  const low = den.high === null ? 0 : numerator.low / den.high;
  const high = numerator.high === null || den.low === 0 ? null : numerator.high / den.low;
  return { low, high };
}

/** A ratio in percent (reach = 100 * families / need). */
export function percentOf(numerator: Bounds, denominator: Bounds | number): Bounds {
  return scale(ratio(numerator, denominator), 100);
}

// Open highs sort above every number, so null is compared as +Infinity.
function ascending(a: number | null, b: number | null): number {
  const x = a ?? Number.POSITIVE_INFINITY;
  const y = b ?? Number.POSITIVE_INFINITY;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Quantile of sorted values by linear interpolation between closest ranks (R type 7, numpy's default,
 * Excel QUARTILE.INC), chosen so readers can reproduce it in a spreadsheet. At p = 0.5 this is the
 * usual median (mean of the two middle values for an even count). Interpolating towards an open
 * value gives an open result.
 */
function quantileSorted(sorted: readonly (number | null)[], p: number): number | null {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const frac = h - i;
  const a = sorted[i] ?? null;
  if (frac === 0) return a;
  const b = sorted[i + 1] ?? null;
  if (a === null || b === null) return null;
  return frac === 0.5 ? (a + b) / 2 : a + frac * (b - a);
}

/** Lows and highs are ranked separately (report.md "Medians of intervals"); undefined when empty. */
export function quantile(items: readonly Bounds[], p: number): Bounds | undefined {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be within [0, 1], got ${p}`);
  if (items.length === 0) return undefined;
  const lows = items.map((b) => b.low).sort(ascending);
  const highs = items.map((b) => b.high).sort(ascending);
  const low = quantileSorted(lows, p);
  if (low === null) throw new RangeError('an interval low end must be a number');
  return { low, high: quantileSorted(highs, p) };
}

export function median(items: readonly Bounds[]): Bounds | undefined {
  return quantile(items, 0.5);
}

export function quartiles(items: readonly Bounds[]): Quartiles | undefined {
  const q1 = quantile(items, 0.25);
  const med = quantile(items, 0.5);
  const q3 = quantile(items, 0.75);
  return q1 && med && q3 ? { q1, median: med, q3 } : undefined;
}

/** The smallest value lies between the smallest low and the smallest high. */
export function min(items: readonly Bounds[]): Bounds | undefined {
  if (items.length === 0) return undefined;
  const highs = items.map((b) => b.high).sort(ascending);
  return { low: Math.min(...items.map((b) => b.low)), high: highs[0] ?? null };
}

/** The largest value lies between the largest low and the largest high (open if any is open). */
export function max(items: readonly Bounds[]): Bounds | undefined {
  if (items.length === 0) return undefined;
  const highs = items.map((b) => b.high).sort(ascending);
  return { low: Math.max(...items.map((b) => b.low)), high: highs[highs.length - 1] ?? null };
}
