import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { CensusError } from '../../schemas/fault.ts';

const SHIPPED = join(import.meta.dirname ?? '.', '..', '..', 'schemas', 'waves');

export function hasQuestionnaireWave(wave: number, wavesDir: string | null): boolean {
  return existsSync(join(SHIPPED, `${wave}.json`)) || (wavesDir !== null && existsSync(join(wavesDir, `${wave}.json`)));
}

/** The question list of a wave: the workspace's waves/ folder first, then the lists shipped in schemas/waves. */
export function questionListFor(wave: number, wavesDir: string | null): QuestionList {
  if (!hasQuestionnaireWave(wave, wavesDir)) {
    throw new CensusError(
      'usage',
      `There is no questionnaire question list for wave ${wave}.`,
      `Use a wave that has one (schemas/waves/*.json), or add ${wavesDir ? join(wavesDir, `${wave}.json`) : `<workspace>/waves/${wave}.json`} for a new wave.`,
    );
  }
  try {
    return loadQuestionList(wave, wavesDir ? [wavesDir] : []);
  } catch (err) {
    throw new CensusError(
      'usage',
      `The question list for wave ${wave} is not valid: ${(err as Error).message}`,
      'Fix the question list file named above.',
      { cause: err },
    );
  }
}
