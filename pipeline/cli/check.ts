import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CensusError } from '../../schemas/fault.ts';
import type { QuestionList } from '../../schemas/question-list.ts';
import { formatLocation, type Issue } from '../../schemas/issue.ts';
import { checkReturnBytes } from '../ingest/questionnaire/check-return.ts';
import { convertToXlsx } from '../runtime/convert.ts';
import { otherWorkbookFormat, sniffMediaType } from '../../sources/shared/sniff.ts';
import { listInputFiles } from '../ingest/receive.ts';
import { limitsSchema, loadWorkspace, resolveWorkspaceDir, type Limits } from '../runtime/workspace.ts';
import { hasQuestionnaireWave, questionListFor } from '../runtime/waves.ts';
import { compareIssues } from './format.ts';

/**
 * A questionnaire return read and validated as `census ingest` would, without storing or loading
 * anything and without a database: `census check` and `census ingest --dry-run`. What needs the
 * database is not checked here: labels mapped with `census questions map`, the year-on-year check
 * against the team's previous return, and whether the file was already received.
 */

export interface CheckedFile {
  file: string;
  sha256: string;
  kind: string;
  /** Returns that would load, and those an error about the whole file would keep out. */
  returnsLoadable: number;
  returnsRejected: number;
  issues: (Issue & { at: string })[];
}

/** The workspace's waves/ folder and limits when there is a workspace; the shipped lists and default limits otherwise. */
export function checkSetting(flag: string | undefined): { wavesDir: string | null; limits: Limits } {
  try {
    const ws = loadWorkspace(resolveWorkspaceDir(flag, process.env, process.cwd()));
    return { wavesDir: ws.wavesDir, limits: ws.config.limits };
  } catch (err) {
    if (err instanceof CensusError && err.code === 'workspace_missing' && flag === undefined)
      return { wavesDir: null, limits: limitsSchema.parse({}) };
    throw err;
  }
}

export function checkList(wave: number, wavesDir: string | null, what: string): QuestionList {
  if (!hasQuestionnaireWave(wave, wavesDir))
    throw new CensusError(
      'usage',
      `${what} checks questionnaire returns; wave ${wave} has no questionnaire question list.`,
      'Give a questionnaire wave (census questions list --wave W shows one), or ingest FOI replies without --dry-run.',
    );
  return questionListFor(wave, wavesDir);
}

export async function checkFile(path: string, list: QuestionList, limits: Limits): Promise<CheckedFile> {
  const bytes = readFileSync(path);
  const hash = createHash('sha256').update(bytes).digest('hex');
  const name = basename(path);
  // The same function as the teams' self-check page (census template --with-checker) runs in a browser.
  // An .ods or .xls return is checked as ingest reads it: from the copy LibreOffice saves as .xlsx, when installed.
  const other = otherWorkbookFormat(bytes, sniffMediaType(bytes, name));
  const converted = other ? await convertToXlsx(bytes, other, limits.parseTimeoutMs) : null;
  const checked = await checkReturnBytes(converted ?? bytes, { name, hash }, list, limits);
  const sorted = checked.issues
    .map((i) => ({ ...i, at: formatLocation(i.location) }))
    .sort((a, b) => compareIssues({ ...a, file: name, where: a.location }, { ...b, file: name, where: b.location }));
  const { kind, returnsLoadable, returnsRejected } = checked;
  return { file: path, sha256: hash, kind, returnsLoadable, returnsRejected, issues: sorted };
}

/** The files under the paths given (folders walked as ingest walks them); an empty selection is a usage error. */
export function filesUnder(paths: string[]): string[] {
  const { files, missing } = listInputFiles(paths);
  if (missing.length) throw new CensusError('usage', `Not found: ${missing.join(', ')}`, 'Check the paths given.');
  if (files.length === 0)
    throw new CensusError(
      'usage',
      `No files to read in ${paths.join(', ')}.`,
      'Give the folder the returns were saved in, or the files themselves.',
    );
  return files;
}
