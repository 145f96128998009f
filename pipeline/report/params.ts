import { readFileSync } from 'node:fs';
import { reportParamsInputSchema, reportParamsSchema, type ReportParams, type ReportParamsInput } from '../../schemas/report-params.ts';
import { CensusError } from '../../schemas/fault.ts';

/**
 * Build parameters: reports/default-params.json, overridden part by part by a --params file. A part
 * given replaces the default part as a whole (need scenarios, caps, bands), except `foi` and
 * `disclosure`, whose fields are merged one by one, so a file can change the FOI reference date alone.
 */
export const DEFAULT_PARAMS_FILE = new URL('../../reports/default-params.json', import.meta.url);

export function defaultParams(): ReportParams {
  return reportParamsSchema.parse(JSON.parse(readFileSync(DEFAULT_PARAMS_FILE, 'utf8')));
}

function issues(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues.map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`).join('; ');
}

export function mergeParams(input: ReportParamsInput, base: ReportParams = defaultParams()): ReportParams {
  const merged = {
    ...base,
    ...input,
    foi: { ...base.foi, ...(input.foi ?? {}) },
    disclosure: { ...base.disclosure, ...(input.disclosure ?? {}) },
  };
  const parsed = reportParamsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new CensusError('usage', `The report parameters are not valid: ${issues(parsed.error)}.`, 'Fix the --params file; reports/default-params.json shows every field.');
  }
  const ids = parsed.data.needScenarios.map((s) => s.id);
  const twice = ids.find((x, i) => ids.indexOf(x) !== i);
  if (twice) throw new CensusError('usage', `Need scenario id "${twice}" is used twice in the report parameters.`, 'Give every need scenario its own id.');
  return parsed.data;
}

/** Parameters from a JSON file (partial), on top of the defaults. */
export function paramsFromFile(path: string): ReportParams {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CensusError('usage', `Cannot read the report parameters ${path}: ${(err as Error).message}.`, 'Pass --params a JSON file shaped like reports/default-params.json.');
  }
  const input = reportParamsInputSchema.safeParse(raw);
  if (!input.success) {
    throw new CensusError('usage', `The report parameters in ${path} are not valid: ${issues(input.error)}.`, 'Fix the file; reports/default-params.json shows every field.');
  }
  return mergeParams(input.data);
}
