import { z } from 'zod';

/**
 * A count read as a range. `high === null` means open above ("over 100" is [101, null]).
 * Exact numbers are [n, n]; an exact number is never widened.
 */
export const intervalSchema = z.object({
  low: z.number().nonnegative(),
  high: z.number().nonnegative().nullable(),
  approximate: z.boolean().default(false),
  openHigh: z.boolean().default(false),
});
export type Interval = z.infer<typeof intervalSchema>;

export function exact(n: number): Interval {
  return { low: n, high: n, approximate: false, openHigh: false };
}
export function range(low: number, high: number | null, flags: Partial<Pick<Interval, 'approximate'>> = {}): Interval {
  return { low, high, approximate: flags.approximate ?? false, openHigh: high === null };
}
