import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAreasCsv, type AreaRef } from '../../reports/areas.ts';
import { sha256Hex } from '../../reports/hash.ts';
import { parseBirthsCsv, type BirthRow } from '../../reports/reach.ts';

/** The bundled reference data the report reads (reference/, shipped with the code), with content hashes for the manifest. */
export interface ReportReference {
  births: BirthRow[];
  areas: AreaRef[];
  /** Path in the repository -> sha256 of the bytes read. */
  hashes: Record<string, string>;
}

/** reference/ of this checkout: bundled with the code, never read from elsewhere at run time. */
const REFERENCE_DIR = fileURLToPath(new URL('../../reference', import.meta.url));

export function loadReference(dir: string = REFERENCE_DIR): ReportReference {
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const files = { births: 'live_births.csv', areas: 'local_authorities.csv' };
  const text = { births: read(files.births), areas: read(files.areas) };
  return {
    births: parseBirthsCsv(text.births),
    areas: parseAreasCsv(text.areas),
    hashes: {
      [`reference/${files.areas}`]: sha256Hex(text.areas),
      [`reference/${files.births}`]: sha256Hex(text.births),
    },
  };
}
