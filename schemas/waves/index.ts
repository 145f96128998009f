import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { questionListSchema, type QuestionList } from '../question-list.ts';
import { lintQuestionList } from './lint.ts';

export { questionsDiff, type QuestionsDiff, type BandsChange } from './diff.ts';
export { lintQuestionList } from './lint.ts';

/** The folder of the question lists shipped with the code (this file's folder). */
export const BUILT_IN_DIR = dirname(fileURLToPath(import.meta.url));

export type QuestionListErrorCode = 'question_list_missing' | 'question_list_unreadable' | 'question_list_invalid';

/** A question list file that is absent or wrong: a fault of the installation or workspace, not of a return. */
export class QuestionListError extends Error {
  readonly code: QuestionListErrorCode;
  readonly file: string | null;
  constructor(code: QuestionListErrorCode, message: string, file: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuestionListError';
    this.code = code;
    this.file = file;
  }
}

/** The file that holds a wave's list: the first of extraDirs that has it, else the built-in one. */
function questionListFile(wave: number, extraDirs: readonly string[] = []): string | null {
  for (const dir of [...extraDirs, BUILT_IN_DIR]) {
    const file = join(dir, `${wave}.json`);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Reads, zod-validates and lints one list file; every problem is named by file and path. */
function readQuestionListFile(file: string, wave?: number): QuestionList {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new QuestionListError(
      'question_list_unreadable',
      `Could not read the question list ${file} as JSON: ${(err as Error).message}. Fix the file (a JSON validator shows where).`,
      file,
      { cause: err },
    );
  }
  const parsed = questionListSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  at ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new QuestionListError(
      'question_list_invalid',
      `The question list ${file} does not match the question-list schema:\n${lines.join('\n')}\nFix these entries (schemas/question-list.ts describes each field).`,
      file,
    );
  }
  const problems = lintQuestionList(parsed.data);
  if (wave !== undefined && parsed.data.wave !== wave)
    problems.unshift(`wave: the file says ${parsed.data.wave} but is named for ${wave}`);
  if (problems.length > 0) {
    throw new QuestionListError(
      'question_list_invalid',
      `The question list ${file} is inconsistent:\n${problems.map((p) => `  ${p}`).join('\n')}\nFix these entries.`,
      file,
    );
  }
  return parsed.data;
}

/** A wave's question list, from `<dir>/<wave>.json` in extraDirs first, then the built-in folder. */
export function loadQuestionList(wave: number, extraDirs: readonly string[] = []): QuestionList {
  const file = questionListFile(wave, extraDirs);
  if (file === null) {
    const looked = [...extraDirs, BUILT_IN_DIR].join(', ');
    throw new QuestionListError(
      'question_list_missing',
      `There is no question list for wave ${wave} (looked for ${wave}.json in ${looked}). Add one to a workspace waves/ folder, or pick a wave from: ${availableWaves(extraDirs).join(', ')}.`,
      null,
    );
  }
  return readQuestionListFile(file, wave);
}

/** Waves with a question list in extraDirs or the built-in folder, ascending. */
export function availableWaves(extraDirs: readonly string[] = []): number[] {
  const waves = new Set<number>();
  for (const dir of [...extraDirs, BUILT_IN_DIR]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const m = /^(\d{4})\.json$/.exec(name);
      if (m) waves.add(Number(m[1]));
    }
  }
  return [...waves].sort((x, y) => x - y);
}
