import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadQuestionList } from '../schemas/waves/index.ts';
import type { QuestionList } from '../schemas/question-list.ts';
import { CensusError } from './errors.ts';

/** The question list of a wave: the workspace's waves/ folder first, then the lists shipped in schemas/waves. */
export function questionListFor(wave: number, wavesDir: string | null): QuestionList {
  const extra = wavesDir ? [wavesDir] : [];
  const shipped = join(import.meta.dirname ?? '.', '..', 'schemas', 'waves', `${wave}.json`);
  const local = wavesDir ? join(wavesDir, `${wave}.json`) : null;
  if (!existsSync(shipped) && !(local && existsSync(local))) {
    throw new CensusError('usage', `There is no questionnaire question list for wave ${wave}.`,
      `Use a wave that has one (schemas/waves/*.json), or add ${local ?? `<workspace>/waves/${wave}.json`} for a new wave.`);
  }
  try {
    return loadQuestionList(wave, extra);
  } catch (err) {
    throw new CensusError('usage', `The question list for wave ${wave} is not valid: ${(err as Error).message}`, 'Fix the question list file named above.', { cause: err });
  }
}
