import type { FoiReader } from '../../../schemas/foi.ts';
import type { FoiKind } from '../../../sources/index.ts';
import { readFoiCsv } from '../../../sources/foi/csv.ts';
import { readFoiDocument } from '../../../sources/foi/document.ts';
import { readFoiMail } from '../../../sources/foi/mail.ts';
import { readFoiPdf } from '../../../sources/foi/pdf.ts';
import { readFoiSpreadsheet } from '../../../sources/foi/spreadsheet.ts';
import { readFoiText } from '../../../sources/foi/text.ts';

/** The reader of each kind of FOI reply (sources/index.ts foiKind decides the kind from the bytes). */
export const FOI_READERS: Record<FoiKind, FoiReader> = {
  foi_pdf: readFoiPdf,
  foi_spreadsheet: readFoiSpreadsheet,
  foi_csv: readFoiCsv,
  foi_mail: readFoiMail,
  foi_text: readFoiText,
  foi_document: readFoiDocument,
};
