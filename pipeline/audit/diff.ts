import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE, parseManifest, type Manifest } from '../../reports/manifest.ts';
import { CensusError } from '../../schemas/fault.ts';
import { FIGURES_JSON } from '../../reports/render.ts';

/**
 * `census diff`: what changed between two builds: figures (from the figures.json beside each
 * manifest), and the inputs that explain it: source files by sha256, corrections by id and hash, code
 * version, migration level and parameters. Reads files only; no database.
 */

interface Bounds {
  low: number;
  high: number | null;
}
interface FigureLite {
  id: string;
  label: string;
  text: string;
  value: Bounds | null;
}

interface FigureChange {
  id: string;
  label: string;
  before: string;
  after: string;
  delta: { low: number; high: number | null } | null;
}
export interface BuildDiff {
  a: string;
  b: string;
  figures: { changed: FigureChange[]; added: FigureLite[]; removed: FigureLite[] };
  sources: { added: Manifest['sources']; removed: Manifest['sources'] };
  corrections: { added: Manifest['corrections']; removed: Manifest['corrections']; changed: Manifest['corrections'] };
  other: string[];
  outputsChanged: string[];
  same: boolean;
}

function readBuild(path: string): { manifest: Manifest; figures: FigureLite[] | null; where: string } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, MANIFEST_FILE) : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CensusError(
      'usage',
      `Cannot read ${file}: ${(err as Error).message}.`,
      'Pass a folder written by census report, or its manifest.json.',
    );
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(text, file);
  } catch (err) {
    throw new CensusError(
      'usage',
      (err as Error).message,
      'Pass a folder written by census report, or its manifest.json.',
    );
  }
  const figuresFile = join(dirname(file), FIGURES_JSON);
  const figures = existsSync(figuresFile)
    ? (JSON.parse(readFileSync(figuresFile, 'utf8')) as { figures: FigureLite[] }).figures
    : null;
  return { manifest, figures, where: file };
}

const same = (x: Bounds | null, y: Bounds | null) =>
  x === null ? y === null : y !== null && x.low === y.low && x.high === y.high;
const key = (s: Manifest['sources'][number]) => `${s.wave}:${s.sha256}`;
const ckey = (c: Manifest['corrections'][number]) => `${c.kind}:${c.id}`;

export function diffBuilds(pathA: string, pathB: string): BuildDiff {
  const A = readBuild(pathA);
  const B = readBuild(pathB);
  const fa = new Map((A.figures ?? []).map((f) => [f.id, f]));
  const fb = new Map((B.figures ?? []).map((f) => [f.id, f]));
  const changed: FigureChange[] = [];
  for (const [id, a] of fa) {
    const b = fb.get(id);
    if (!b || (same(a.value, b.value) && a.text === b.text)) continue;
    const delta =
      a.value && b.value
        ? {
            low: b.value.low - a.value.low,
            high: a.value.high === null || b.value.high === null ? null : b.value.high - a.value.high,
          }
        : null;
    changed.push({ id, label: b.label, before: a.text, after: b.text, delta });
  }
  const srcA = new Map(A.manifest.sources.map((s) => [key(s), s]));
  const srcB = new Map(B.manifest.sources.map((s) => [key(s), s]));
  const corA = new Map(A.manifest.corrections.map((c) => [ckey(c), c]));
  const corB = new Map(B.manifest.corrections.map((c) => [ckey(c), c]));
  const other: string[] = [];
  if (A.manifest.wave !== B.manifest.wave) other.push(`wave ${A.manifest.wave} -> ${B.manifest.wave}`);
  if (A.manifest.build !== B.manifest.build) other.push(`build ${A.manifest.build} -> ${B.manifest.build}`);
  if (A.manifest.codeVersion !== B.manifest.codeVersion)
    other.push(`code version ${A.manifest.codeVersion} -> ${B.manifest.codeVersion}`);
  if (A.manifest.migrationLevel !== B.manifest.migrationLevel)
    other.push(`migration level ${A.manifest.migrationLevel} -> ${B.manifest.migrationLevel}`);
  if (JSON.stringify(A.manifest.parameters) !== JSON.stringify(B.manifest.parameters))
    other.push('build parameters differ');
  if (JSON.stringify(A.manifest.reference) !== JSON.stringify(B.manifest.reference))
    other.push('reference data differs');
  if (A.figures === null || B.figures === null)
    other.push(`figures.json missing beside ${A.figures === null ? A.where : B.where}: figures not compared`);
  // issue 17: a rendering (report.pdf) counts as changed when the page it printed changed, not when
  // only the Chromium that printed it did
  const content = (m: Manifest): Record<string, string> => ({
    ...m.outputs,
    ...Object.fromEntries(Object.entries(m.renderings ?? {}).map(([p, r]) => [p, `printed:${r.source}`])),
  });
  const [outA, outB] = [content(A.manifest), content(B.manifest)];
  const outputs = [...new Set([...Object.keys(outA), ...Object.keys(outB)])].sort().filter((p) => outA[p] !== outB[p]);
  const diff: BuildDiff = {
    a: A.where,
    b: B.where,
    figures: {
      changed,
      added: [...fb.values()].filter((f) => !fa.has(f.id)),
      removed: [...fa.values()].filter((f) => !fb.has(f.id)),
    },
    sources: {
      added: [...srcB].filter(([k]) => !srcA.has(k)).map(([, s]) => s),
      removed: [...srcA].filter(([k]) => !srcB.has(k)).map(([, s]) => s),
    },
    corrections: {
      added: [...corB].filter(([k]) => !corA.has(k)).map(([, c]) => c),
      removed: [...corA].filter(([k]) => !corB.has(k)).map(([, c]) => c),
      changed: [...corB].filter(([k, c]) => corA.has(k) && corA.get(k)!.sha256 !== c.sha256).map(([, c]) => c),
    },
    other,
    outputsChanged: outputs,
    same: false,
  };
  diff.same =
    outputs.length === 0 &&
    changed.length + diff.figures.added.length + diff.figures.removed.length === 0 &&
    diff.sources.added.length + diff.sources.removed.length === 0 &&
    diff.corrections.added.length + diff.corrections.removed.length + diff.corrections.changed.length === 0 &&
    other.length === 0;
  return diff;
}
