import type { Option } from '../question-list.ts';
import { matchKey } from './normalise-text.ts';

/** The option a text names by its label, a listed synonym or its code; case, spacing and punctuation tolerated. */
export function findOption(options: readonly Option[], text: string): Option | undefined {
  const key = matchKey(text);
  if (key === '') return undefined;
  return options.find((o) => [o.label, o.code, ...o.synonyms].some((s) => matchKey(s) === key));
}

/** Codes in option-list order, each once: the stored form of a multi answer. */
export function inListOrder(options: readonly Option[], codes: Iterable<string>): string[] {
  const set = new Set(codes);
  return options.filter((o) => set.has(o.code)).map((o) => o.code);
}

export function listOptions(options: readonly Option[]): string {
  return options.map((o) => `"${o.label}"`).join(', ');
}
