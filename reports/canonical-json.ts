/**
 * JSON for files whose bytes are hashed (figures.json, manifest.json): object keys sorted at every
 * level, two-space indent, one trailing newline. The key order of an object literal depends on how
 * the code built it; sorting makes the bytes depend on the content alone.
 */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json | undefined };

function sorted(value: Json | undefined): Json | undefined {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError(`canonical JSON cannot hold ${value}`);
    return value;
  }
  if (Array.isArray(value)) return (value as readonly Json[]).map((v) => sorted(v) ?? null);
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) {
    const v = sorted((value as Record<string, Json | undefined>)[key]);
    if (v !== undefined) out[key] = v; // an absent field and an undefined one give the same bytes
  }
  return out;
}

export function canonicalJson(value: Json): string {
  return `${JSON.stringify(sorted(value), null, 2)}\n`;
}
