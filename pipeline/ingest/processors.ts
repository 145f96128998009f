import { join } from 'node:path';
import { isFoiWave } from '../foi/wave.ts';
import { CensusError } from '../../schemas/fault.ts';
import { hasQuestionnaireWave, questionListFor } from '../runtime/waves.ts';
import type { Limits } from '../runtime/workspace.ts';
import type { WaveProcessor } from './processor.ts';
import { questionnaireProcessor } from './questionnaire/processor.ts';

/** How a wave's files are processed: a questionnaire wave by its question list, an FOI wave by its request. */
export async function processorFor(
  wave: number,
  wavesDir: string | null,
  limits?: Limits,
  questionnaire: Parameters<typeof questionnaireProcessor>[1] = {},
  foi: { received?: string } = {},
): Promise<WaveProcessor> {
  if (hasQuestionnaireWave(wave, wavesDir))
    return questionnaireProcessor(questionListFor(wave, wavesDir), questionnaire);
  if (isFoiWave(wave, wavesDir)) {
    const [{ foiProcessorFor }, { guardedFoiReaders, warmFoiExtract }] = await Promise.all([
      import('./foi/processor.ts'),
      import('./foi/extract.ts'),
    ]);
    // Replies get the questionnaire's protections: preflight limits and a parse worker with a real timeout.
    return limits
      ? {
          ...foiProcessorFor(wave, { readers: guardedFoiReaders(limits), limits, wavesDir, ...foi }),
          warm: warmFoiExtract,
        }
      : foiProcessorFor(wave, { wavesDir, ...foi });
  }
  throw new CensusError(
    'usage',
    `Wave ${wave} has neither a questionnaire question list nor an FOI request list.`,
    `Known questionnaire waves are in schemas/waves/, FOI waves in schemas/foi/ or <workspace>/waves/foi/; add ${wavesDir ? join(wavesDir, `${wave}.json`) : 'a question list'} for a new questionnaire wave.`,
  );
}
