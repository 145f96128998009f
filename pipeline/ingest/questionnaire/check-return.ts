import { issue, type Issue } from '../../../schemas/issue.ts';
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
  issues.push(...pre.issues);
  const reader = kind === 'unsupported' ? undefined : questionnaireReader(kind as QuestionnaireKind);
  if (!pre.refused && reader) {
    const read = await reader.read(bytes, file, list);
    const v = validate({ file, returns: read.returns, issues: read.issues }, list);
    issues.push(...v.issues);
    for (const r of v.returns) issues.push(...r.issues);
    // As load decides: only an error about the file as a whole keeps a return out (an unreadable
    // answer is left missing and the return loads).
    for (const r of normalise(v, list).returns) {
      if (r.blocked !== null) returnsRejected += 1;
      else returnsLoadable += 1;
    }
  } else if (!pre.refused) {
    issues.push(
      issue(
        'unsupported_format',
        'error',
        `${name}: files of type ${mediaType} are not read for wave ${list.wave}; send an .xlsx return or a survey export.`,
        { fileHash: hash },
      ),
    );
  }
  return { kind, returnsLoadable, returnsRejected, issues };
}
