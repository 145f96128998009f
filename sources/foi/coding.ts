/**
 * The coding rules of spec/foi.md as pure functions, one module each; this is the one place to import
 * them from. Every rule takes any string and answers a value or an issue, never a throw.
 */
export { codeCount } from './count.ts';
export { parsePeriod, matchAskedPeriod } from './period.ts';
export { parseAgeBand, combineBands } from './age-band.ts';
export { sumMonths, checkTotal, type MonthCount } from './totals.ts';
export { aggregateRecords, type RecordRow } from './records.ts';
