import { foiWaves, loadFoiWave } from '../../schemas/foi/index.ts';
import type { FoiQuestionList } from '../../schemas/foi.ts';
import { CensusError } from '../../schemas/fault.ts';
import { loadCalendar, type BankHolidayCalendar } from './calendar.ts';
import { loadTrusts, type TrustList } from '../../sources/foi/trusts.ts';

/** The bundled reference data an FOI command works with: the wave's request, the trust list, the holiday calendar. */
export interface FoiReference {
  list: FoiQuestionList;
  trusts: TrustList;
  calendar: BankHolidayCalendar;
}

export function foiWave(wave: number): FoiQuestionList {
  if (!foiWaves().includes(wave)) {
    throw new CensusError(
      'usage',
      `Wave ${wave} has no FOI request list (known FOI waves: ${foiWaves().join(', ') || 'none'}).`,
      `Use one of those waves, or add schemas/foi/${wave}.json with the questions and periods asked.`,
    );
  }
  return loadFoiWave(wave);
}

let cached: { trusts: TrustList; calendar: BankHolidayCalendar } | null = null;

export function foiReference(wave: number): FoiReference {
  // Read once per process: the files are bundled with the code and do not change under a running command.
  cached ??= { trusts: loadTrusts(), calendar: loadCalendar() };
  return { list: foiWave(wave), ...cached };
}
