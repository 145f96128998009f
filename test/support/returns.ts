import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionList } from '../../schemas/question-list.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { fillReturn, type TypedAnswer } from '../../sources/questionnaire/fill-return.ts';

/**
 * Fixtures for returns-management tests: team workbooks made from a wave's template with pinned
 * dates, and later waves (2027, 2029) that are the 2025 list under another year, written into a
 * workspace's waves/ folder as a real new wave would be.
 */
export function laterWave(wavesDir: string, wave: number): QuestionList {
  mkdirSync(wavesDir, { recursive: true });
  const list = { ...loadQuestionList(2025), wave, templateVersion: `${wave}.1` };
  writeFileSync(join(wavesDir, `${wave}.json`), JSON.stringify(list, null, 2));
  return loadQuestionList(wave, [wavesDir]);
}

export function teamAnswers(
  name: string,
  host: string,
  email: string,
  extra: Record<string, TypedAnswer> = {},
): Record<string, TypedAnswer> {
  return {
    team_name: name,
    host_organisation: host,
    nation: 'England',
    region: 'London',
    status: 'Established',
    respondent_name: `Respondent ${email.split('@')[0]}`,
    respondent_email: email,
    ...extra,
  };
}

/** Writes one filled workbook into dir and returns its path. */
export async function writeReturn(
  dir: string,
  file: string,
  list: QuestionList,
  answers: Record<string, TypedAnswer>,
  dateCompleted?: string,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const wb = fillReturn(list, answers, {
    created: new Date('2025-04-01T00:00:00Z'),
    ...(dateCompleted ? { dateCompleted } : {}),
  });
  const path = join(dir, file);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}
