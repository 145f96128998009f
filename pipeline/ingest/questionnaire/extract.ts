import type { Ctx } from '../../runtime/ctx.ts';
import { issue, type Issue } from '../../../schemas/issue.ts';
import type { QuestionList } from '../../../schemas/question-list.ts';
import { readStored } from '../../runtime/store.ts';
import { convertToXlsx } from '../../runtime/convert.ts';
import { XLSX } from '../../../schemas/media-type.ts';
import { otherWorkbookFormat } from '../../../sources/shared/sniff.ts';
import type { Extraction, ExtractedReturn, StoredFile } from '../../../schemas/stage.ts';
import { questionnaireReader } from '../../../sources/questionnaire/index.ts';
import { chooseSourceKind, type QuestionnaireKind } from '../../../sources/index.ts';
import type { LabelMapping } from '../../../sources/questionnaire/label-target.ts';
import { warmParsePool } from '../../runtime/isolate.ts';
import { checkBeforeParse, parseIsolated } from '../parse-guard.ts';
import { unreadableWorkbook, unsupportedFormat } from './check-return.ts';

type ReadResult = { returns: ExtractedReturn[]; issues: Issue[] };

/** The parse itself, run in the parse worker (pipeline/runtime/isolate.ts) by module URL and name. */
export async function readWithReader(
  kind: QuestionnaireKind,
  bytes: Uint8Array,
  file: StoredFile,
  list: QuestionList,
  mapping: readonly LabelMapping[] = [],
): Promise<ReadResult> {
  const reader = questionnaireReader(kind);
  if (!reader) throw new Error(`no questionnaire reader for ${kind}`);
  return reader.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file, list, mapping);
}

/** Starts the parse workers with the questionnaire readers loaded. */
export function warmExtract(): void {
  void warmParsePool([import.meta.url]);
}

/** extract: finds every answer in a stored file with its location. Never throws for bad data. */
export async function extract(
  file: StoredFile,
  list: QuestionList,
  ctx: Ctx,
  mapping: readonly LabelMapping[] = [],
): Promise<Extraction> {
  const fileLoc = { fileHash: file.hash };
  const limits = ctx.workspace.config.limits;
  const stored = readStored(ctx.workspace.storeDir, file.hash);
  // An .ods or .xls return, saved as .xlsx by LibreOffice when it is installed (pipeline/runtime/convert.ts).
  const other = otherWorkbookFormat(stored, file.mediaType);
  const converted = other ? await convertToXlsx(stored, other, limits.parseTimeoutMs) : null;
  const bytes = converted ?? stored;
  const mediaType = converted ? XLSX : file.mediaType;
  const target = { mediaType, name: file.originalName, fileHash: file.hash };
  const checked = checkBeforeParse(bytes, target, limits);
  if (checked.refused) return { file, returns: [], issues: checked.issues };
  const issues: Issue[] = checked.issues;
  if (converted)
    issues.push(
      issue(
        'converted_to_xlsx',
        'info',
        `${file.originalName} is ${other === 'ods' ? 'an OpenDocument spreadsheet (.ods)' : 'an Excel 97-2003 workbook (.xls)'}: its answers were read from a copy LibreOffice saved as .xlsx (the same sheets and cells).`,
        fileLoc,
      ),
    );
  const kind = converted
    ? chooseSourceKind({
        mediaType: XLSX,
        originalName: file.originalName,
        wave: file.wave,
        kinds: { questionnaire: list, foi: false },
      })
    : file.sourceKind;
  const reader = questionnaireReader(kind as QuestionnaireKind);
  if (!reader) {
    return {
      file,
      returns: [],
      issues: [
        ...issues.filter((i) => i.code !== 'macros_present'),
        unsupportedFormat(bytes, file.mediaType, file.originalName, file.wave, fileLoc),
      ],
    };
  }
  try {
    const call = {
      module: import.meta.url,
      fn: 'readWithReader',
      args: [reader.kind, bytes, file, list, mapping],
      fallback: () => readWithReader(reader.kind, bytes, file, list, mapping),
    };
    const out = await parseIsolated<ReadResult>(call, target, limits, {
      timeout:
        '. Check the file (a sheet with far more cells than a return needs?), or raise limits.parseTimeoutMs in census.json.',
      crashed:
        ', usually because the file needs more memory than allowed. Check it is the right file; ask the team to remove unused sheets and send it again.',
    });
    if ('stopped' in out) return { file, returns: [], issues: [...issues, out.stopped] };
    return { file, returns: out.value.returns, issues: [...issues, ...out.value.issues] };
  } catch (err) {
    return { file, returns: [], issues: [...issues, unreadableWorkbook(file.originalName, file.hash, err)] };
  }
}
