import type { Ctx } from './ctx.ts';
import { issue, type Issue } from '../schemas/issue.ts';
import type { QuestionList } from '../schemas/question-list.ts';
import { readStored } from './store.ts';
import type { Extraction, StoredFile } from './types.ts';
import { questionnaireReader } from '../sources/questionnaire/index.ts';
import type { QuestionnaireKind } from '../sources/index.ts';

const FORMAT_ADVICE: Record<string, string> = {
  'application/x-ole-storage': 'This is an old binary Office file (.xls or .doc) or a password-protected workbook. Ask for the file saved as .xlsx without a password.',
  'application/octet-stream': 'This file is binary and not a format census reads. Ask for an .xlsx or a UTF-8 .csv.',
  'application/zip': 'This is a zip archive, not a workbook. Unpack it and ingest the files inside.',
  'application/pdf': 'Questionnaire returns are read from workbooks or survey exports; a PDF needs typing in by hand.',
};

/** Resolves after `ms` with a timeout marker; the parse itself is left to finish in the background. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let t: NodeJS.Timeout;
  const timer = new Promise<'timeout'>((resolve) => { t = setTimeout(() => resolve('timeout'), ms); });
  return Promise.race([p.finally(() => clearTimeout(t)), timer]);
}

/** extract: finds every answer in a stored file with its location. Never throws for bad data. */
export async function extract(file: StoredFile, list: QuestionList, ctx: Ctx): Promise<Extraction> {
  const fileLoc = { fileHash: file.hash };
  const issues: Issue[] = [];
  const reader = questionnaireReader(file.sourceKind as QuestionnaireKind);
  if (!reader) {
    const advice = FORMAT_ADVICE[file.mediaType] ?? `Files of type ${file.mediaType} are not read for wave ${file.wave}; send an .xlsx return or a survey export.`;
    const code = file.mediaType === 'application/x-ole-storage' ? 'legacy_or_protected_office_file' : 'unsupported_format';
    return { file, returns: [], issues: [issue(code, 'error', `${file.originalName}: ${advice}`, fileLoc)] };
  }
  if (file.mediaType === 'application/vnd.ms-excel.sheet.macroEnabled.12') {
    issues.push(issue('macros_present', 'warning', `${file.originalName} contains macros. They were not run; only saved cell values were read.`, fileLoc));
  }
  const bytes = readStored(ctx.workspace.storeDir, file.hash);
  try {
    const out = await withTimeout(reader.read(bytes, file, list), ctx.workspace.config.limits.parseTimeoutMs);
    if (out === 'timeout') {
      return { file, returns: [], issues: [...issues, issue('parse_timeout', 'error', `${file.originalName} took longer than ${ctx.workspace.config.limits.parseTimeoutMs} ms to read and was abandoned. Check the file, or raise limits.parseTimeoutMs in census.json.`, fileLoc)] };
    }
    return { file, returns: out.returns, issues: [...issues, ...out.issues] };
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    return { file, returns: [], issues: [...issues, issue('file_unreadable', 'error', `${file.originalName} could not be opened as a workbook (${msg.slice(0, 200)}). It may be truncated or corrupt: ask the team to send it again.`, fileLoc)] };
  }
}
