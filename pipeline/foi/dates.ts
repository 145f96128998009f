import type { Clock } from '../runtime/ctx.ts';
import { toDayNumber } from './calendar.ts';
import { CensusError } from '../../schemas/fault.ts';

/** FOI deadlines run on UK days: "today" is the date in London, whatever the host's time zone. */
const LONDON = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function londonDate(d: Date): string {
  return LONDON.format(d);
}

export function today(clock: Clock): string {
  return londonDate(clock.now());
}

/** A date typed on the command line: ISO only, so 03/04 can never be read the American way. */
export function parseIsoOption(value: string, flag: string): string {
  try {
    toDayNumber(value);
  } catch {
    throw new CensusError(
      'usage',
      `${flag} must be a date in YYYY-MM-DD form, not "${value}".`,
      `Pass e.g. ${flag} 2024-03-11.`,
    );
  }
  return value;
}
