import type { Issue } from '../../schemas/issue.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import type { ExtractedReturn, StoredFile } from '../../schemas/stage.ts';
import type { QuestionnaireKind } from '../index.ts';
import type { LabelMapping } from './label-target.ts';
import { readTemplateReturn, TEMPLATE_RULES } from './template-reader.ts';
import { readSurveyExport, SURVEY_EXPORT_RULES } from './survey-export.ts';
import { readHandWorkbook, HAND_WORKBOOK_RULES } from './hand-workbook.ts';

export interface QuestionnaireReader {
  kind: QuestionnaireKind;
  /** Bumped when the reading rules change, so exactly the files of this kind are reprocessed. */
  ruleVersion: string;
  /** `mapping`: the wave's labels mapped by a person (`census questions map`), applied before any matching. */
  read(
    bytes: Buffer,
    file: StoredFile,
    list: QuestionList,
    mapping?: readonly LabelMapping[],
  ): Promise<{ returns: ExtractedReturn[]; issues: Issue[] }>;
}

const templateReader: QuestionnaireReader = {
  kind: 'team_workbook',
  ruleVersion: TEMPLATE_RULES,
  async read(bytes, file, list, mapping) {
    const { ret, issues } = await readTemplateReturn(bytes, file.hash, list, mapping);
    return { returns: ret ? [ret] : [], issues };
  },
};

const surveyExportReader: QuestionnaireReader = {
  kind: 'survey_export',
  ruleVersion: SURVEY_EXPORT_RULES,
  read: (bytes, file, list, mapping) => readSurveyExport(bytes, file.hash, list, mapping),
};

const handWorkbookReader: QuestionnaireReader = {
  kind: 'hand_workbook',
  ruleVersion: HAND_WORKBOOK_RULES,
  async read(bytes, file, list, mapping) {
    const { ret, issues } = await readHandWorkbook(bytes, file.hash, list, mapping);
    return { returns: ret ? [ret] : [], issues };
  },
};

const readers = new Map<QuestionnaireKind, QuestionnaireReader>([
  ['team_workbook', templateReader],
  ['survey_export', surveyExportReader],
  ['hand_workbook', handWorkbookReader],
]);

function registerQuestionnaireReader(r: QuestionnaireReader): void {
  readers.set(r.kind, r);
}

export function questionnaireReader(kind: QuestionnaireKind): QuestionnaireReader | undefined {
  return readers.get(kind);
}
