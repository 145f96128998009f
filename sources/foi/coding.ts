/**
 * The coding rules of spec/foi.md as pure functions, one module each; this is the one place to import
 * them from. Every rule takes any string and answers a value or an issue, never a throw.
 */
export { codeCount, type CountCode, type CountOptions } from './count.ts';
export { parsePeriod, findPeriods, matchAskedPeriod, monthsOf, periodFromDates, type PeriodCode, type PeriodContext } from './period.ts';
export { parseAgeBand, findAgeBand, combineBands, type AgeCode } from './age-band.ts';
export { sumMonths, checkTotal, sumIntervals, type MonthCount, type MonthSum, type LocatedCount } from './totals.ts';
export { aggregateRecords, detectRecordHeader, parseDateCell, parseAgeCell, type RecordRow, type RecordAggregate, type PeriodTally, type ExclusionReason } from './records.ts';
export { readNumber } from './numbers.ts';
export type { Coded } from './coded.ts';
