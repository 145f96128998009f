import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE, manifestJson, parseManifest, type Manifest } from '../../reports/manifest.ts';
import { reportParamsSchema } from '../../schemas/report-params.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { listFiles, renderReport, writeReport } from './build.ts';
import { printedPageSha256 } from './pdf.ts';
import { sha256Hex } from '../../reports/hash.ts';
import { REPORT_HTML } from '../../reports/render.ts';

/**
 * `same source`: a rendering (report.pdf) made by another renderer than the one here (or none here):
 * its bytes are not comparable across Chromium versions, but the page it printed is identical.
 */
type FileCheck = {
  path: string;
  status: 'identical' | 'different' | 'missing' | 'extra' | 'same source';
  note?: string;
};
export interface Verification {
  files: FileCheck[];
  inputChanges: string[];
  ok: boolean;
}

export function readManifestFrom(dir: string): Manifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file))
    throw new CensusError('usage', `${dir} has no ${MANIFEST_FILE}.`, 'Pass the folder a `census report` build wrote.');
  try {
    return parseManifest(readFileSync(file, 'utf8'), file);
  } catch (err) {
    throw new CensusError(
      'usage',
      (err as Error).message,
      'The manifest was edited or is not from census report; rebuild the report.',
      { cause: err },
    );
  }
}

/** What changed between the inputs a manifest recorded and those of the rebuild, in words. */
function inputChanges(before: Manifest, now: Manifest): string[] {
  const out: string[] = [];
  if (before.codeVersion !== now.codeVersion) out.push(`code version ${before.codeVersion} -> ${now.codeVersion}`);
  if (before.migrationLevel !== now.migrationLevel)
    out.push(`migration level ${before.migrationLevel} -> ${now.migrationLevel}`);
  const keys = (m: Manifest) => new Set(m.sources.map((s) => `${s.wave}:${s.sha256}`));
  const [was, is] = [keys(before), keys(now)];
  for (const k of is) if (!was.has(k)) out.push(`source file added: wave ${k.replace(':', ', sha256 ')}`);
  for (const k of was)
    if (!is.has(k)) out.push(`source file no longer in the database: wave ${k.replace(':', ', sha256 ')}`);
  const corr = (m: Manifest) => new Set(m.corrections.map((c) => `${c.kind} ${c.id} ${c.sha256}`));
  const [cw, ci] = [corr(before), corr(now)];
  for (const k of ci) if (!cw.has(k)) out.push(`correction added or changed: ${k.split(' ').slice(0, 2).join(' ')}`);
  for (const k of cw) if (!ci.has(k)) out.push(`correction removed or changed: ${k.split(' ').slice(0, 2).join(' ')}`);
  for (const [path, hash] of Object.entries(now.reference))
    if (before.reference[path] !== hash) out.push(`reference file changed: ${path}`);
  return out;
}

/**
 * `census verify DIR`: rebuilds the report from the parameters in DIR/manifest.json into a temporary
 * folder and compares every file byte for byte, naming each one identical, different, missing (in
 * DIR) or extra (in DIR, not made by the build). A rendering (report.pdf) made by another Chromium
 * than this machine's is `same source` when its bytes are still those its manifest records and the
 * page it printed is the page this rebuild prints; PDF bytes are only compared between equal
 * Chromium versions.
 */
export async function verifyReport(dir: string, ctx: Ctx): Promise<Verification> {
  const before = readManifestFrom(dir);
  const params = reportParamsSchema.safeParse(before.parameters);
  if (!params.success)
    throw new CensusError(
      'usage',
      `The parameters in ${join(dir, MANIFEST_FILE)} are not valid report parameters: ${params.error.message}`,
      'Rebuild the report with census report.',
    );
  const rebuilt = await renderReport(
    { wave: before.wave, publicBuild: before.build === 'public', params: params.data },
    ctx,
  );
  const tmp = mkdtempSync(join(tmpdir(), 'census-verify-'));
  try {
    writeReport(tmp, rebuilt);
    const made = new Set(listFiles(tmp));
    const present = new Set(listFiles(dir));
    const renderedBefore = before.renderings ?? {};
    const renderedNow = rebuilt.manifest.renderings ?? {};
    // issue 17: a rendering printed by another Chromium (or with none here), or printed by the same one
    // to other bytes (Chromium does not promise the same bytes for the same page), is checked by the page it
    // printed, and the manifest is then compared with that rendering's entry as recorded
    const elsewhere = new Map<string, FileCheck>();
    for (const [path, was] of Object.entries(renderedBefore)) {
      const now = renderedNow[path];
      if (!existsSync(join(dir, path))) continue;
      // Printed here to the same bytes: checked like any other file.
      if (now?.renderer === was.renderer && now.sha256 === was.sha256) continue;
      const bytesKept = sha256Hex(readFileSync(join(dir, path))) === was.sha256;
      const sameSource = (now?.source ?? printedPageSha256(rebuilt.outputs.get(REPORT_HTML))) === was.source;
      const here = now?.renderer ?? 'no Chromium here';
      elsewhere.set(
        path,
        bytesKept && sameSource
          ? {
              path,
              status: 'same source',
              note:
                now?.renderer === was.renderer
                  ? `printed again by ${here} to other bytes: the page it printed is identical`
                  : `printed by ${was.renderer}, here ${here}: the page it printed is identical`,
            }
          : {
              path,
              status: 'different',
              note: bytesKept ? 'the page it printed differs' : `its bytes are not the ones the manifest records`,
            },
      );
    }
    const expectedManifest = elsewhere.size
      ? manifestJson({
          ...rebuilt.manifest,
          renderings: {
            ...renderedNow,
            ...Object.fromEntries(
              [...elsewhere].filter(([, c]) => c.status === 'same source').map(([p]) => [p, renderedBefore[p]!]),
            ),
          },
        })
      : null;
    const files: FileCheck[] = [...new Set([...made, ...present, ...Object.keys(renderedBefore)])]
      .sort()
      .map((path) => {
        const printed = elsewhere.get(path);
        if (printed) return printed;
        if (path === MANIFEST_FILE && expectedManifest !== null && present.has(path))
          return {
            path,
            status: readFileSync(join(dir, path), 'utf8') === expectedManifest ? 'identical' : 'different',
          };
        if (!present.has(path)) return { path, status: 'missing' };
        if (!made.has(path)) return { path, status: 'extra' };
        return {
          path,
          status: readFileSync(join(dir, path)).equals(readFileSync(join(tmp, path))) ? 'identical' : 'different',
        };
      });
    return {
      files,
      inputChanges: inputChanges(before, rebuilt.manifest),
      ok: files.every((f) => f.status === 'identical' || f.status === 'same source'),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
