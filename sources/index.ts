import { DOCX, ODT, XLSX, type MediaType } from '../schemas/media-type.ts';
import type { QuestionList } from '../schemas/question-list.ts';

/**
 * Which reader a received file goes to. The wave's question list says how its returns arrive
 * (questionnaire.md "Waves"); the bytes say what the file is. Unsupported kinds are still received
 * and stored, and get an issue that says what to send instead.
 */
export type QuestionnaireKind = 'team_workbook' | 'survey_export' | 'hand_workbook';
export type FoiKind = 'foi_pdf' | 'foi_spreadsheet' | 'foi_csv' | 'foi_mail' | 'foi_text' | 'foi_document';
export type SourceKind = QuestionnaireKind | FoiKind | 'unsupported';

export interface WaveKinds {
  questionnaire: QuestionList | null;
  foi: boolean;
}

function questionnaireKind(list: QuestionList, mediaType: MediaType): SourceKind {
  const spreadsheet = mediaType === XLSX || mediaType === 'application/vnd.ms-excel.sheet.macroEnabled.12';
  if (mediaType === 'text/csv' || (mediaType === 'text/plain' && list.shape === 'survey_export'))
    return 'survey_export';
  if (!spreadsheet) return 'unsupported';
  if (list.shape === 'survey_export') return 'survey_export';
  if (list.shape === 'hand_workbook') return 'hand_workbook';
  return 'team_workbook';
}

export function foiKind(mediaType: MediaType): SourceKind {
  switch (mediaType) {
    case 'application/pdf':
      return 'foi_pdf';
    case XLSX:
    case 'application/vnd.ms-excel.sheet.macroEnabled.12':
      return 'foi_spreadsheet';
    case 'text/csv':
      return 'foi_csv';
    case 'message/rfc822':
      return 'foi_mail';
    case 'text/plain':
      return 'foi_text';
    case DOCX:
    case ODT:
      return 'foi_document';
    default:
      return 'unsupported';
  }
}

export function chooseSourceKind(input: {
  mediaType: MediaType;
  originalName: string;
  wave: number;
  kinds: WaveKinds;
}): SourceKind {
  if (input.kinds.questionnaire) return questionnaireKind(input.kinds.questionnaire, input.mediaType);
  if (input.kinds.foi) return foiKind(input.mediaType);
  return 'unsupported';
}
