/**
 * manifest.json: what a build was made from and what it made. Inputs are content hashes (every raw
 * file that fed the waves shown, every correction a person made), the database migration level, the
 * code version and the resolved parameters; outputs are the sha256 of every other file written.
 * `census verify` rebuilds from it and compares. No clock time: the same inputs give the same bytes.
 *
 * Renderings (issue 17) are listed apart from outputs: report.pdf is report.html printed by the
 * machine's Chromium, whose bytes depend on the Chromium version and the fonts installed, not only on
 * the inputs. For each rendering the manifest records its sha256, the sha256 of the exact page that
 * was printed (`source`) and the renderer's version; `outputs` holds only the files whose bytes
 * depend on the inputs and the code alone, so two builds from the same inputs have the same
 * `outputs` on any machine; a rendering is the same when the page it printed is (its `source`): one
 * Chromium usually prints a page to the same bytes, but does not promise to.
 */
import { z } from 'zod';
import { canonicalJson, type Json } from './canonical-json.ts';
import { byId, byText } from './order.ts';

export const MANIFEST_FORMAT = 'census-report-manifest/1';
export const MANIFEST_FILE = 'manifest.json';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  wave: z.number().int(),
  build: z.enum(['internal', 'public']),
  codeVersion: z.string(),
  migrationLevel: z.number().int(),
  parameters: z.record(z.string(), z.unknown()),
  sources: z.array(
    z.object({
      wave: z.number().int(),
      sha256: hex64,
      kind: z.string(),
      sizeBytes: z.number().int(),
      /** Internal builds only: file names can carry team names. */
      name: z.string().optional(),
    }),
  ),
  corrections: z.array(z.object({ kind: z.string(), id: z.string(), sha256: hex64 })),
  /** Bundled reference files read by the build (births, local authorities), by path in the repository. */
  reference: z.record(z.string(), hex64),
  outputs: z.record(z.string(), hex64),
  renderings: z.record(z.string(), z.object({ sha256: hex64, source: hex64, renderer: z.string().min(1) })).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Every file a build wrote (outputs and renderings; manifest.json aside) with its sha256, sorted by path. */
export function builtFiles(m: Manifest): [string, string][] {
  return [
    ...Object.entries(m.outputs),
    ...Object.entries(m.renderings ?? {}).map(([p, r]) => [p, r.sha256] as [string, string]),
  ].sort(([a], [b]) => byText(a, b));
}

export function manifestJson(m: Manifest): string {
  const sources = [...m.sources].sort(
    (a, b) => a.wave - b.wave || byText(a.sha256, b.sha256) || byText(a.kind, b.kind),
  );
  const corrections = [...m.corrections].sort((a, b) => byText(a.kind, b.kind) || byId(a.id, b.id));
  return canonicalJson({ ...m, sources, corrections } as unknown as Json);
}

export class ManifestError extends Error {
  readonly code = 'manifest_invalid';
}

export function parseManifest(text: string, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`${where} is not JSON: ${(err as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    throw new ManifestError(
      `${where} is not a report manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
