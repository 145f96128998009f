import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithPrevious, type Finding } from '../../reports/disclosure-compare.ts';
import { tablesFromFiguresJson } from '../../reports/figures.ts';
import { CensusError } from '../../schemas/fault.ts';
import type { RenderedReport } from './build.ts';
import { FIGURES_JSON } from '../../reports/render.ts';
import { readManifestFrom } from './verify.ts';

/** Findings that fail the back test: a cell withheld before and shown now, or one a reader can work out. */
const FAILING: ReadonlySet<Finding['code']> = new Set(['unsuppressed', 'revealed_by_subtraction']);

export interface BackTest {
  findings: { table: string; finding: Finding }[];
  failed: boolean;
}

/**
 * report.md: "a back test rebuilds a previous wave's public report and confirms the same figures and
 * the same suppressed cells". `previousDir` is that wave's published public build; `current` is the
 * rebuild of the same wave with today's code and rules. Every public table of both is compared.
 */
export function backTest(previousDir: string, current: RenderedReport): BackTest {
  const before = readManifestFrom(previousDir);
  if (before.build !== 'public')
    throw new CensusError(
      'usage',
      `${previousDir} is an ${before.build} build; the back test compares public builds.`,
      'Pass --previous the folder of the published (public) build.',
    );
  if (before.wave !== current.manifest.wave) {
    throw new CensusError(
      'usage',
      `${previousDir} is the build of wave ${before.wave}, not ${current.manifest.wave}.`,
      `The back test rebuilds that wave: run census report --wave ${before.wave} --public --previous ${previousDir}.`,
    );
  }
  const file = join(previousDir, FIGURES_JSON);
  if (!existsSync(file))
    throw new CensusError(
      'usage',
      `${previousDir} has no ${FIGURES_JSON}.`,
      'Pass the folder a census report --public build wrote.',
    );
  const previous = tablesFromFiguresJson(readFileSync(file, 'utf8'));
  const now = tablesFromFiguresJson(current.outputs.get(FIGURES_JSON)!.toString('utf8'));
  const findings: BackTest['findings'] = [];
  for (const name of [...new Set([...Object.keys(previous), ...Object.keys(now)])].sort()) {
    const p = previous[name];
    const c = now[name];
    if (p && c) for (const finding of compareWithPrevious(p, c)) findings.push({ table: name, finding });
    else if (p) findings.push({ table: name, finding: { row: '*', col: '*', code: 'cell_removed' } });
    else findings.push({ table: name, finding: { row: '*', col: '*', code: 'cell_added' } });
  }
  return { findings, failed: findings.some((f) => FAILING.has(f.finding.code)) };
}
