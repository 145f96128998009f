import type { Issue } from '../../schemas/issue.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { ExtractedReturn, StoredFile } from '../../pipeline/types.ts';
import type { QuestionnaireKind } from '../index.ts';
import { readTemplateReturn, TEMPLATE_RULES } from './template-reader.ts';

export interface QuestionnaireReader {
  kind: QuestionnaireKind;
  /** Bumped when the reading rules change, so exactly the files of this kind are reprocessed. */
  ruleVersion: string;
  read(bytes: Buffer, file: StoredFile, list: QuestionList): Promise<{ returns: ExtractedReturn[]; issues: Issue[] }>;
}

const templateReader: QuestionnaireReader = {
  kind: 'team_workbook',
  ruleVersion: TEMPLATE_RULES,
  async read(bytes, file, list) {
    const { ret, issues } = await readTemplateReturn(bytes, file.hash, list);
    return { returns: ret ? [ret] : [], issues };
  },
};

const readers = new Map<QuestionnaireKind, QuestionnaireReader>([['team_workbook', templateReader]]);

export function registerQuestionnaireReader(r: QuestionnaireReader): void {
  readers.set(r.kind, r);
}

export function questionnaireReader(kind: QuestionnaireKind): QuestionnaireReader | undefined {
  return readers.get(kind);
}
