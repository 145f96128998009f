import { basename, dirname, join, resolve } from 'node:path';
import { CensusError } from '../../schemas/fault.ts';

/**
 * A file name stem made from text that came in a return (a team name): letters and digits only,
 * words joined by "-". Path separators, dots at the start, control characters and anything a file
 * system might read specially are gone, so the result can never leave the folder it is joined to.
 */
export function safeStem(text: string, fallback: string, maxLength = 60): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const stem = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return stem || fallback;
}

/** Joins a name made by safeStem onto dir, and checks that it stayed a direct child of dir. */
export function childPath(dir: string, name: string): string {
  const path = join(resolve(dir), name);
  if (dirname(path) !== resolve(dir) || basename(path) !== name) {
    throw new CensusError(
      'internal',
      `Refused to write "${name}": it is not a plain file name inside ${dir}.`,
      'This is a bug in file naming; report it.',
    );
  }
  return path;
}

/** Names for several outputs in one folder: the first keeps its stem, a repeat gets a suffix. */
export function uniqueNamer(): (stem: string, suffix: string, extension: string) => string {
  const used = new Set<string>();
  return (stem, suffix, extension) => {
    let name = `${stem}${extension}`;
    if (used.has(name)) name = `${stem}-${suffix}${extension}`;
    for (let n = 2; used.has(name); n++) name = `${stem}-${suffix}-${n}${extension}`;
    used.add(name);
    return name;
  };
}
