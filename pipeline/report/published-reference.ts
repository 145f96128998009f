import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../reports/hash.ts';
import { parsePublishedCsv, type PublishedFigure } from '../../reports/published.ts';

/** reference/published_figures.csv of this checkout (issue 14), with its content hash for the manifest. */
const FILE = fileURLToPath(new URL('../../reference/published_figures.csv', import.meta.url));

export function loadPublished(path: string = FILE): { figures: PublishedFigure[]; hashes: Record<string, string> } {
  const text = readFileSync(path, 'utf8');
  return { figures: parsePublishedCsv(text), hashes: { 'reference/published_figures.csv': sha256Hex(text) } };
}
