import { readFileSync } from 'node:fs';
import { CensusError } from '../../schemas/fault.ts';

/**
 * The bytes of a file a person names on the command line (a register, a coding sheet, a
 * corrections file), or a usage error saying which file could not be read and what to do.
 */
export function readGivenFile(path: string, what: string, hint: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CensusError('usage', `Cannot read the ${what} ${path}: ${(err as Error).message}.`, hint);
  }
}
