import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadQuestionList } from '../schemas/waves/index.ts';
import { foiWaves } from '../schemas/foi/index.ts';
import type { QuestionList } from '../schemas/question-list.ts';
import { CensusError } from './errors.ts';
import type { WaveProcessor } from './processor.ts';
import type { Limits } from './workspace.ts';
import { questionnaireProcessor } from './questionnaire-processor.ts';

const SHIPPED = join(import.meta.dirname ?? '.', '..', 'schemas', 'waves');

export function hasQuestionnaireWave(wave: number, wavesDir: string | null): boolean {
  return existsSync(join(SHIPPED, `${wave}.json`)) || (wavesDir !== null && existsSync(join(wavesDir, `${wave}.json`)));
}

/** The question list of a wave: the workspace's waves/ folder first, then the lists shipped in schemas/waves. */
export function questionListFor(wave: number, wavesDir: string | null): QuestionList {
  if (!hasQuestionnaireWave(wave, wavesDir)) {
    throw new CensusError('usage', `There is no questionnaire question list for wave ${wave}.`,
      `Use a wave that has one (schemas/waves/*.json), or add ${wavesDir ? join(wavesDir, `${wave}.json`) : `<workspace>/waves/${wave}.json`} for a new wave.`);
  }
  try {
    return loadQuestionList(wave, wavesDir ? [wavesDir] : []);
  } catch (err) {
    throw new CensusError('usage', `The question list for wave ${wave} is not valid: ${(err as Error).message}`, 'Fix the question list file named above.', { cause: err });
  }
}

/** How a wave's files are processed: a questionnaire wave by its question list, an FOI wave by its request. */
export async function processorFor(wave: number, wavesDir: string | null, limits?: Limits): Promise<WaveProcessor> {
  if (hasQuestionnaireWave(wave, wavesDir)) return questionnaireProcessor(questionListFor(wave, wavesDir));
  if (foiWaves().includes(wave)) {
    const [{ foiProcessorFor }, { guardedFoiReaders, warmFoiExtract }] = await Promise.all([import('./foi/processor.ts'), import('./foi-extract.ts')]);
    // Replies get the questionnaire's protections: preflight limits and a parse worker with a real timeout.
    return limits ? { ...foiProcessorFor(wave, { readers: guardedFoiReaders(limits), limits }), warm: warmFoiExtract } : foiProcessorFor(wave);
  }
  throw new CensusError('usage', `Wave ${wave} has neither a questionnaire question list nor an FOI request list.`,
    `Known questionnaire waves are in schemas/waves/, FOI waves in schemas/foi/; add ${wavesDir ? join(wavesDir, `${wave}.json`) : 'a question list'} for a new questionnaire wave.`);
}
