import { issue, type Issue } from '../../../schemas/issue.ts';
import { DOCX, ODT } from '../../../schemas/media-type.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import type { StoredFile } from '../../../schemas/stage.ts';
import { chooseSourceKind, type QuestionnaireKind, type SourceKind } from '../../../sources/index.ts';
import { questionnaireReader } from '../../../sources/questionnaire/index.ts';
import type { FileLimits } from '../../../sources/shared/preflight.ts';
import { sniffMediaType } from '../../../sources/shared/sniff.ts';
import { checkBeforeParse } from '../before-parse.ts';
import { normalise } from './normalise.ts';
import { validate } from './validate.ts';

/**
 * A questionnaire return's bytes read and validated as `census ingest` reads them (preflight, the
 * wave's reader, validate, and load's rule for what keeps a return out), storing nothing. Pure: no
 * database, no file system, no worker, no Node API, so `census check` (pipeline/cli/check.ts) and
 * the teams' self-check page (pipeline/checker/, bundled for the browser) run this one function.
 * What needs the database is not checked: labels mapped with `census questions map`, the
 * year-on-year check against the team's previous return, whether the file was received before.
 */
export interface ReturnCheck {
  kind: SourceKind;
  /** Returns that would load, and those an error about the whole file would keep out. */
  returnsLoadable: number;
  returnsRejected: number;
  /** Every issue, in the order found (callers sort them for a person). */
  issues: Issue[];
}

/** A workbook the reader threw on: the same issue ingest's extract stage records for it. */
export function unreadableWorkbook(name: string, hash: string, err: unknown): Issue {
  const msg = ((err as Error)?.message ?? String(err)).split('\n')[0]!;
  return issue(
    'file_unreadable',
    'error',
    `${name} could not be opened as a workbook (${msg.slice(0, 200)}). It may be truncated or corrupt: ask the team to send it again.`,
    { fileHash: hash },
  );
}

export async function checkReturnBytes(
  bytes: Buffer,
  input: { name: string; hash: string },
  list: QuestionList,
  limits: FileLimits,
): Promise<ReturnCheck> {
  const { name, hash } = input;
  const mediaType = sniffMediaType(bytes, name);
  const kind = chooseSourceKind({
    mediaType,
    originalName: name,
    wave: list.wave,
    kinds: { questionnaire: list, foi: false },
  });
  const file: StoredFile = {
    hash,
    originalName: name,
    size: bytes.length,
    mediaType,
    wave: list.wave,
    sourceKind: kind,
    alreadyReceived: false,
  };
  const issues: Issue[] = [];
  let returnsLoadable = 0;
  let returnsRejected = 0;
  const pre = checkBeforeParse(bytes, { mediaType, name, fileHash: hash }, limits);
  // Appended one by one: a file can hold more issues than a spread call takes arguments.
  const add = (more: readonly Issue[]): void => {
    for (const i of more) issues.push(i);
  };
  add(pre.issues);
  const reader = kind === 'unsupported' ? undefined : questionnaireReader(kind as QuestionnaireKind);
  if (!pre.refused && reader) {
    let read: Awaited<ReturnType<typeof reader.read>>;
    try {
      read = await reader.read(bytes, file, list);
    } catch (err) {
      // As extract: a file no reader can open is unreadable, and its return is kept out.
      read = { returns: [], issues: [unreadableWorkbook(name, hash, err)] };
    }
    const v = validate({ file, returns: read.returns, issues: read.issues }, list);
    add(v.issues);
    for (const r of v.returns) add(r.issues);
    // As load decides: only an error about the file as a whole keeps a return out (an unreadable
    // answer is left missing and the return loads).
    for (const r of normalise(v, list).returns) {
      if (r.blocked !== null) returnsRejected += 1;
      else returnsLoadable += 1;
    }
  } else if (!pre.refused) {
    issues.push(unsupportedFormat(bytes, mediaType, name, list.wave, { fileHash: hash }));
  }
  return { kind, returnsLoadable, returnsRejected, issues };
}

const FORMAT_ADVICE: Record<string, string> = {
  'application/octet-stream': 'This file is binary and not a format census reads. Ask for an .xlsx or a UTF-8 .csv.',
  'application/zip': 'This is a zip archive, not a workbook. Unpack it and ingest the files inside.',
  'application/pdf': 'Questionnaire returns are read from workbooks or survey exports; a PDF needs typing in by hand.',
  [DOCX]:
    'This is a Word document and not a return; ask the team for the questionnaire workbook (.xlsx). (Word letters are read as FOI replies.)',
};

/**
 * A zip that is an OpenDocument file (LibreOffice's own format: its first part is "mimetype", stored, naming
 * the kind) is no archive to unpack: the advice says how to save it as .xlsx (v9 questionnaire corpus).
 */
function openDocumentAdvice(bytes: Buffer, name: string): string | null {
  const head = bytes.subarray(0, 160).toString('latin1');
  if (!head.includes('mimetypeapplication/vnd.oasis.opendocument')) return null;
  const saveAs = `census reads .xlsx: open it in LibreOffice and use File > Save As, file type "Excel 2007-365 (.xlsx)" (or run: soffice --headless --convert-to xlsx "${name}"), then ingest the .xlsx.`;
  return head.includes('opendocument.spreadsheet')
    ? `This is an OpenDocument spreadsheet (.ods), not a zip archive; ${saveAs}`
    : `This is an OpenDocument file (a text document or other, not a spreadsheet) and not a return; ask the team for the questionnaire workbook (.xlsx).`;
}

/** A file no questionnaire reader takes, with what it is and what to send or do instead. */
export function unsupportedFormat(
  bytes: Buffer,
  mediaType: string,
  name: string,
  wave: number,
  at: { fileHash: string },
): Issue {
  const advice =
    (mediaType === 'application/zip' || mediaType === ODT ? openDocumentAdvice(bytes, name) : null) ??
    FORMAT_ADVICE[mediaType] ??
    `Files of type ${mediaType} are not read for wave ${wave}; send an .xlsx return or a survey export.`;
  return issue('unsupported_format', 'error', `${name}: ${advice}`, at);
}
