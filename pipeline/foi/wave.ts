import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * FOI waves live where questionnaire waves do: a workspace adds one as `<workspace>/waves/foi/<wave>.json`
 * (same schema as the shipped schemas/foi/<wave>.json, which a workspace file of the same wave overrides),
 * so a new FOI year needs no change to the product. `wavesDir` is the workspace's waves/ folder.
 */
function foiWavesDir(wavesDir: string | null | undefined): string | null {
  if (!wavesDir) return null;
  const dir = join(wavesDir, 'foi');
  return existsSync(dir) ? dir : null;
}

/** Every FOI wave: shipped, and the workspace's own. */
function knownFoiWaves(wavesDir?: string | null): number[] {
  const own = foiWavesDir(wavesDir);
  return [...new Set([...foiWaves(), ...(own ? foiWaves(own) : [])])].sort((a, b) => a - b);
}

export function isFoiWave(wave: number, wavesDir?: string | null): boolean {
  return knownFoiWaves(wavesDir).includes(wave);
}

export function foiWave(wave: number, wavesDir?: string | null): FoiQuestionList {
  const own = foiWavesDir(wavesDir);
  const inWorkspace = own !== null && foiWaves(own).includes(wave);
  if (!inWorkspace && !foiWaves().includes(wave)) {
    const where = wavesDir ? join(wavesDir, 'foi', `${wave}.json`) : `<workspace>/waves/foi/${wave}.json`;
    throw new CensusError(
      'usage',
      `Wave ${wave} has no FOI request list (known FOI waves: ${knownFoiWaves(wavesDir).join(', ') || 'none'}).`,
      `Use one of those waves, or write ${where} with the questions and periods asked (schemas/foi/2024.json shows the shape).`,
    );
  }
  try {
    return inWorkspace ? loadFoiWave(wave, own) : loadFoiWave(wave);
  } catch (err) {
    throw new CensusError('usage', (err as Error).message, 'Fix the FOI wave file named above.', { cause: err });
  }
}

let cached: { trusts: TrustList; calendar: BankHolidayCalendar } | null = null;

export function foiReference(wave: number, wavesDir?: string | null): FoiReference {
  // Read once per process: the files are bundled with the code and do not change under a running command.
  cached ??= { trusts: loadTrusts(), calendar: loadCalendar() };
  return { list: foiWave(wave, wavesDir), ...cached };
}
