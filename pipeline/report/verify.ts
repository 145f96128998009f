import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../reports/manifest.ts';
import { reportParamsSchema } from '../../schemas/report-params.ts';
import type { Ctx } from '../runtime/ctx.ts';
import { CensusError } from '../../schemas/fault.ts';
import { listFiles, renderReport, writeReport } from './build.ts';

type FileCheck = { path: string; status: 'identical' | 'different' | 'missing' | 'extra' };
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
 * DIR) or extra (in DIR, not made by the build).
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
    const files: FileCheck[] = [...new Set([...made, ...present])].sort().map((path) => {
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
      ok: files.every((f) => f.status === 'identical'),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
