import { createHash } from 'node:crypto';
import type { QuestionList } from '../schemas/question-list.ts';
import type { WaveProcessor } from './processor.ts';
import { extract } from './extract.ts';
import { validate } from './validate.ts';
import { normalise } from './normalise.ts';
import { load } from './load.ts';
import { questionnaireReader } from '../sources/questionnaire/index.ts';
import type { QuestionnaireKind } from '../sources/index.ts';

/** Bumped when validate/normalise rules change: every questionnaire file is then reprocessed. */
const VALIDATE_RULES = 'validate/1';

export function questionnaireProcessor(list: QuestionList): WaveProcessor {
  const listHash = createHash('sha256').update(JSON.stringify(list)).digest('hex').slice(0, 12);
  return {
    domain: 'questionnaire',
    kinds: { questionnaire: list, foi: false },
    ruleVersion: (file) => `${questionnaireReader(file.sourceKind as QuestionnaireKind)?.ruleVersion ?? 'none'}|list:${listHash}|${VALIDATE_RULES}`,
    async process(file, input, ctx) {
      const nf = normalise(validate(await extract(file, list, ctx), list), list);
      const res = await load(nf, input, ctx);
      return { status: res.returnsLoaded > 0 ? 'loaded' : 'rejected', returnsLoaded: res.returnsLoaded, returnsRejected: res.returnsRejected, issues: res.issues };
    },
  };
}
