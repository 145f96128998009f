import { CensusError } from '../errors.ts';
import type { WaveProcessor } from '../processor.ts';

/** FOI responses are not loaded into the database yet (issue 5 in progress): say so plainly. */
export function foiProcessorFor(wave: number): WaveProcessor {
  throw new CensusError('usage', `Loading FOI responses for wave ${wave} is not available in this version yet.`, 'Load questionnaire waves (2019, 2023, 2025) for now.');
}
