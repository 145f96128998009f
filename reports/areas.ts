/**
 * Local authority areas a team covers (questionnaire.md areas_covered: names or ONS codes) matched to
 * the reference list, so the report can say how many areas have a team and how many have none.
 */
import Papa from 'papaparse';
export interface AreaRef {
  readonly code: string;
  readonly name: string;
  readonly nationCode: string;
}

// Words that vary between how teams write an area and its reference name ("Leeds City Council").
const NOISE =
  /\b(city of|county of|royal borough of|london borough of|borough of|metropolitan borough|city and county of|council|county|borough|district|metropolitan|city)\b/g;

export function areaKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(NOISE, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface AreaMatch {
  /** Reference code -> ids of the records (answers) naming it. */
  readonly covered: ReadonlyMap<string, readonly string[]>;
  readonly unmatched: readonly { readonly text: string; readonly record: string }[];
}

export function matchAreas(
  items: readonly { readonly text: string; readonly record: string }[],
  refs: readonly AreaRef[],
): AreaMatch {
  const byCode = new Map(refs.map((r) => [r.code.toUpperCase(), r.code]));
  const byKey = new Map<string, string>();
  for (const r of refs) byKey.set(areaKey(r.name), r.code);
  const covered = new Map<string, string[]>();
  const unmatched: { text: string; record: string }[] = [];
  for (const item of items) {
    const code = byCode.get(item.text.trim().toUpperCase()) ?? byKey.get(areaKey(item.text));
    if (code === undefined) unmatched.push(item);
    else covered.set(code, [...(covered.get(code) ?? []), item.record]);
  }
  return { covered, unmatched };
}

/** reference/local_authorities.csv: ons_code,name,la_type,region_code,region_name,nation_code. */
export function parseAreasCsv(text: string): AreaRef[] {
  // Names hold commas ("Bournemouth, Christchurch and Poole"), so a real CSV parser.
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  if (!parsed.meta.fields?.includes('ons_code') || !parsed.meta.fields.includes('nation_code')) {
    throw new Error('local_authorities.csv must have the columns ons_code, name and nation_code');
  }
  return parsed.data.map((r) => ({
    code: r.ons_code ?? '',
    name: (r.name ?? '').trim(),
    nationCode: r.nation_code ?? '',
  }));
}
