import { issue, type Issue } from '../../schemas/issue.ts';
import { preflight, type FileLimits, type PreflightInput } from '../../sources/shared/preflight.ts';

/**
 * The checks every input file passes before a reader opens it (the first half of ./parse-guard.ts,
 * kept apart because it is pure: no worker, no Node API, so the teams' self-check page
 * (pipeline/checker/) runs the very same checks in a browser).
 */
const MACRO_WORKBOOK = 'application/vnd.ms-excel.sheet.macroEnabled.12';

/** The preflight's issues, the macros warning included; `refused` when one of them keeps the file from any reader. */
export function checkBeforeParse(
  bytes: Buffer,
  file: PreflightInput,
  limits: FileLimits,
): { issues: Issue[]; refused: boolean } {
  const issues = preflight(bytes, file, limits);
  if (issues.some((i) => i.severity === 'error')) return { issues, refused: true };
  if (file.mediaType === MACRO_WORKBOOK) {
    issues.push(
      issue(
        'macros_present',
        'warning',
        `${file.name} contains macros. They were not run (census never runs them); only the saved cell values were read.`,
        { fileHash: file.fileHash },
      ),
    );
  }
  return { issues, refused: false };
}
