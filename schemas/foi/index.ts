import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foiQuestionListSchema, type FoiQuestionList } from '../foi.ts';

/** FOI question lists, one JSON file per wave in this folder: a later wave is a new file, no code change. */
const DIR = fileURLToPath(new URL('.', import.meta.url));

export function foiWaves(dir: string = DIR): number[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 4)))
    .sort((a, b) => a - b);
}

/** Throws when the file is missing or does not match the schema: a wave file is program data, not input. */
export function loadFoiWave(wave: number, dir: string = DIR): FoiQuestionList {
  const raw: unknown = JSON.parse(readFileSync(`${dir}/${wave}.json`, 'utf8'));
  const parsed = foiQuestionListSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `FOI wave file ${dir}/${wave}.json does not match the question-list schema: ${parsed.error.message}. Fix the file.`,
    );
  }
  if (parsed.data.wave !== wave)
    throw new Error(`FOI wave file ${wave}.json says wave ${parsed.data.wave}; rename the file or fix "wave".`);
  return parsed.data;
}
